// Small files, compressed whole with plain synchronous calls: on a worker thread
// (gzip-workers.ts), where a run of many small logs would otherwise spend more of its
// main thread on zlib's stream machinery and thread-pool round trips than the
// compression costs. The output is the same single gzip member gzip.ts writes.
import { fstatSync, readSync, writeSync } from 'node:fs';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** A final deflate block with no data (fixed Huffman, just end-of-block). */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

export function gzipHeader(level: number, mtime: number): Buffer {
  const bytes = Buffer.alloc(10);
  bytes.writeUInt16BE(0x1f8b, 0);
  bytes[2] = 8; // deflate
  bytes.writeUInt32LE(mtime >>> 0, 4);
  bytes[8] = level === 9 ? 2 : level === 1 ? 4 : 0; // XFL, as gzip sets it
  bytes[9] = 3; // OS: Unix
  return bytes;
}

/** The deflate stream's end (the body is sync-flushed, not final) and gzip's trailer. */
export function gzipTrailer(crc: number, length: number): Buffer {
  const bytes = Buffer.alloc(10);
  FINAL_EMPTY_BLOCK.copy(bytes, 0);
  bytes.writeUInt32LE(crc >>> 0, 2);
  bytes.writeUInt32LE(length % 2 ** 32, 6); // ISIZE is the length modulo 2^32
  return bytes;
}

export interface SmallJob {
  readonly input: number;
  readonly output: number;
  readonly level: number;
  /** Bytes the caller found by fstat: a file that holds more when read is not done here. */
  readonly size: number;
}

/** The whole file at `fd`, read by position from 0; null when it holds more than `size`
 * bytes (it grew since its fstat). */
export function readWholeSync(fd: number, size: number): Buffer | null {
  const whole = Buffer.allocUnsafe(size + 1);
  let filled = 0;
  for (let n = -1; n !== 0 && filled < whole.length; filled += n) n = readSync(fd, whole, filled, whole.length - filled, filled);
  return filled > size ? null : whole.subarray(0, filled);
}

/** One gzip member of `data` whose raw deflate body is `body`. */
export function gzipMember(data: Buffer, body: Buffer, level: number, mtime: number): Buffer {
  return Buffer.concat([gzipHeader(level, mtime), body, gzipTrailer(crc32(data), data.length)]);
}

export function writeAllSync(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done);
}

/** The input's mtime in whole seconds, for the header (as `gzip < file` writes it). */
export function mtimeOf(fd: number): number {
  return Math.floor(fstatSync(fd).mtimeMs / 1000);
}

/**
 * Compresses the file open at `input` (read by position from 0) into `output` (at its
 * offset). False, with nothing written, when the file grew past `size` meanwhile: the
 * caller's streaming path then reads it to its end.
 */
export function gzipSmallSync(job: SmallJob): boolean {
  const data = readWholeSync(job.input, job.size);
  if (data === null) return false;
  const body = deflateRawSync(data, { level: job.level, finishFlush: constants.Z_SYNC_FLUSH });
  writeAllSync(job.output, gzipMember(data, body, job.level, mtimeOf(job.input)));
  return true;
}
