// Journals written before steps could overlap (no `steps: 'overlapping'` on their `run`
// record) ran one step at a time and recorded no failures: there an intent followed by
// another step's intent, or by the run's end, had failed. Upgraded once, as they are
// read, by writing those failures in; everything downstream knows one format.
import { isStep, stepKey, type JournalRecord, type StepRecord } from './records.js';

export function upgrade(records: readonly JournalRecord[]): JournalRecord[] {
  const out: JournalRecord[] = [];
  let sequential = false;
  /** The open intent of a sequential run, by step key. */
  const open = new Map<string, StepRecord>();
  const failOpen = (at: string): void => {
    for (const intent of open.values()) out.push({ t: 'failed', at, log: intent.log, action: intent.action });
    open.clear();
  };
  for (const record of records) {
    if (record.t === 'run') {
      // A killed run's last intent stays open: it was in flight.
      open.clear();
      sequential = record.steps !== 'overlapping';
      out.push(sequential ? { ...record, steps: 'overlapping' } : record);
      continue;
    }
    if (sequential) {
      if (record.t === 'recover') open.clear();
      if (record.t === 'intent' || record.t === 'end') failOpen(record.at);
      if (isStep(record)) {
        const key = stepKey(record.log, record.action);
        if (record.t === 'intent') open.set(key, record);
        else open.delete(key);
      }
    }
    out.push(record);
  }
  return out;
}
