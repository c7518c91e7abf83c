// In-process gzip of one file, streaming. Replaced by the parallel version (issue 6).
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** Compress the file open at `inputFd` into `outputFd` (both left open). */
export async function gzipFd(inputFd: number, outputFd: number, level: number): Promise<void> {
  await pipeline(
    createReadStream('', { fd: inputFd, autoClose: false, start: 0 }),
    createGzip({ level }),
    createWriteStream('', { fd: outputFd, autoClose: false }),
  );
}
