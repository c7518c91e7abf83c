// Deleting a rotated file: preremove hook, optional shred, unlink. Also the path by
// which compression deletes its uncompressed input, so preremove (and shred) run for
// that too, as in logrotate. renamecopy's `.tmp` is the one removal that is neither.
import { spawn } from 'node:child_process';
import type { FileHandle } from 'node:fs/promises';
import { unlink } from 'node:fs/promises';
import type { StepContext } from './effects/context.js';
import { childFailure, waitChild, type HookRunner } from './hooks.js';
import { openLogFile } from './open-log.js';
import { failure, OK, type Outcome } from './effects/outcome.js';
import { spawnAsSuUser } from './su.js';
import { strerror } from '../strerror.js';

export async function removeFile(path: string, ctx: StepContext, runHook: HookRunner): Promise<Outcome> {
  const { options } = ctx;
  let handle: FileHandle | null = null;
  if (options.shred) {
    // Opened before the hook runs, so shred overwrites the very file preremove saw.
    const opened = await openLogFile(path, true, options.allowHardlink);
    if (!opened.ok) return failure(`error opening ${path}: ${strerror(opened.err)}`);
    handle = opened.handle;
  }
  try {
    const preremove = options.scripts.preremove;
    if (preremove !== undefined) {
      ctx.logger.debug('running preremove script');
      const why = childFailure(await runHook(preremove.text, [path], ctx.logger));
      if (why !== null) {
        return failure(`error running preremove script for ${path} of '${ctx.pattern}' (${why}). Not removing this file.`);
      }
    }
    if (handle !== null) await shred(handle, path, ctx);
    return unlinkQuietly(path, ctx);
  } finally {
    await handle?.close();
  }
}

/** renamecopy's `<log>.tmp` once copied to the rotated name: logrotate unlinks it
 * plainly (no preremove, no shred) and says nothing if that fails; the lines it holds
 * are in the copy already. */
export async function removeRenameCopyTemp(path: string): Promise<Outcome> {
  await unlink(path).catch(() => undefined);
  return OK;
}

/** `shred -u [-n N] -` writing over the open file; a failure falls back to a plain unlink. */
async function shred(handle: FileHandle, path: string, ctx: StepContext): Promise<void> {
  ctx.logger.debug(`Using shred to remove the file ${path}`);
  const cycles = ctx.options.shredCycles;
  const args = ['-u', ...(cycles !== 0 ? ['-n', String(cycles)] : []), '-'];
  const child = spawnAsSuUser(ctx.logger, (identity) => spawn('shred', args, { stdio: ['ignore', handle.fd, 'inherit'], ...identity }));
  const why = childFailure(await waitChild(child));
  if (why !== null) ctx.logger.error(`Failed to shred ${path} (${why}), trying unlink`);
}

/** On the thread pool: freeing a file's blocks takes long enough that the finishing
 * steps of other logs should go on meanwhile (finish-pool.ts). */
async function unlinkQuietly(path: string, ctx: StepContext): Promise<Outcome> {
  try {
    await unlink(path);
    return OK;
  } catch (err) {
    // Someone else removed it already: worth a message, but the goal is reached.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      ctx.logger.error(`error unlinking log file ${path}: ${strerror(err)}`);
      return OK;
    }
    return failure(`Failed to remove old log ${path}: ${strerror(err)}`);
  }
}
