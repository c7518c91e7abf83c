// What every executor step needs to know about the section it works for.
import type { LogOptions } from '../../config/model.js';
import type { Logger } from '../../logger.js';

export interface StepContext {
  readonly options: LogOptions;
  /** The section's file list as written: `$1` of shared scripts and part of messages. */
  readonly pattern: string;
  readonly logger: Logger;
  /** The run's single clock reading. */
  readonly now: Date;
  /** `-m`: the mail program. */
  readonly mailCommand: string;
}
