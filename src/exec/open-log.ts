// Opening an existing log or rotated file for reading its data: never through a
// symlink, never a FIFO or device, and never a file with other hard links unless the
// section allows them (the data would otherwise leak or vanish through another name).
import { constants, fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export type Opened =
  | { readonly ok: true; readonly handle: FileHandle; readonly stats: Stats }
  | { readonly ok: false; readonly err: NodeJS.ErrnoException };

export async function openLogFile(path: string, write: boolean, allowHardlink: boolean): Promise<Opened> {
  const flags =
    (write ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NOFOLLOW | constants.O_NOCTTY | constants.O_NONBLOCK;
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (err) {
    return { ok: false, err: err as NodeJS.ErrnoException };
  }
  // Synchronous: one fstat costs less than the thread-pool round trip it would take.
  const stats = fstatSync(handle.fd);
  if (!stats.isFile() || (stats.nlink !== 1 && !allowHardlink)) {
    await handle.close();
    return { ok: false, err: Object.assign(new Error('Operation not supported'), { code: 'ENOTSUP' }) };
  }
  return { ok: true, handle, stats };
}
