// In-process gzip of one file, parallel across cores, as ONE gzip member
// (what pigz writes): the input is cut into blocks, each block is deflated on
// libuv's thread pool primed with the previous block's last 32 KiB as its
// dictionary and ended with a sync flush (byte-aligned, not final), so the raw
// outputs concatenate into a single deflate stream. Priming keeps the ratio
// within a fraction of a percent of one sequential `gzip -6`; a plain
// concatenation of independent members would lose the window at every block.
// Memory is bounded by the number of blocks in flight, never the file size.
import { fstatSync, fsync, read, readSync, write, writeSync, writev } from 'node:fs';
import { availableParallelism } from 'node:os';
import { constants, crc32, createDeflateRaw, deflateRaw } from 'node:zlib';
import { gzipHeader, gzipTrailer } from './gzip-format.js';
import { cpuLimiter } from './limit.js';

const WINDOW = 32 * 1024;
// 256 KiB rather than 1 MiB: on a 1 GiB log, 1 MiB blocks peaked ~8 MB higher
// (more output garbage between collections), while the extra dictionary
// priming at 256 KiB costs under 0.1% in size.
const DEFAULT_BLOCK = 256 * 1024;
/**
 * Deflate output buffer size. Each block's output (~40 KiB for text at
 * 256 KiB) lands in fresh buffers freed only by the GC, so a large chunk
 * mostly allocates slack.
 */
const OUTPUT_CHUNK = 16 * 1024;
/** Up to this size (and one block) a file is compressed in one piece, with one call. */
const SMALL = 256 * 1024;
export interface GzipOptions {
  /** Bytes of input per parallel job (default 256 KiB). */
  readonly blockSize?: number;
  /** fsync the output before returning. */
  readonly durable?: boolean;
}

/**
 * Compress the whole file open at `inputFd` (read from offset 0 by position,
 * so its file offset is untouched) into `outputFd` at that fd's current
 * offset. Both fds are left open. The header carries the input's mtime,
 * as `gzip < file` does.
 */
export async function gzipFd(inputFd: number, outputFd: number, level: number, options: GzipOptions = {}): Promise<void> {
  const blockSize = options.blockSize ?? DEFAULT_BLOCK;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`gzip level must be 0-9, got ${level}`);
  if (!Number.isInteger(blockSize) || blockSize < WINDOW) throw new RangeError(`gzip block size must be at least ${WINDOW}`);
  // One block per core: an extra block read ahead bought no speed on a 1 GiB log
  // but kept one more block and its output alive.
  const depth = availableParallelism();
  const durable = options.durable === true;
  const stats = fstatSync(inputFd);
  const mtime = Math.floor(stats.mtimeMs / 1000);
  if (stats.size <= Math.min(SMALL, blockSize)) {
    // A small file is deflated whole, in one call on the thread pool; the finishing
    // steps of several logs overlap (finish-pool.ts), which keeps the cores busy.
    const compressed = await cpuLimiter.run(() => gzipWhole(inputFd, outputFd, level, stats.size, mtime));
    if (compressed) {
      if (durable) await fsyncAsync(outputFd);
      return;
    }
    // It grew while being read: the general path reads it to its end.
  }
  await writeAll(outputFd, gzipHeader(level, mtime));

  const pending: Promise<Buffer[]>[] = [];
  // Input buffers are recycled: fresh 1 MiB buffers per block are only freed
  // when the GC gets round to them, which added ~20 MB to peak RSS on 1 GiB.
  const ring = new BufferRing(depth + 1);
  let blocks = 0;
  let crc = 0;
  let length = 0;
  let previous: Buffer | undefined;
  let eof = false;
  while (!eof || pending.length > 0) {
    while (!eof && pending.length < depth) {
      // Sized from fstat so small files do not allocate whole blocks; a file
      // that grows is still read to its end, WINDOW bytes at a time at worst.
      const want = Math.min(blockSize, Math.max(stats.size - length, WINDOW));
      const block = await readBlock(inputFd, length, ring.buffer(blocks, want));
      blocks += 1;
      if (block.length === 0) {
        eof = true;
        break;
      }
      crc = crc32(block, crc);
      length += block.length;
      const dictionary = previous?.subarray(Math.max(0, previous.length - WINDOW));
      const job = cpuLimiter.run(() => deflateBlock(block, level, dictionary));
      // Awaited in order below; this only stops an early failure from being reported as unhandled.
      job.catch(() => undefined);
      pending.push(job);
      previous = block;
    }
    const next = pending.shift();
    if (next) await writeChunks(outputFd, await next);
  }
  await writeAll(outputFd, gzipTrailer(crc, length));
  if (durable) await fsyncAsync(outputFd);
}

/**
 * One gzip member of a small file, written in one piece. Read only once a slot is free,
 * so no more files are held in memory than are being deflated. False, with nothing
 * written, when the file holds more than `size` bytes (it grew since its fstat).
 */
async function gzipWhole(inputFd: number, outputFd: number, level: number, size: number, mtime: number): Promise<boolean> {
  const data = readWholeSync(inputFd, size);
  if (data === null) return false;
  const body = await deflateWhole(data, level);
  writeAllSync(outputFd, Buffer.concat([gzipHeader(level, mtime), body, gzipTrailer(crc32(data), data.length)]));
  return true;
}

/** The whole file at `fd`, read by position from 0; null when it holds more than `size`
 * bytes. */
function readWholeSync(fd: number, size: number): Buffer | null {
  const whole = Buffer.allocUnsafe(size + 1);
  let filled = 0;
  for (let n = -1; n !== 0 && filled < whole.length; filled += n) n = readSync(fd, whole, filled, whole.length - filled, filled);
  return filled > size ? null : whole.subarray(0, filled);
}

function writeAllSync(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done);
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * The raw deflate of one block, as the stream's own chunks: joining them
 * would add a copy per block, and freed buffers only return to the system
 * when the GC runs, so every avoided copy lowers peak RSS.
 */
function deflateBlock(block: Buffer, level: number, dictionary: Buffer | undefined): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = createDeflateRaw({
      level,
      finishFlush: constants.Z_SYNC_FLUSH,
      chunkSize: OUTPUT_CHUNK,
      ...(dictionary ? { dictionary } : {}),
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(chunks));
    stream.end(block);
  });
}

function deflateWhole(data: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    deflateRaw(data, { level, finishFlush: constants.Z_SYNC_FLUSH }, (err, body) => (err ? reject(err) : resolve(body))),
  );
}

/**
 * Block n's buffer is reused for block n + slots. That is safe because when
 * block n + slots is read, at most slots - 2 jobs are in flight, all for blocks
 * after n, and the dictionary comes from block n + slots - 1.
 */
class BufferRing {
  private readonly buffers: Buffer[] = [];

  constructor(private readonly slots: number) {}

  buffer(blockIndex: number, size: number): Buffer {
    const slot = blockIndex % this.slots;
    const existing = this.buffers[slot];
    if (existing && existing.length >= size) return existing.subarray(0, size);
    const fresh = Buffer.allocUnsafe(size);
    this.buffers[slot] = fresh;
    return fresh;
  }
}

async function readBlock(fd: number, position: number, buffer: Buffer): Promise<Buffer> {
  const size = buffer.length;
  let filled = 0;
  while (filled < size) {
    const n = await new Promise<number>((resolve, reject) =>
      read(fd, buffer, filled, size - filled, position + filled, (err, bytes) => (err ? reject(err) : resolve(bytes))),
    );
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

async function writeAll(fd: number, data: Buffer): Promise<void> {
  let done = 0;
  while (done < data.length) {
    done += await new Promise<number>((resolve, reject) =>
      write(fd, data, done, data.length - done, null, (err, bytes) => (err ? reject(err) : resolve(bytes))),
    );
  }
}

/** One block's output in one system call when the kernel takes it all, as it does for regular files. */
async function writeChunks(fd: number, chunks: Buffer[]): Promise<void> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const written = await new Promise<number>((resolve, reject) =>
    writev(fd, chunks, (err, bytes) => (err ? reject(err) : resolve(bytes))),
  );
  if (written < total) await writeAll(fd, Buffer.concat(chunks).subarray(written));
}
