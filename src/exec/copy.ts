// `copy` and `copytruncate`: the rotated file is a copy of the log, holes kept.
import type { FileHandle } from 'node:fs/promises';
import { unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { aclToCopy, createNewFile, type CreateContext } from './create.js';
import { openLogFile } from './open-log.js';
import { failure, OK, type Outcome } from './outcome.js';
import { strerror } from '../state/strerror.js';

export interface CopyOptions extends CreateContext {
  /** copytruncate: empty `from` once the copy is safely on disk. */
  readonly truncate: boolean;
  /** The section's allowhardlink: copy a log that has other hard links. */
  readonly allowHardlink: boolean;
}

/**
 * Copy log `from` to the new file `to` (which gets `from`'s mode, owner and ACL), then,
 * with `options.truncate`, fsync the copy and truncate `from` to 0 bytes.
 * This is logrotate's copytruncate, which loses whatever the writer appends between
 * the copy and the truncation; a lossless implementation replaces this function with
 * the same signature. On failure `from` is untouched and no partial `to` remains.
 */
export async function copyTruncate(from: string, to: string, options: CopyOptions): Promise<Outcome> {
  const source = await openLogFile(from, options.truncate, options.allowHardlink);
  if (!source.ok) return failure(`error opening ${from}: ${strerror(source.err)}`);
  try {
    const { stats } = source;
    const acl = aclToCopy(source.handle);
    const target = await createNewFile(to, { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, acl }, options);
    if (!target.ok) return failure(target.error);
    try {
      await copyData(source.handle, target.handle, stats);
      if (options.truncate) await target.handle.sync();
    } catch (err) {
      await target.handle.close();
      await unlink(to).catch(() => undefined);
      return failure(`error copying ${from} to ${to}: ${strerror(err)}`);
    }
    await target.handle.close();
    if (!options.truncate) return OK;
    try {
      await source.handle.truncate(0);
    } catch (err) {
      return failure(`error truncating ${from}: ${strerror(err)}`);
    }
    return OK;
  } finally {
    await source.handle.close();
  }
}

/** copytruncate with nothing to keep (`rotate 0` without `mail`): only empty the log. */
export async function truncateLog(path: string, allowHardlink: boolean): Promise<Outcome> {
  const log = await openLogFile(path, true, allowHardlink);
  if (!log.ok) return failure(`error opening ${path}: ${strerror(log.err)}`);
  try {
    await log.handle.truncate(0);
    return OK;
  } catch (err) {
    return failure(`error truncating ${path}: ${strerror(err)}`);
  } finally {
    await log.handle.close();
  }
}

const BLOCK = 64 * 1024;

/** Copy every byte; when the source has holes, all-zero blocks are skipped rather than
 * written so the copy stays sparse, and a final truncate fixes the length. */
async function copyData(src: FileHandle, dst: FileHandle, stats: Stats): Promise<void> {
  const sparse = stats.blocks * 512 < stats.size;
  const buf = Buffer.alloc(BLOCK);
  let pos = 0;
  for (;;) {
    const { bytesRead } = await src.read(buf, 0, BLOCK, pos);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    if (!(sparse && isZero(chunk))) await writeAll(dst, chunk, pos);
    pos += bytesRead;
  }
  if (sparse) await dst.truncate(pos);
}

async function writeAll(dst: FileHandle, chunk: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < chunk.length) {
    const { bytesWritten } = await dst.write(chunk, done, chunk.length - done, position + done);
    done += bytesWritten;
  }
}

const ZEROS = Buffer.alloc(BLOCK);

function isZero(chunk: Buffer): boolean {
  return chunk.equals(ZEROS.subarray(0, chunk.length));
}
