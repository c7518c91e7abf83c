// One word of a file list expanded as glob(GLOB_NOCHECK|GLOB_TILDE) does it: a word that
// matches nothing stays as written, matches come back sorted, braces are not expanded and
// a leading dot must be matched explicitly.
import { resolve } from 'node:path';
import type { Accounts } from './accounts.js';
import type { ConfigFs } from './fs.js';

const MAGIC = /[*?[]/;
// Characters that are plain in glob(3) but special to fast-glob's matcher.
const FAST_GLOB_ONLY = /[(){}|!+@]/g;

/** GLOB_TILDE: `~` and `~/…` use $HOME, `~user/…` that user's home; unknown users stay. */
export function expandTilde(word: string, home: string, accounts: Accounts): string {
  if (!word.startsWith('~')) return word;
  const slash = word.indexOf('/');
  const user = slash === -1 ? word.slice(1) : word.slice(1, slash);
  const rest = slash === -1 ? '' : word.slice(slash);
  const dir = user === '' ? home : accounts.homeOf(user);
  return dir === undefined ? word : dir + rest;
}

export type GlobResult = { readonly ok: true; readonly paths: readonly string[] } | { readonly ok: false; readonly error: unknown };

export function expandWord(word: string, cwd: string, fs: ConfigFs): GlobResult {
  if (!MAGIC.test(word)) return { ok: true, paths: [withoutEscapes(word, cwd, fs)] };
  try {
    const matches = fs.glob(word.replace(FAST_GLOB_ONLY, '\\$&'), cwd);
    return { ok: true, paths: matches.length === 0 ? [word] : [...matches].sort() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A word without wildcards still goes through glob(3), which takes its backslash
 * escapes out when the file so named exists (the config's `"a\\b.log"` names the file
 * `a\b.log`); when it does not, GLOB_NOCHECK hands back the word as written. */
function withoutEscapes(word: string, cwd: string, fs: ConfigFs): string {
  if (!word.includes('\\')) return word;
  const unescaped = word.replace(/\\([^])/g, '$1');
  try {
    fs.lstat(resolve(cwd, unescaped));
    return unescaped;
  } catch {
    return word;
  }
}
