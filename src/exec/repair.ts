// Crash recovery's repairs of a step a killed run left half done (journal/recovery
// decides which): each returns what it found, for the warning that tells the user.
import { constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { FileAttributes } from '../config/model.js';
import type { Logger } from '../logger.js';
import { removeCopiedPrefix, stillHoldsCopy } from './lossless-copytruncate.js';

export type RepairAction =
  | { readonly kind: 'none'; readonly result: string }
  /** Removes `path` if it is there. */
  | { readonly kind: 'discard'; readonly path: string; readonly result: string }
  /** Removes the partial copy, then takes the copied bytes out of `log` if it still
   * starts with them (the copy was committed, the truncation was not done). */
  | { readonly kind: 'complete-copytruncate'; readonly partial: string; readonly log: string; readonly copy: string }
  /** A `create` killed between making the file and setting its owner and mode. */
  | { readonly kind: 'adopt'; readonly path: string; readonly attrs: Required<FileAttributes> };

export async function repair(action: RepairAction, logger: Logger): Promise<string> {
  switch (action.kind) {
    case 'none':
      return action.result;
    case 'discard':
      await rm(action.path, { force: true });
      return action.result;
    case 'complete-copytruncate':
      await rm(action.partial, { force: true });
      return completeCopyTruncate(action.log, action.copy, logger);
    case 'adopt':
      return (await adopt(action.path, action.attrs)) ? `${action.path} given its owner and mode` : 'nothing to repair';
  }
}

/** The copy is on disk; the log may still hold the copied bytes at its start. */
async function completeCopyTruncate(log: string, copyPath: string, logger: Logger): Promise<string> {
  const live = await open(log, constants.O_RDWR | constants.O_NOFOLLOW);
  const copy = await open(copyPath, constants.O_RDWR | constants.O_NOFOLLOW);
  try {
    const copied = (await copy.stat()).size;
    if (!(await stillHoldsCopy(live, copy, copied))) return 'copytruncate had completed';
    await removeCopiedPrefix({ src: live, dest: copy, to: copyPath, copied, committed: true }, logger);
    return 'copytruncate completed: the copied prefix was taken out of the log';
  } finally {
    await live.close();
    await copy.close();
  }
}

/** A `create` killed between making the file and setting its owner and mode. */
async function adopt(path: string, attrs: { readonly mode: number; readonly uid: number; readonly gid: number }): Promise<boolean> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
  if (handle === null) return false;
  try {
    if (!(await handle.stat()).isFile()) return false;
    await handle.chown(attrs.uid, attrs.gid);
    await handle.chmod(attrs.mode);
    return true;
  } finally {
    await handle.close();
  }
}
