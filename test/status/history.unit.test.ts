// A log's last attempt, from the journal: a step that failed within the same millisecond
// as an earlier step of the same log that succeeded is still the last word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalRecord } from '../../src/journal/records.js';
import { histories } from '../../src/status/history.js';

const LOG = '/var/log/app.log';
const AT = '2026-12-02T08:58:38.430Z';

test('done, then failed in the same millisecond: the last attempt failed', () => {
  const create = { kind: 'create', path: LOG, attrs: { mode: 0o640 } } as const;
  const compress = { kind: 'compress', from: `${LOG}.1`, to: `${LOG}.1.gz` } as const;
  const journal = [
    { t: 'run', at: AT, pid: 1, id: 'r1' },
    { t: 'intent', at: AT, log: LOG, action: create },
    { t: 'done', at: AT, log: LOG, action: create },
    { t: 'intent', at: AT, log: LOG, action: compress },
    { t: 'failed', at: '2026-12-02T08:58:38.447Z', log: LOG, action: compress },
    { t: 'end', at: '2026-12-02T08:58:38.450Z' },
  ] as unknown as JournalRecord[];
  const history = histories(journal, new Map())(LOG);
  assert.equal(history.lastAttemptFailed, true);
  assert.equal(history.lastFailure?.what, `compress ${LOG}.1 -> ${LOG}.1.gz: failed`);
  // And the other way round: a success recorded after the failure clears it.
  const recovered = histories([...journal, { t: 'run', at: AT, pid: 2, id: 'r2' }, { t: 'intent', at: AT, log: LOG, action: compress }, { t: 'done', at: AT, log: LOG, action: compress }] as unknown as JournalRecord[], new Map())(LOG);
  assert.equal(recovered.lastAttemptFailed, false);
});
