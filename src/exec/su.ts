// `su USER GROUP`: the section's file operations run with the su user's effective ids.
// glibc applies seteuid/setegid to every thread, so libuv's thread pool (where the
// async fs calls run) acts as the su user too. Children are a different matter: a
// child forked while the euid is not 0 cannot change its ids, so every spawn happens
// with root ids restored for the instant of the fork (see `forkAsRoot`).
import type { SuIdentity } from '../config/model.js';
import type { Logger } from '../logger.js';
import { failure, OK, type Outcome } from './effects/outcome.js';
import { strerror } from '../strerror.js';

let current: SuIdentity | null = null;

/** Take the su identity for the section's file operations. */
export function enterIdentity(su: SuIdentity, logger: Logger): Outcome {
  const fromUid = process.geteuid?.() ?? 0;
  const fromGid = process.getegid?.() ?? 0;
  current = su;
  // logrotate neither switches nor says so when the ids are those in effect already.
  if (fromUid === su.uid && fromGid === su.gid) return OK;
  const what = `euid from ${fromUid} to ${su.uid} and egid from ${fromGid} to ${su.gid} (pid ${process.pid})`;
  logger.debug(`switching ${what}`);
  try {
    process.setegid?.(su.gid);
    process.seteuid?.(su.uid);
  } catch (err) {
    current = null;
    restoreRoot();
    return failure(`error switching ${what}: ${strerror(err)}`);
  }
  return OK;
}

/** The su identity is in effect already. */
export function inIdentity(su: SuIdentity): boolean {
  return current !== null && current.uid === su.uid && current.gid === su.gid;
}

/** Back to root after the section. */
export function leaveIdentity(): void {
  if (current === null) return;
  current = null;
  restoreRoot();
}

function restoreRoot(): void {
  process.seteuid?.(0);
  process.setegid?.(0);
}

/** Run `fork` (a synchronous spawn) with root ids, then return to the su identity. */
export function forkAsRoot<T>(fork: () => T): T {
  const su = current;
  if (su === null) return fork();
  restoreRoot();
  try {
    return fork();
  } finally {
    process.setegid?.(su.gid);
    process.seteuid?.(su.uid);
  }
}

/** Spawn options that drop a data-handling child (compress, uncompress, shred) to the
 * su user for good, as logrotate does; empty when no su is in effect. */
export function childIdentity(): { uid?: number; gid?: number } {
  return current === null ? {} : { uid: current.uid, gid: current.gid };
}
