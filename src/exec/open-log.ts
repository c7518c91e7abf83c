// Opening an existing log or rotated file for reading its data: never through a
// symlink, never a FIFO or device, and never a file with other hard links unless the
// section allows them (the data would otherwise leak or vanish through another name).
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export type Opened =
  | { readonly ok: true; readonly handle: FileHandle; readonly stats: Stats }
  | { readonly ok: false; readonly err: NodeJS.ErrnoException };

export type OpenedFd = { readonly ok: true; readonly fd: number; readonly stats: Stats } | { readonly ok: false; readonly err: NodeJS.ErrnoException };

function flagsFor(write: boolean): number {
  return (write ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NOFOLLOW | constants.O_NOCTTY | constants.O_NONBLOCK;
}

/** The fstat of an opened file, or why it must not be used. Synchronous: one fstat costs
 * less than the thread-pool round trip it would take. */
function inspect(fd: number, allowHardlink: boolean): { ok: true; stats: Stats } | { ok: false; err: NodeJS.ErrnoException } {
  const stats = fstatSync(fd);
  if (!stats.isFile() || (stats.nlink !== 1 && !allowHardlink)) {
    return { ok: false, err: Object.assign(new Error('Operation not supported'), { code: 'ENOTSUP' }) };
  }
  return { ok: true, stats };
}

/** As a FileHandle, for the steps that read and write through it (copy, mail). */
export async function openLogFile(path: string, write: boolean, allowHardlink: boolean): Promise<Opened> {
  let handle: FileHandle;
  try {
    handle = await open(path, flagsFor(write));
  } catch (err) {
    return { ok: false, err: err as NodeJS.ErrnoException };
  }
  const checked = inspect(handle.fd, allowHardlink);
  if (!checked.ok) await handle.close();
  return checked.ok ? { ok: true, handle, stats: checked.stats } : checked;
}

/** As a bare descriptor, opened synchronously (the caller closes it with closeSync):
 * opening a file costs microseconds, a trip through the thread pool and a FileHandle
 * ten times that, and runs of many small logs open little else. */
export function openLogFd(path: string, write: boolean, allowHardlink: boolean): OpenedFd {
  let fd: number;
  try {
    fd = openSync(path, flagsFor(write));
  } catch (err) {
    return { ok: false, err: err as NodeJS.ErrnoException };
  }
  const checked = inspect(fd, allowHardlink);
  if (!checked.ok) closeSync(fd);
  return checked.ok ? { ok: true, fd, stats: checked.stats } : checked;
}
