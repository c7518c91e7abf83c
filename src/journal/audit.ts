// The journal as an audit trail: one row per action a run took, with its outcome.
import type { Action } from '../plan/model.js';
import { stepKey, type JournalRecord } from './records.js';

/** How an action ended: done, failed, or cut short when its run was killed. */
export type AuditStatus = 'done' | 'failed' | 'interrupted';

export interface AuditRow {
  /** When the action started (ISO 8601, UTC). */
  readonly at: string;
  readonly run: string;
  readonly log: string;
  readonly action: string;
  readonly outcome: AuditStatus;
  /** Done by a later run that finished this (killed) one. */
  readonly recovery: boolean;
}

/** The action in a few words, paths in full. */
export function summarize(action: Action): string {
  switch (action.kind) {
    case 'rename':
      return `rename ${action.from} -> ${action.to}`;
    case 'create':
      return `create ${action.path} (mode ${action.attrs.mode.toString(8).padStart(4, '0')}, uid ${action.attrs.uid}, gid ${action.attrs.gid})`;
    case 'copy':
      return `${action.truncate ? 'copytruncate' : 'copy'} ${action.from} -> ${action.to}`;
    case 'compress':
      return `compress ${action.from} -> ${action.to}`;
    case 'remove':
      return `remove ${action.path} (${action.reason})`;
    case 'mail':
      return `mail ${action.path} to ${action.address}`;
    case 'stamp':
      return `stamp ${action.time.toISOString()}`;
    case 'track':
      return `track ${action.path} (rotated ${action.rotatedAt.toISOString()})`;
    case 'archive':
      return `archive ${action.path}`;
    case 'signal':
      return `signal ${action.signal} to the process in ${action.pidFile}`;
    case 'shift-gap':
      return `no old logs ${action.prefix}{${action.top}..${action.bottom}}${action.suffix}`;
  }
}

/** Every action of every run in the journal, oldest first. An intent is `done` or
 * `failed` by the record that follows it, `interrupted` when the run was killed during
 * it. */
export function auditRows(records: readonly JournalRecord[]): AuditRow[] {
  const rows: { -readonly [K in keyof AuditRow]: AuditRow[K] }[] = [];
  let run = '?';
  let recovery = false;
  /** Open intents: their rows by step key. */
  const pending = new Map<string, number>();
  const close = (outcome: AuditStatus, key?: string): void => {
    for (const [k, index] of pending) {
      if (key !== undefined && k !== key) continue;
      const row = rows[index];
      if (row !== undefined) row.outcome = outcome;
      pending.delete(k);
    }
  };
  for (const record of records) {
    switch (record.t) {
      case 'run':
        close('interrupted');
        run = record.id ?? `pid ${record.pid}`;
        recovery = false;
        break;
      case 'recover':
        close('interrupted');
        recovery = true;
        break;
      case 'end':
        close('failed');
        break;
      case 'section':
        break;
      case 'intent':
        pending.set(stepKey(record.log, record.action), rows.length);
        rows.push({ at: record.at, run, log: record.log, action: summarize(record.action), outcome: 'interrupted', recovery });
        break;
      case 'done':
      case 'failed':
        close(record.t, stepKey(record.log, record.action));
        break;
    }
  }
  return rows;
}
