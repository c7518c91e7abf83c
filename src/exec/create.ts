// Creating a file that must not exist yet (new log, rotated copy, compressed output),
// in the order of logrotate's createOutputFile so the file is never more open than
// owner read/write before it has its final owner and permissions.
import { closeSync, constants, fchmodSync, fchownSync, fstatSync, openSync } from 'node:fs';
import { link, open, unlink, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import { applyAcl, readExtendedAcl, type Acl } from '../native/acl.js';
import { forkAsRoot } from './su.js';
import { strerror } from '../strerror.js';

export interface NewFile {
  /** Permission bits (& 07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** ACL copied from the source file (see `aclToCopy`); when set it replaces `mode`. */
  readonly acl: Acl | null;
}

export interface CreateContext {
  readonly logger: Logger;
  /** The run's clock: names the backup of a file found in the way. */
  readonly now: Date;
}

export type Created = { readonly ok: true; readonly handle: FileHandle } | { readonly ok: false; readonly error: string };
export type CreatedFd = { readonly ok: true; readonly fd: number } | { readonly ok: false; readonly error: string };

const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Opens `path` as a new file (mode `spec.mode & 0600` until settled) with `openNew`; a
 * file in the way is moved to a backup first, as logrotate does. */
async function openFresh<T>(path: string, spec: NewFile, ctx: CreateContext, openNew: (path: string, mode: number) => T | Promise<T>): Promise<T | string> {
  const privateMode = spec.mode & 0o600;
  try {
    return await openNew(path, privateMode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return `error creating output file ${path}: ${strerror(err)}`;
    try {
      await moveOutOfTheWay(path, ctx);
      return await openNew(path, privateMode);
    } catch (retryErr) {
      return `error creating output file ${path}: ${strerror(retryErr)}`;
    }
  }
}

/** Open `path` for writing as a brand-new file with the attributes of `spec`, as a
 * FileHandle (for copies, which read and write through it). */
export async function createNewFile(path: string, spec: NewFile, ctx: CreateContext): Promise<Created> {
  const handle = await openFresh(path, spec, ctx, (p, mode) => open(p, CREATE_FLAGS, mode));
  if (typeof handle === 'string') return { ok: false, error: handle };
  const error = settle(handle.fd, path, spec);
  if (error === null) return { ok: true, handle };
  await handle.close();
  return { ok: false, error };
}

/** The same as a bare descriptor, opened synchronously (the caller closes it with
 * closeSync): a new log or compressed file costs no trip through the thread pool. */
export async function createNewFd(path: string, spec: NewFile, ctx: CreateContext): Promise<CreatedFd> {
  const fd = await openFresh(path, spec, ctx, (p, mode) => openSync(p, CREATE_FLAGS, mode));
  if (typeof fd === 'string') return { ok: false, error: fd };
  const error = settle(fd, path, spec);
  if (error === null) return { ok: true, fd };
  closeSync(fd);
  return { ok: false, error };
}

/** logrotate renames a file found where it creates one to `PATH-YYYYMMDDHH.backup`. */
export async function moveOutOfTheWay(path: string, ctx: CreateContext): Promise<void> {
  const backup = await moveAside(path, `${path}-${hourStamp(ctx.now)}`);
  // Printed as an error, yet logrotate's exit status does not change: the new file is still made.
  ctx.logger.error(`destination ${path} already exists, renaming to ${backup}`);
}

/** Moves `path` to `STEM.backup`, or `STEM-2.backup`, … when that is taken: logrotate
 * overwrites an earlier backup of the same hour, and with it the lines it held. */
async function moveAside(path: string, stem: string): Promise<string> {
  for (let n = 1; ; n++) {
    const backup = `${stem}${n === 1 ? '' : `-${n}`}.backup`;
    try {
      await link(path, backup);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await unlink(path);
    return backup;
  }
}

/** Mode and owner are set on the open descriptor synchronously: four calls of microseconds
 * each, which through the thread pool cost a round trip apiece for every file made. */
function settle(fd: number, path: string, spec: NewFile): string | null {
  try {
    fchmodSync(fd, spec.mode & 0o600);
  } catch (err) {
    return `error setting mode of ${path}: ${strerror(err)}`;
  }
  const made = fstatSync(fd);
  if (process.geteuid?.() === 0 && (made.uid !== spec.uid || made.gid !== spec.gid)) {
    try {
      fchownSync(fd, spec.uid, spec.gid);
    } catch (err) {
      return `error setting owner of ${path} to uid ${spec.uid} and gid ${spec.gid}: ${strerror(err)}`;
    }
  }
  // As in logrotate, an ACL that cannot be applied falls back to the plain mode.
  const acl = spec.acl;
  if (acl !== null && forkAsRoot(() => applyAcl(fd, acl)) === null) return null;
  try {
    fchmodSync(fd, spec.mode & 0o7777);
  } catch (err) {
    return `error setting mode of ${path}: ${strerror(err)}`;
  }
  return null;
}

/** The extended ACL of an open source file, to hand on to the file made from it; null
 * when it has none or it cannot be read (unsupported ACLs are ignored, as logrotate does). */
export function aclToCopy(fd: number): Acl | null {
  const read = forkAsRoot(() => readExtendedAcl(fd));
  return read.kind === 'acl' ? read.acl : null;
}

/** `YYYYMMDDHH` in local time, logrotate's backup-name stamp. */
function hourStamp(now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}${two(now.getHours())}`;
}
