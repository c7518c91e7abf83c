// Each log's last failure and whether its last attempt failed, from the rotation journal
// (a step that failed, or one left in flight by a killed run) and from the counters the
// metrics keep (which also see failed scripts and refusals). Pure.
import { auditRows } from '../journal/audit.js';
import type { JournalRecord } from '../journal/records.js';
import type { LogCounters } from '../metrics/model.js';

export interface LastFailure {
  readonly at: Date;
  readonly what: string;
  /** `journal`: a step of the rotation; `run`: as the run reported it (metrics counters). */
  readonly source: 'journal' | 'run';
}

export interface LogHistory {
  readonly lastFailure: LastFailure | null;
  /** Nothing of this log succeeded after its last failure. */
  readonly lastAttemptFailed: boolean;
}

const NONE: LogHistory = { lastFailure: null, lastAttemptFailed: false };

interface Events {
  failure: LastFailure | null;
  success: Date | null;
  /** Within one millisecond, what was recorded last wins (the journal's order). */
  failureSeq: number;
  successSeq: number;
}

export function histories(journal: readonly JournalRecord[], counters: ReadonlyMap<string, LogCounters>): (log: string) => LogHistory {
  const events = new Map<string, Events>();
  const of = (log: string): Events => {
    let found = events.get(log);
    if (found === undefined) events.set(log, (found = { failure: null, success: null, failureSeq: -1, successSeq: -1 }));
    return found;
  };
  let seq = 0;
  const failed = (log: string, failure: LastFailure): void => {
    const e = of(log);
    seq++;
    if (e.failure === null || failure.at >= e.failure.at) [e.failure, e.failureSeq] = [failure, seq];
  };
  const succeeded = (log: string, at: Date): void => {
    const e = of(log);
    seq++;
    if (e.success === null || at >= e.success) [e.success, e.successSeq] = [at, seq];
  };
  for (const row of auditRows(journal)) {
    const at = new Date(row.at);
    if (row.outcome === 'done') succeeded(row.log, at);
    else failed(row.log, { at, what: `${row.action}: ${row.outcome === 'failed' ? 'failed' : 'interrupted (the run was killed)'}`, source: 'journal' });
  }
  for (const [log, counted] of counters) {
    if (counted.lastRotatedAt !== null) succeeded(log, counted.lastRotatedAt);
    if (counted.lastFailure !== null) failed(log, { at: counted.lastFailure.at, what: counted.lastFailure.error, source: 'run' });
  }
  return (log) => {
    const e = events.get(log);
    if (e === undefined) return NONE;
    const { failure, success } = e;
    const failedLast = failure !== null && (success === null || success < failure.at || (success.getTime() === failure.at.getTime() && e.successSeq < e.failureSeq));
    return { lastFailure: failure, lastAttemptFailed: failedLast };
  };
}
