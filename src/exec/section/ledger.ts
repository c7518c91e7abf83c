// What a section's work has come to so far, and logrotate's rules on what a failure
// stops: without sharedscripts a failure ends only its own log's rotation; with
// sharedscripts (and for section scripts) the first error ends every later phase for
// every log. The runner asks `stopped` before each phase; the report comes from here.
import type { SectionPlan } from '../../plan/model.js';
import type { LogReport } from '../log-report.js';

export interface SectionResult {
  /** Anything in the section failed: the run exits 1. */
  readonly failed: boolean;
  /** New state times, set when a log's preparation ran (even if a later step failed). */
  readonly stamps: ReadonlyMap<string, Date>;
  readonly logs: readonly LogReport[];
}

/** What one piece of work did to a log, to be added to its report. */
export interface LogWork {
  readonly path: string;
  /** The section's file list as written, for a report the log has no other of. */
  readonly pattern: string;
  readonly actions: readonly string[];
  readonly error?: string;
}

const BLOCKED = 'not rotated: an earlier step of this section failed';

export class SectionLedger {
  /** The first error of each log. */
  private readonly errors = new Map<string, string>();
  /** The report lines of the steps each log went through. */
  private readonly lines = new Map<string, string[]>();
  /** Logs whose rotation went through to its last step. */
  private readonly finished = new Set<string>();
  private readonly stamps = new Map<string, Date>();
  /** An error anywhere in the section (a log's or a section script's). */
  private anyError = false;
  /** An error for the exit status only, which stops nothing, not even with
   * sharedscripts: a log left alone for lack of space, an upload that failed. */
  private setBackAny = false;

  constructor(private readonly plan: SectionPlan) {
    for (const decision of plan.decisions) {
      if (decision.verdict.kind === 'error') this.logFailed(decision.path, decision.verdict.message);
    }
  }

  /** With sharedscripts, whether the section's work has stopped. */
  get stopped(): boolean {
    return this.anyError;
  }

  logFailed(log: string, error: string): void {
    if (!this.errors.has(log)) this.errors.set(log, error);
    this.anyError = true;
  }

  /** A script that runs for the whole section failed. */
  sectionFailed(): void {
    this.anyError = true;
  }

  setBack(log: string, problem: string): void {
    if (!this.errors.has(log)) this.errors.set(log, problem);
    this.setBackAny = true;
  }

  did(log: string, lines: readonly string[]): void {
    let list = this.lines.get(log);
    if (list === undefined) {
      list = [];
      this.lines.set(log, list);
    }
    list.push(...lines);
  }

  stamped(log: string, time: Date): void {
    this.stamps.set(log, time);
  }

  finishedLog(log: string): void {
    this.finished.add(log);
  }

  /** The logs this work did something to or failed, in the order it met them: the
   * run-wide upkeep's contribution to their reports. */
  touched(): LogWork[] {
    const paths = new Set([...this.lines.keys(), ...this.errors.keys()]);
    return [...paths].map((path) => {
      const error = this.errors.get(path);
      return { path, pattern: this.plan.section.pattern, actions: this.lines.get(path) ?? [], ...(error === undefined ? {} : { error }) };
    });
  }

  result(): SectionResult {
    const { plan } = this;
    const logs = plan.decisions.map((decision): LogReport => {
      const blocked = decision.verdict.kind === 'rotate' && !this.finished.has(decision.path) && this.anyError;
      const error = this.errors.get(decision.path) ?? (blocked ? BLOCKED : undefined);
      return {
        path: decision.path,
        pattern: plan.section.pattern,
        verdict: decision.verdict,
        actions: this.lines.get(decision.path) ?? [],
        ...(error === undefined ? {} : { error }),
      };
    });
    return { failed: this.anyError || this.setBackAny, stamps: this.stamps, logs };
  }
}
