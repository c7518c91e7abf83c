// What one run did, for the CLI (`--json`, exit status), the daemon and watch mode.
import type { Diagnostic } from '../config/model.js';
import type { LogReport } from '../exec/log-report.js';
import type { LogWork } from '../exec/section/ledger.js';
import type { Plan, Verdict } from '../plan/model.js';
import type { TallyFigures } from '../exec/tally.js';

export interface RunResult {
  /** logrotate's exit status: 0 ok, 1 errors, 3 state lock/open failure. */
  readonly exitCode: 0 | 1 | 3;
  readonly logs: readonly LogReport[];
  readonly diagnostics: readonly Diagnostic[];
  readonly plan?: Plan;
  /** What the steps did, for the metrics (a preview did nothing). */
  readonly figures: TallyFigures;
}

/** Adds what later work (the run-wide purge) did to the logs' reports. A log the run
 * did not otherwise report on (outside a watch run's logs, or a norename group with no
 * work of its own) gets a report of its own, with the verdict `purge-only`. */
export function addWork(logs: LogReport[], work: readonly LogWork[]): void {
  for (const done of work) {
    const index = logs.findIndex((log) => log.path === done.path);
    const report = logs[index] ?? { path: done.path, pattern: done.pattern, verdict: PURGE_ONLY, actions: [] };
    const error = report.error ?? done.error;
    const merged = { ...report, actions: [...report.actions, ...done.actions], ...(error === undefined ? {} : { error }) };
    if (index === -1) logs.push(merged);
    else logs[index] = merged;
  }
}

const PURGE_ONLY: Verdict = { kind: 'skip', why: 'purge-only' };

/** Logs a run actually rotated (the planner's verdict, not just an attempt). */
export function rotatedLogs(result: RunResult): ReadonlySet<string> {
  return new Set(result.logs.filter((log) => log.verdict.kind === 'rotate' && log.error === undefined).map((log) => log.path));
}
