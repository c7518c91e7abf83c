// `copy` and `copytruncate`: the rotated file is a copy of the log, holes kept.
import { lstat, unlink } from 'node:fs/promises';
import { aclToCopy, createNewFile, moveOutOfTheWay, type CreateContext } from './create.js';
import { copyDurably, copyTruncateLossless, type CopyFiles } from './lossless-copytruncate.js';
import { PARTIAL_SUFFIX } from './partial-name.js';
import { openLogFile } from './open-log.js';
import { failure, OK, type Outcome } from './effects/outcome.js';
import { strerror } from '../strerror.js';

export interface CopyOptions extends CreateContext {
  /** The section's allowhardlink: copy a log that has other hard links. */
  readonly allowHardlink: boolean;
}

/** `copy`: log `from` copied to the new file `to`, which gets `from`'s mode, owner and
 * ACL; `from` is left as it is. */
export function copyLog(from: string, to: string, options: CopyOptions): Promise<Outcome> {
  return copyInto(from, to, false, options, (files) => copyDurably(files));
}

/** `copytruncate`: as `copyLog`, then exactly the copied bytes are taken out of `from`
 * (lossless copytruncate, see lossless-copytruncate.ts). */
export function copyTruncateLog(from: string, to: string, options: CopyOptions): Promise<Outcome> {
  return copyInto(from, to, true, options, (files) => copyTruncateLossless(files, options.logger));
}

/**
 * The copy is written as `to + PARTIAL_SUFFIX` and renamed once on disk: on failure
 * `from` is untouched and no partial `to` remains. `writable`: `from` is opened for
 * writing too (copytruncate changes it).
 */
async function copyInto(from: string, to: string, writable: boolean, options: CopyOptions, transfer: (files: CopyFiles) => Promise<unknown>): Promise<Outcome> {
  const source = await openLogFile(from, writable, options.allowHardlink);
  if (!source.ok) return failure(`error opening ${from}: ${strerror(source.err)}`);
  try {
    const { stats } = source;
    const acl = aclToCopy(source.handle.fd);
    // The copy is made under a partial name and renamed over `to`; logrotate creates
    // `to` itself, so a leftover file there is moved to a backup, not overwritten.
    const moved = await moveExisting(to, options);
    if (!moved.ok) return moved;
    const partial = to + PARTIAL_SUFFIX;
    const target = await createNewFile(partial, { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, acl }, options);
    if (!target.ok) return failure(target.error);
    try {
      await transfer({ src: source.handle, stats, dest: target.handle, to });
    } catch (err) {
      await unlink(partial).catch(() => undefined);
      return failure(`error copying ${from} to ${to}: ${strerror(err)}`);
    } finally {
      await target.handle.close();
    }
    return OK;
  } finally {
    await source.handle.close();
  }
}

async function moveExisting(path: string, ctx: CreateContext): Promise<Outcome> {
  try {
    await lstat(path);
  } catch {
    return OK;
  }
  try {
    await moveOutOfTheWay(path, ctx);
    return OK;
  } catch (err) {
    return failure(`error creating output file ${path}: ${strerror(err)}`);
  }
}

/** copytruncate with nothing to keep (`rotate 0` without `mail`): only empty the log. */
export async function truncateLog(path: string, allowHardlink: boolean): Promise<Outcome> {
  const log = await openLogFile(path, true, allowHardlink);
  if (!log.ok) return failure(`error opening ${path}: ${strerror(log.err)}`);
  try {
    await log.handle.truncate(0);
    return OK;
  } catch (err) {
    return failure(`error truncating ${path}: ${strerror(err)}`);
  } finally {
    await log.handle.close();
  }
}
