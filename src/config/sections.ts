// A section's file list: split into words, globbed, directories dropped, and each path
// claimed for this section unless an earlier section already owns it.
import { posix } from 'node:path';
import { strerror } from '../strerror.js';
import type { LoadContext, PendingSection } from './context.js';
import { report } from './context.js';
import { expandTilde, expandWord } from './glob.js';
import type { SourceLocation } from './model.js';
import { splitWords } from './words.js';

const MAX_WORD = 2048;

export type Expansion =
  | { readonly kind: 'fatal'; readonly text: string }
  /** failed: a duplicate or an over-long word (the file fails, the section stays).
   * globFailure: an unreadable directory, fatal at `}` unless the section sets missingok. */
  | { readonly kind: 'ok'; readonly failed: boolean; readonly globFailure: string | null };

function isDirectory(ctx: LoadContext, path: string): boolean {
  try {
    return ctx.fs.lstat(path.startsWith('/') ? path : posix.resolve(ctx.cwd, path)).kind === 'dir';
  } catch {
    return false;
  }
}

/** Adds one match to the section; false when it duplicates a non-ignoring owner. */
function claim(ctx: LoadContext, section: PendingSection, path: string, word: number, at: SourceLocation): boolean {
  const owner = ctx.owners.get(path);
  if (owner === undefined) {
    section.files.push(path);
    section.fileWords.push(word);
    ctx.owners.set(path, section);
    return true;
  }
  if (owner.options.ignoreDuplicates) {
    report(ctx, 'debug', `ignore duplicate log entry for ${path}`, at);
    return true;
  }
  report(ctx, 'error', `duplicate log entry for ${path}`, at);
  return false;
}

export function expandFileList(ctx: LoadContext, section: PendingSection, at: SourceLocation): Expansion {
  const words = splitWords(section.pattern);
  if (words === null) return { kind: 'fatal', text: 'error parsing filename' };
  let failed = false;
  let globFailure: string | null = null;
  for (const [index, word] of words.entries()) {
    // Like logrotate, only the last word's glob error is remembered.
    globFailure = null;
    if (word.length > MAX_WORD) {
      report(ctx, 'error', `glob too long (${word.length} > ${MAX_WORD})`, at);
      failed = true;
      continue;
    }
    const result = expandWord(expandTilde(word, ctx.home, ctx.accounts), ctx.cwd, ctx.fs);
    if (!result.ok) {
      if (section.options.missingOk) continue;
      globFailure = `glob failed for ${word}: ${strerror(result.error)}`;
      report(ctx, 'debug', globFailure, at);
      continue;
    }
    for (const path of result.paths) {
      if (isDirectory(ctx, path)) continue;
      if (!claim(ctx, section, path, index, at)) {
        failed = true;
        break;
      }
    }
  }
  return { kind: 'ok', failed, globFailure };
}
