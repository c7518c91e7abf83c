// Renames. Shifting old rotations (log.1 → log.2) tolerates holes in the sequence;
// moving the live log away does not.
import { rename } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import { failure, NOTHING_TO_DO, OK, type Outcome } from './outcome.js';
import { strerror } from '../state/strerror.js';

/** Shift an old rotation up by one; a missing source is normal (fewer rotations so far). */
export async function shiftOldLog(from: string, to: string, logger: Logger): Promise<Outcome> {
  try {
    await rename(from, to);
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
export async function moveLog(from: string, to: string): Promise<Outcome> {
  try {
    await rename(from, to);
    return OK;
  } catch (err) {
    return failure(`failed to rename ${from} to ${to}: ${strerror(err)}`);
  }
}
