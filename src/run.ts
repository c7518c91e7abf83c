// One logrotate run: config → lock → state → plan and execute each section → state.
// Shared by the CLI, the daemon and watch modes. Implemented with the executor (issue 3).
import type { Diagnostic } from './config/model.js';
import type { Logger } from './logger.js';
import type { Plan, Verdict } from './plan/model.js';

export type LockMode = 'normal' | 'skip' | 'wait';

export interface RunOptions {
  readonly configPaths: readonly string[];
  readonly statePath: string;
  readonly debug: boolean; // -d: plan and print, change nothing
  readonly force: boolean; // -f
  readonly mailCommand: string; // -m
  readonly lock: LockMode;
  readonly logger: Logger;
  /** Injected clock; the CLI passes new Date(). */
  readonly now: Date;
  /** Only these logs (absolute paths), for watch mode; undefined = all. */
  readonly onlyLogs?: ReadonlySet<string>;
}

/** What happened to one log, for `--json` and the daemon's one-line-per-action output. */
export interface LogReport {
  readonly path: string;
  readonly pattern: string;
  readonly verdict: Verdict;
  /** Human-readable steps actually done (or, with -d, that would be done). */
  readonly actions: readonly string[];
  readonly error?: string;
}

export interface RunResult {
  /** logrotate's exit status: 0 ok, 1 errors, 3 state lock/open failure. */
  readonly exitCode: 0 | 1 | 3;
  readonly logs: readonly LogReport[];
  readonly diagnostics: readonly Diagnostic[];
  readonly plan?: Plan;
}

export async function runRotation(_options: RunOptions): Promise<RunResult> {
  throw new Error('not implemented yet (issue 3)');
}
