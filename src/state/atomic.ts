// Replacing a small file so that a reader, or the file after a crash, has the old
// content or the new one and never a mix: write a temporary file beside it, fsync it,
// rename it over the file, fsync the directory.
import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorCode, strerror } from '../strerror.js';

/** Null when the file was replaced; otherwise why not, in words (to follow `cannot write
 * PATH: `). The temporary
 * file is `PATH.tmp`: not matched by readers that pick files by extension (node_exporter
 * reads `*.prom`). */
export function replaceFile(path: string, content: string, mode: number): string | null {
  const tmp = `${path}.tmp`;
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
  } catch (err) {
    return errorCode(err) === 'ENOENT' ? `directory ${dirname(path)} does not exist` : `${strerror(err)} (creating ${tmp})`;
  }
  let renamed = false;
  try {
    const data = Buffer.from(content, 'utf8');
    for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
    renameSync(tmp, path);
    renamed = true;
  } catch (err) {
    return `${strerror(err)} (writing ${tmp})`;
  } finally {
    closeSync(fd);
    if (!renamed) removeQuietly(tmp);
  }
  syncDirectory(dirname(path));
  return null;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // The failure that led here is reported; a leftover is replaced next time.
  }
}

/** Make a rename durable. Best effort: the new file is in place either way. */
export function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; nothing more can be done.
  }
}
