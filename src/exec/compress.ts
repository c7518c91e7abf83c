// Compressing a rotated file into `to`: in-process gzip when the compresscmd is gzip,
// otherwise the external program as logrotate runs it (stdin = file, stdout = output).
import { spawn } from 'node:child_process';
import { closeSync, fsync, futimesSync, unlinkSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import type { StepContext } from './effects/context.js';
import { aclToCopy, createNewFd } from './create.js';
import { gzipFd } from './gzip.js';
import { childFailure, waitChild } from './hooks.js';
import { openLogFd } from './open-log.js';
import { failure, OK, type Outcome } from './effects/outcome.js';
import { announcePermanentSwitch, spawnAsSuUser } from './su.js';
import { strerror } from '../strerror.js';

/**
 * Compress `from` into `to`. `original` is the stat of the log as it was before this
 * rotation: the output gets its mode, owner and times (and `from`'s ACL). On failure
 * `to` is removed. `from` stays: the plan removes it next with a `remove` step, so
 * preremove and shred apply to it as to any removal.
 *
 * Descriptors are opened and closed synchronously; only the compression and the fsync
 * go through the thread pool (they take long enough for other logs' steps to go on).
 */
export async function compressFile(from: string, to: string, original: Stats, ctx: StepContext): Promise<Outcome> {
  const { options } = ctx;
  const input = openLogFd(from, options.shred, options.allowHardlink);
  if (!input.ok) {
    const access = options.shred ? 'read-write' : 'read-only';
    return failure(`unable to open ${from} (${access}) for compression: ${strerror(input.err)}`);
  }
  try {
    const acl = aclToCopy(input.fd);
    const spec = { mode: original.mode & 0o7777, uid: original.uid, gid: original.gid, acl };
    const output = await createNewFd(to, spec, ctx);
    if (!output.ok) return failure(output.error);
    let why: string | null;
    try {
      why = await runCompressor(input.fd, output.fd, from, ctx);
      if (why === null) futimesSync(output.fd, original.atime, original.mtime);
    } finally {
      closeSync(output.fd);
    }
    if (why !== null) {
      try {
        unlinkSync(to);
      } catch {
        // Already gone: nothing partial is left either way.
      }
      return failure(`failed to compress log ${from}: ${why}`);
    }
  } finally {
    closeSync(input.fd);
  }
  return OK;
}

/** gzip options the in-process gzip may stand in for: levels, and options that do not
 * change what a stdin-to-stdout gzip writes. Anything else goes to the real gzip, which
 * rejects what it does not know, as it does for logrotate (found by the rotation fuzzer). */
const GZIP_OPTIONS = /^(-[1-9]|--fast|--best|-[nNqvfck]|--no-name|--name|--quiet|--verbose|--force|--stdout|--keep|--rsyncable|--synchronous)$/;

/** The failure reason, or null when the output is complete and on disk (before the
 * source may be removed, as logrotate makes sure). */
async function runCompressor(input: number, output: number, from: string, ctx: StepContext): Promise<string | null> {
  const { compressCmd, compressOptions } = ctx.options;
  if (basename(compressCmd) === 'gzip' && (compressOptions ?? []).every((option) => GZIP_OPTIONS.test(option))) {
    announcePermanentSwitch(ctx.logger, process.pid);
    try {
      await gzipFd(input, output, gzipLevel(compressOptions ?? []), { durable: true });
      return null;
    } catch (err) {
      // A failed fsync is named, as for the external compressor's output below.
      return (err as NodeJS.ErrnoException).syscall === 'fsync' ? `fsync: ${strerror(err)}` : strerror(err);
    }
  }
  const child = spawnAsSuUser(ctx.logger, (identity) =>
    spawn(compressCmd, [...(compressOptions ?? [])], {
      stdio: [input, output, 'pipe'],
      env: { ...process.env, LOGROTATE_COMPRESSED_FILENAME: from },
      ...identity,
    }),
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = await waitChild(child);
  if (stderr !== '') {
    // Noise on stderr is reported but, as in logrotate, does not fail the step.
    ctx.logger.error(`Compressing program wrote following message to stderr when compressing log ${from}:\n${stderr.trimEnd()}`);
  }
  const why = childFailure(result);
  if (why !== null) return why;
  const synced = await new Promise<NodeJS.ErrnoException | null>((resolve) => fsync(output, resolve));
  return synced === null ? null : `fsync: ${strerror(synced)}`;
}

/** gzip's level from compressoptions (`-1` … `-9`, `--fast`, `--best`; the last one
 * wins); gzip's own default 6. Other gzip options do not change the output format. */
export function gzipLevel(compressOptions: readonly string[]): number {
  let level = 6;
  for (const option of compressOptions) {
    const digit = /^-([1-9])$/.exec(option)?.[1];
    if (digit !== undefined) level = Number(digit);
    else if (option === '--fast') level = 1;
    else if (option === '--best') level = 9;
  }
  return level;
}
