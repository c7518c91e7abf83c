// copy and copytruncate that never lose or duplicate a line of a log that is being
// written (see docs/durability.md for the design):
// - the rotated copy is written under a temporary name, fsynced, then renamed into place,
//   so a crash never leaves a partial rotation under the final name;
// - copytruncate removes exactly the copied prefix from the live file with
//   FALLOC_FL_COLLAPSE_RANGE instead of truncating it, so lines appended meanwhile stay;
// - a reflink clone replaces the data copy where the filesystem shares blocks.
import { constants, type Stats } from 'node:fs';
import { open, rename, statfs, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { syscalls } from '../native/syscalls.js';
import { PARTIAL_SUFFIX } from './partial-name.js';

/** statfs f_type of filesystems that implement FALLOC_FL_COLLAPSE_RANGE. */
const COLLAPSE_FILESYSTEMS: ReadonlySet<number> = new Set([
  0xef53, // ext4 (and ext2/3 mounted by the ext4 driver)
  0x58465342, // XFS
  0xf2f52010, // F2FS
]);

/** Also the granularity at which runs of zeros are left as holes. */
const CHUNK = 64 * 1024;
/** A fast writer could keep the copy chasing the end of the file forever. */
const MAX_CATCH_UP_PASSES = 4;

/** The open ends of one copy. The caller opened the log (O_NOFOLLOW, link checks) and
 * created `to + PARTIAL_SUFFIX` with the rotated file's owner, mode and ACL; it closes
 * both, and removes the partial file when this throws. */
export interface CopyFiles {
  readonly src: FileHandle;
  readonly stats: Stats;
  readonly dest: FileHandle;
  /** The final name, which the copy gets once it is complete and on disk. */
  readonly to: string;
}

export interface CopyOutcome {
  /** Bytes in the rotated copy, which are exactly the bytes taken out of the live file. */
  readonly copied: number;
  readonly method: 'collapse' | 'truncate' | 'copy';
  readonly reflinked: boolean;
}

const ZEROS = Buffer.alloc(CHUNK);

/** Copies src[from, to) to the same offsets of dest. All-zero chunks are not written, so
 * holes of a sparse log stay holes; `commit` sets the final length. */
async function copyRange(src: FileHandle, dest: FileHandle, from: number, to: number): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(to - from, 1)));
  for (let position = from; position < to; ) {
    const { bytesRead } = await src.read(buffer, 0, Math.min(buffer.length, to - position), position);
    if (bytesRead === 0) throw Object.assign(new Error('the log shrank while it was being copied'), { code: 'EIO' });
    const chunk = buffer.subarray(0, bytesRead);
    if (!chunk.equals(ZEROS.subarray(0, bytesRead))) await writeAll(dest, chunk, position);
    position += bytesRead;
  }
}

async function writeAll(dest: FileHandle, chunk: Buffer, position: number): Promise<void> {
  for (let done = 0; done < chunk.length; ) {
    const { bytesWritten } = await dest.write(chunk, done, chunk.length - done, position + done);
    done += bytesWritten;
  }
}

async function tryClone(src: FileHandle, dest: FileHandle): Promise<boolean> {
  try {
    await syscalls().clone(src.fd, dest.fd);
    return true;
  } catch {
    return false; // no reflinks here (ext4, tmpfs, across filesystems): copy the bytes
  }
}

async function syncDir(path: string): Promise<void> {
  const dir = await open(dirname(path), constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function persist(dest: FileHandle, length: number): Promise<void> {
  await dest.truncate(length);
  await dest.sync();
}

/** Makes the copy durable, then gives it its final name: the commit point of a copy. */
async function commit(dest: FileHandle, to: string, length: number): Promise<void> {
  await persist(dest, length);
  await rename(to + PARTIAL_SUFFIX, to);
  await syncDir(to);
}

/** `copy`: the rotated file gets the log's bytes; the log is not touched. */
export async function copyDurably({ src, stats, dest, to }: CopyFiles): Promise<CopyOutcome> {
  const reflinked = await tryClone(src, dest);
  if (!reflinked) await copyRange(src, dest, 0, stats.size);
  await commit(dest, to, reflinked ? (await dest.stat()).size : stats.size);
  return { copied: (await dest.stat()).size, method: 'copy', reflinked };
}

/** Follows a growing log: copies what was appended since `copied` until a pass finds
 * nothing new (or the pass budget is spent), and returns the new copied length.
 * `limit` maps the current size to how far the copy may go. */
async function catchUp(src: FileHandle, dest: FileHandle, copied: number, limit: (size: number) => number): Promise<number> {
  for (let pass = 0; pass < MAX_CATCH_UP_PASSES; pass++) {
    const target = limit((await src.stat()).size);
    if (target <= copied) break;
    await copyRange(src, dest, copied, target);
    copied = target;
  }
  return copied;
}

/** logrotate's method with the smallest window: copy until the log stops growing, then
 * truncate right after a size check. Bytes appended between that check and the
 * truncation are lost; nothing else is. */
async function finishByTruncation(src: FileHandle, dest: FileHandle, to: string, copied: number, committed: boolean): Promise<number> {
  copied = await catchUp(src, dest, copied, (size) => size);
  if (committed) await persist(dest, copied);
  else await commit(dest, to, copied);
  for (;;) {
    const size = (await src.stat()).size;
    if (size <= copied) break;
    await copyRange(src, dest, copied, size);
    copied = size;
    await persist(dest, copied);
  }
  await src.truncate(0);
  return copied;
}

/** True when the live log still begins with the committed copy's bytes, i.e. the copied
 * prefix was not taken out of it yet (crash recovery asks). */
export async function stillHoldsCopy(live: FileHandle, copy: FileHandle, copied: number): Promise<boolean> {
  if ((await live.stat()).size < copied) return false;
  const a = Buffer.alloc(CHUNK);
  const b = Buffer.alloc(CHUNK);
  for (let position = 0; position < copied; position += CHUNK) {
    const length = Math.min(CHUNK, copied - position);
    await live.read(a, 0, length, position);
    await copy.read(b, 0, length, position);
    if (!a.subarray(0, length).equals(b.subarray(0, length))) return false;
  }
  return true;
}

const NUL_RUN = Buffer.alloc(64);
const HOLE_SEARCH = 1024 * 1024;

/** True when a run of NULs follows `offset`: the mark of a writer whose file offset did
 * not follow the truncation or collapse, and which wrote past the new end of file. */
async function holeAfter(src: FileHandle, offset: number): Promise<boolean> {
  const buffer = Buffer.alloc(HOLE_SEARCH);
  const { bytesRead } = await src.read(buffer, 0, HOLE_SEARCH, offset);
  return buffer.subarray(0, bytesRead).includes(NUL_RUN);
}

export interface CopyTruncateFiles {
  readonly src: FileHandle;
  readonly dest: FileHandle;
  readonly to: string;
  /** Bytes already in `dest` (and, when committed, under its final name). */
  readonly copied: number;
  readonly committed: boolean;
}

/** Removes the copied prefix from the live log: collapse where the filesystem can, else
 * the classic truncation. Shared with crash recovery, which resumes a copytruncate from
 * its committed copy. Returns the method used and the end of the kept data just before the
 * removal (what a writer's next append follows, unless it ignores O_APPEND). */
export async function removeCopiedPrefix(
  files: CopyTruncateFiles,
  logger: Logger,
): Promise<{ method: 'collapse' | 'truncate'; copied: number; keptEnd: number }> {
  const { src, dest, to } = files;
  const fs = await statfs(dirname(to));
  const aligned = files.copied > 0 && files.copied % fs.bsize === 0 && COLLAPSE_FILESYSTEMS.has(fs.type);
  if (aligned) {
    if (!files.committed) await commit(dest, to, files.copied);
    try {
      const before = (await src.stat()).size;
      await syscalls().collapseRange(src.fd, 0, files.copied);
      return { method: 'collapse', copied: files.copied, keptEnd: before - files.copied };
    } catch (error) {
      logger.debug(`collapse-range refused (${(error as { code?: string }).code ?? String(error)}): truncating the log instead`);
      return { method: 'truncate', copied: await finishByTruncation(src, dest, to, files.copied, true), keptEnd: 0 };
    }
  }
  return { method: 'truncate', copied: await finishByTruncation(src, dest, to, files.copied, files.committed), keptEnd: 0 };
}

/** A log that did not grow at all during the rotation also gives up its last partial
 * block, as logrotate would: the tail is appended to the copy, then truncated after a
 * size check, so only a write landing in that instant could be lost. When the log grew,
 * the tail stays in it (the copy is shortened back). */
async function takeIdleTail(src: FileHandle, dest: FileHandle, copied: number): Promise<number> {
  const tail = Buffer.alloc((await src.stat()).size);
  const { bytesRead } = await src.read(tail, 0, tail.length, 0);
  await writeAll(dest, tail.subarray(0, bytesRead), copied);
  await persist(dest, copied + bytesRead);
  if ((await src.stat()).size !== bytesRead) {
    await persist(dest, copied);
    return copied;
  }
  await src.truncate(0);
  return copied + bytesRead;
}

/** `copytruncate` without loss: the rotated file receives a block-aligned prefix of the
 * log and exactly that prefix is collapsed out of it. Under an active writer the last
 * partial block (1 byte to one block) stays at the start of the live log and goes with
 * the next rotation. Logs
 * under one block, and filesystems without collapse-range, use the classic method. */
export async function copyTruncateLossless(files: CopyFiles, logger: Logger, holeCheckDelayMs = 100): Promise<CopyOutcome> {
  const { src, stats, dest, to } = files;
  const fs = await statfs(dirname(to));
  const blockSize = fs.bsize;
  const collapsible = COLLAPSE_FILESYSTEMS.has(fs.type);
  // Collapse-range must end before EOF and on a block boundary.
  const limit = collapsible ? (size: number) => Math.max(0, Math.floor((size - 1) / blockSize) * blockSize) : (size: number) => size;
  if (!collapsible) logger.debug(`${to}: filesystem cannot collapse ranges: copytruncate truncates (lines written in that instant can be lost)`);
  const reflinked = await tryClone(src, dest);
  let copied = 0;
  if (reflinked) {
    copied = limit((await dest.stat()).size);
    await dest.truncate(copied);
  }
  copied = await catchUp(src, dest, copied, limit);
  if (collapsible && copied === 0) logger.debug(`${to}: the log is smaller than one filesystem block: copytruncate truncates`);
  let result = await removeCopiedPrefix({ src, dest, to, copied, committed: false }, logger);
  const idleSize = result.method === 'collapse' ? stats.size - result.copied : 0;
  if (result.method === 'collapse' && result.keptEnd === idleSize) {
    result = { ...result, copied: await takeIdleTail(src, dest, result.copied) };
  }
  if (result.method === 'collapse') {
    const how = reflinked ? 'reflink and collapse-range' : 'collapse-range';
    logger.debug(`moved ${result.copied} bytes to ${to} by ${how}; the bytes written since stay in the log`);
  }
  // Only a log that grew while it was rotated has a writer whose offset matters.
  if (result.copied > stats.size || result.keptEnd > idleSize) {
    await sleep(holeCheckDelayMs);
    if (await holeAfter(src, result.keptEnd)) {
      logger.warning(
        `the log copied to ${to} is written without O_APPEND: its writer kept its old offset and left a run of NUL bytes ` +
          'after the rotation; open the log with O_APPEND, or rotate with create and a postrotate reload',
      );
    }
  }
  return { copied: result.copied, method: result.method, reflinked };
}
