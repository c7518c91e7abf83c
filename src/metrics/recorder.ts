// The metrics' effects at the end of a run: the run folded into the counters beside the
// state file, the managed logs' facts looked at afresh, and the exposition text for a
// `--metrics-file` or the `/metrics` endpoint. Problems come back as messages: metrics
// never stop a rotation or undo what it did.
import { LiveFsView } from '../exec/fs-view.js';
import type { Plan } from '../plan/model.js';
import { replaceFile } from '../state/atomic.js';
import { NO_STATE_PATH, readState } from '../state/store.js';
import { renderExposition } from './exposition.js';
import { logFacts } from './facts.js';
import { metricFamilies } from './families.js';
import { foldRun } from './fold.js';
import { NO_COUNTERS, type Counters, type LogFacts, type MetricsSnapshot } from './model.js';
import { outcomeOfRun, type FinishedRun } from './run-outcome.js';
import { countersPath, readCounters, writeCounters } from './store.js';

export class MetricsRecorder {
  private counters: Counters = NO_COUNTERS;
  private logs = new Map<string, LogFacts>();
  private readonly path: string | null;

  constructor(private readonly statePath: string) {
    this.path = countersPath(statePath);
  }

  /** The stored counters, before the first run of a long-running process. */
  load(): string[] {
    const read = readCounters(this.path);
    if (!read.ok) return [read.error];
    this.counters = read.counters;
    return [];
  }

  /** Folds a finished run in and stores the counters; the messages of what went wrong. */
  record(run: FinishedRun): string[] {
    const problems: string[] = [];
    // Read again at every run: a cron run and a daemon may share the state file.
    const read = readCounters(this.path);
    if (!read.ok) problems.push(read.error);
    const base = this.path === null || !read.ok ? this.counters : read.counters;
    const outcome = outcomeOfRun(run);
    this.counters = foldRun(base, outcome);
    const unwritten = writeCounters(this.path, this.counters);
    if (unwritten !== null) problems.push(unwritten);
    this.refreshFacts(run.result?.plan, outcome.complete);
    return problems;
  }

  snapshot(): MetricsSnapshot {
    return { counters: this.counters, logs: this.logs };
  }

  exposition(): string {
    return renderExposition(metricFamilies(this.snapshot()));
  }

  /** The logs the run considered, as they are now; a complete run's list replaces the
   * last one (a log that left the configuration leaves the metrics). */
  private refreshFacts(plan: Plan | undefined, complete: boolean): void {
    if (plan === undefined) return;
    const state = this.statePath === NO_STATE_PATH ? new Map<string, Date>() : readState(this.statePath).entries;
    const view = new LiveFsView();
    const logs = complete ? new Map<string, LogFacts>() : new Map(this.logs);
    for (const section of plan.sections) {
      for (const decision of section.decisions) logs.set(decision.path, logFacts(decision.path, section.options, view, state));
    }
    this.logs = logs;
  }
}

/** Writes the exposition text for node_exporter's textfile collector, atomically;
 * null when written, otherwise the error message. */
export function writeMetricsFile(path: string, text: string): string | null {
  const problem = replaceFile(path, text, 0o644);
  return problem === null ? null : `cannot write metrics file ${path}: ${problem}`;
}

/** A one-shot run's metrics: counted, then written to `metricsFile`; the messages of
 * what went wrong. */
export function recordRunToFile(metricsFile: string, statePath: string, run: FinishedRun): string[] {
  const recorder = new MetricsRecorder(statePath);
  const problems = recorder.record(run);
  const unwritten = writeMetricsFile(metricsFile, recorder.exposition());
  return unwritten === null ? problems : [...problems, unwritten];
}
