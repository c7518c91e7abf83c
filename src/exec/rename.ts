// Renames. Shifting old rotations (log.1 → log.2) tolerates holes in the sequence;
// moving the live log away does not. Renames are done synchronously: each takes
// microseconds, where a trip through libuv's thread pool costs more than the rename
// itself, and a run of many logs does eight of them per log.
import { renameSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { failure, NOTHING_TO_DO, OK, type Outcome } from './effects/outcome.js';
import { strerror } from '../strerror.js';

/** Shift an old rotation up by one; a missing source is normal (fewer rotations so far). */
export function shiftOldLog(from: string, to: string, logger: Logger): Outcome {
  try {
    renameSync(from, to);
    return OK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      logger.debug(`old log ${from} does not exist`);
      return NOTHING_TO_DO;
    }
    return failure(`error renaming ${from} to ${to}: ${strerror(err)}`);
  }
}

/** Move the log to its rotated name (or renamecopy's `.tmp`). */
export function moveLog(from: string, to: string): Outcome {
  try {
    renameSync(from, to);
    return OK;
  } catch (err) {
    return failure(`failed to rename ${from} to ${to}: ${strerror(err)}`);
  }
}
