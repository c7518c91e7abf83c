// Real-world configs (Debian packages' logrotate.d files) made safe to run in a temp tree:
// every path moved under @ROOT@, scripts replaced by recording hooks, owners this machine
// lacks mapped to root; and the logs they name created with varied sizes, rotated
// siblings and old state dates.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hookScript, ROOT_TOKEN, type EntrySpec, type StateEntry } from './tree.js';

const SCRIPT_KEYWORDS = new Set(['prerotate', 'postrotate', 'firstaction', 'lastaction', 'preremove']);
// Programs, not files of the config: they must keep pointing at this machine's binaries.
const PROGRAM_KEYWORDS = new Set(['compresscmd', 'uncompresscmd']);
const OWNER_KEYWORDS = new Set(['create', 'su', 'createolddir']);
const DAY = 86_400;
const KIB = 1024;

const accounts = (file: string): Set<string> =>
  new Set(readFileSync(file, 'utf8').split('\n').map((line) => line.split(':')[0] ?? ''));
const USERS = accounts('/etc/passwd');
const GROUPS = accounts('/etc/group');

export interface Rewritten {
  readonly config: string;
  /** File-list words as they will be after the rewrite (absolute, under `base`). */
  readonly words: readonly string[];
  /** `olddir` values after the rewrite, as written (absolute under `base`, or relative). */
  readonly olddirs: readonly string[];
}

/** Moves every absolute path under `base` (@ROOT@ or a directory in it), replaces scripts
 * by recording hooks and owners this machine lacks by root, so that the same sections
 * survive parsing. */
export function rewriteConfig(text: string, base = ROOT_TOKEN): Rewritten {
  const out: string[] = [];
  const words: string[] = [];
  const olddirs: string[] = [];
  let inScript = false;
  let inSection = false;
  for (const line of text.split('\n')) {
    const first = /^\s*([a-z]+)/.exec(line)?.[1] ?? '';
    if (inScript) {
      if (first === 'endscript') {
        out.push(line);
        inScript = false;
      }
      continue;
    }
    if (SCRIPT_KEYWORDS.has(first)) {
      out.push(`${line.slice(0, line.indexOf(first) + first.length)}${hookScript(first)}`);
      inScript = true;
      continue;
    }
    if (/^\s*#/.test(line) || PROGRAM_KEYWORDS.has(first)) {
      out.push(line);
      continue;
    }
    let moved = line.replace(/(^|[\s"'])\/(?=\w)/g, `$1${base}/`);
    if (OWNER_KEYWORDS.has(first)) {
      moved = moved.replace(/\S+/g, (token, offset: number) =>
        offset === moved.indexOf(first) || /^\d+$/.test(token) || USERS.has(token) || GROUPS.has(token) ? token : 'root',
      );
    }
    const olddir = /^\s*olddir\s+(\S+)/.exec(moved)?.[1];
    if (olddir !== undefined) olddirs.push(olddir);
    if (!inSection && /^\s*["'/@]/.test(moved)) {
      words.push(...moved.replace(/[{"']/g, ' ').split(/\s+/).filter((w) => w.startsWith(`${ROOT_TOKEN}/`)));
    }
    if (moved.includes('{')) inSection = true;
    if (/^\s*}/.test(moved)) inSection = false;
    out.push(moved);
  }
  return { config: out.join('\n'), words, olddirs };
}

export interface LogShape {
  /** Log sizes, cycled through; a cycle length prime to the ages' so they combine differently. */
  readonly sizes: readonly number[];
  /** Also create rotated siblings (numbered, compressed, dated) for two logs in three. */
  readonly rotated: boolean;
}

/** Sparse sizes around every threshold real configs use, up to 600 MiB: for `-d` runs. */
export const DEBUG_SIZES: readonly number[] = [0, 20, 150 * KIB, 2 * KIB * KIB, 12 * KIB * KIB, 600 * KIB * KIB, 60 * KIB * KIB];
const AGES_IN_DAYS: readonly (number | null)[] = [null, 0.5, 2, 8, 40, 400];

/** A few rotated generations of `path` as a previous rotation would have left them. */
function rotatedSiblings(path: string, i: number, now: number): EntrySpec[] {
  const file = (suffix: string, days: number): EntrySpec => ({
    kind: 'file',
    path: `${path}${suffix}`,
    content: suffix.endsWith('.gz') ? gzipSync(`${path}${suffix} old\n`) : `${path}${suffix} old\n`,
    mtime: now - days * DAY,
  });
  switch (i % 3) {
    case 0:
      return [file('.1', 1), file('.2.gz', 9), file('.3.gz', 100)];
    case 1:
      return [file('.1.gz', 3), file('-20200101', 1500), file('-20200102.gz', 1499)];
    default:
      return [];
  }
}

/** Log files and state for the file-list words: each glob gets two matches, every
 * fifth log is left missing. `counter` runs on across calls so configs differ. */
export function logsFor(
  words: readonly string[],
  now: number,
  counter: { next: number },
  shape: LogShape = { sizes: DEBUG_SIZES, rotated: false },
): { entries: EntrySpec[]; state: StateEntry[] } {
  const entries: EntrySpec[] = [];
  const state: StateEntry[] = [];
  for (const word of words) {
    const names = word.includes('*') ? ['alpha', 'beta'].map((v) => word.replaceAll('*', v)) : [word];
    for (const name of names) {
      const i = counter.next++;
      const path = name.replace(`${ROOT_TOKEN}/`, '');
      if (i % 5 !== 4) {
        // Written a while ago, so that a log the run leaves alone is told apart from one it wrote.
        const mtime = now - 600;
        entries.push({ kind: 'file', path, content: shape.rotated ? `${path} line\n` : '', size: shape.sizes[i % shape.sizes.length] ?? 0, mtime });
        if (shape.rotated) entries.push(...rotatedSiblings(path, i, now));
      }
      const age = AGES_IN_DAYS[i % AGES_IN_DAYS.length] ?? null;
      if (age !== null) state.push({ path: name, time: Math.floor(now - age * DAY) });
    }
  }
  return { entries, state };
}

export interface Installed {
  readonly config: string;
  readonly entries: EntrySpec[];
  readonly state: StateEntry[];
}

/** A real-world config text rewritten so its paths lie under `base`, with the logs it
 * names and the olddirs it needs (olddir must exist when the section closes, or the file
 * is dropped). */
export function installConfig(text: string, base: string, shape: LogShape, counter: { next: number }, now: number): Installed {
  const { config, words, olddirs } = rewriteConfig(text, base);
  const { entries, state } = logsFor(words, now, counter, shape);
  const relative = (path: string): string => path.replace(`${ROOT_TOKEN}/`, '');
  const logDirs = [...new Set(words.map((w) => dirname(relative(w))))];
  for (const olddir of olddirs) {
    const paths = olddir.startsWith(`${ROOT_TOKEN}/`) ? [relative(olddir)] : logDirs.map((d) => join(d, olddir));
    entries.push(...paths.map((path): EntrySpec => ({ kind: 'dir', path })));
  }
  return { config, entries, state };
}
