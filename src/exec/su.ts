// `su USER GROUP`: the section's file operations run with the su user's effective ids.
// glibc applies seteuid/setegid to every thread, so libuv's thread pool (where the
// async fs calls run) acts as the su user too. Children are a different matter: a
// child forked while the euid is not 0 cannot change its ids, so every spawn happens
// with root ids restored for the instant of the fork (see `forkAsRoot`). Under -v each
// switch is announced as logrotate announces it, its children's switches included.
import type { ChildProcess } from 'node:child_process';
import type { SuIdentity } from '../config/model.js';
import type { Logger } from '../logger.js';
import { failure, OK, type Outcome } from './effects/outcome.js';
import { strerror } from '../strerror.js';

let current: SuIdentity | null = null;
/** The ids before the su identity was taken: what leaving it, and a child that runs as
 * root, switch back to. */
let saved = { uid: 0, gid: 0 };
/** The su identity was taken by an actual switch (not already in effect). */
let switched = false;

/** Take the su identity for the section's file operations. */
export function enterIdentity(su: SuIdentity, logger: Logger): Outcome {
  const fromUid = process.geteuid?.() ?? 0;
  const fromGid = process.getegid?.() ?? 0;
  current = su;
  saved = { uid: fromUid, gid: fromGid };
  switched = false;
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
  switched = true;
  return OK;
}

/** The su identity is in effect already. */
export function inIdentity(su: SuIdentity): boolean {
  return current !== null && current.uid === su.uid && current.gid === su.gid;
}

/** Back to root after the section; logrotate says so under -v when it had switched. */
export function leaveIdentity(logger: Logger): void {
  if (current === null) return;
  if (switched) logger.debug(`switching ${backFrom(current)} (pid ${process.pid})`);
  current = null;
  switched = false;
  restoreRoot();
}

function backFrom(su: SuIdentity): string {
  return `euid from ${su.uid} to ${saved.uid} and egid from ${su.gid} to ${saved.gid}`;
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

/** Spawns a child that runs as root (a script, the mail program). Under su, logrotate's
 * child says how it switches back; so does this, with the child's pid. */
export function spawnAsRoot(logger: Logger, spawnChild: () => ChildProcess): ChildProcess {
  const child = forkAsRoot(spawnChild);
  const su = current;
  if (su !== null && (su.uid !== saved.uid || su.gid !== saved.gid) && child.pid !== undefined) {
    logger.debug(`switching ${backFrom(su)} (pid ${child.pid})`);
  }
  return child;
}

/** Spawns a data-handling child dropped to the su user for good (`childIdentity`), and
 * says so as logrotate's child does. */
export function spawnAsSuUser(logger: Logger, spawnChild: (identity: { uid?: number; gid?: number }) => ChildProcess): ChildProcess {
  const child = forkAsRoot(() => spawnChild(childIdentity()));
  if (child.pid !== undefined) announcePermanentSwitch(logger, child.pid);
  return child;
}

/** logrotate's `switching uid to U and gid to G permanently (pid P)`, printed by each
 * compress, uncompress and shred child under su (not when the process's real ids are
 * those already). The in-process gzip, which has no child, prints it on its own behalf. */
export function announcePermanentSwitch(logger: Logger, pid: number): void {
  const su = current;
  if (su === null || (process.getuid?.() === su.uid && process.getgid?.() === su.gid)) return;
  logger.debug(`switching uid to ${su.uid} and gid to ${su.gid} permanently (pid ${pid})`);
}
