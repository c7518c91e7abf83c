// Writing files into a tar.gz as a stream: one file at a time, read in chunks, with
// backpressure from gzip and the output, so memory stays flat whatever the log sizes.
import { constants, createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { ManagedFile } from './managed-files.js';

export interface BundleResult {
  readonly files: number;
  readonly bytes: number;
  /** Files that could not be read (vanished mid-export, permissions): path and reason. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

const PAD_CHUNK = 64 * 1024;

export async function writeBundle(files: readonly ManagedFile[], output: Writable): Promise<BundleResult> {
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), output);
  let count = 0;
  let bytes = 0;
  const skipped: { path: string; reason: string }[] = [];
  try {
    for (const file of files) {
      const handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
        skipped.push({ path: file.path, reason: error instanceof Error ? error.message : String(error) });
        return null;
      });
      if (handle === null) continue;
      try {
        const stat = await handle.stat();
        const entry = pack.entry({
          name: file.path.replace(/^\/+/, ''),
          size: stat.size,
          mode: stat.mode & 0o7777,
          uid: stat.uid,
          gid: stat.gid,
          mtime: stat.mtime,
        });
        await pipeline(exactly(handle.fd, stat.size), entry);
        count += 1;
        bytes += stat.size;
      } finally {
        await handle.close();
      }
    }
    pack.finalize();
  } catch (error) {
    pack.destroy(error instanceof Error ? error : new Error(String(error)));
    await written.catch(() => undefined);
    throw error;
  }
  await written;
  return { files: count, bytes, skipped };
}

/** Exactly `size` bytes of the open file: a live log grows while it is read (the rest
 * waits for the next export) or is truncated by copytruncate (the gap is zero-filled), and
 * a tar entry must hold the size its header announced. */
async function* exactly(fd: number, size: number): AsyncGenerator<Buffer> {
  let sent = 0;
  if (size > 0) {
    for await (const chunk of createReadStream('', { fd, start: 0, end: size - 1, autoClose: false })) {
      const buffer = chunk as Buffer;
      sent += buffer.length;
      yield buffer;
    }
  }
  while (sent < size) {
    const length = Math.min(PAD_CHUNK, size - sent);
    sent += length;
    yield Buffer.alloc(length);
  }
}
