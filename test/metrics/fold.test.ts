import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldRun } from '../../src/metrics/fold.js';
import { NO_COUNTERS, type RunOutcome } from '../../src/metrics/model.js';

const T0 = new Date('2026-12-01T03:00:00Z');
const T1 = new Date('2026-12-01T03:00:02.5Z');
const T2 = new Date('2026-12-02T03:00:00Z');
const T3 = new Date('2026-12-02T03:00:01Z');

const first: RunOutcome = {
  startedAt: T0,
  finishedAt: T1,
  success: false,
  complete: true,
  logs: [
    { path: '/l/a.log', result: 'rotated' },
    { path: '/l/b.log', result: 'failed', error: 'compress failed' },
    { path: '/l/c.log', result: 'skipped' },
  ],
  compressedBytes: 1000,
  removed: [
    { path: '/l/a.log.5.gz', reason: 'rotate' },
    { path: '/l/a.log.4.gz', reason: 'maxage' },
    { path: '/l/a.log.3.gz', reason: 'maxage' },
  ],
};

test('a run folds into the counters: run times, results, bytes, removals by reason, per-log counts', () => {
  const c = foldRun(NO_COUNTERS, first);
  assert.deepEqual(c.lastRun, { startedAt: T0, finishedAt: T1, success: false });
  assert.equal(c.lastSuccessAt, null);
  assert.deepEqual(c.runs, { succeeded: 0, failed: 1 });
  assert.equal(c.compressedBytes, 1000);
  assert.deepEqual(c.removedFiles, { rotate: 1, maxage: 2, maxtotalsize: 0, minfree: 0 });
  assert.deepEqual(
    [...c.logs],
    [
      ['/l/a.log', { rotations: 1, failures: 0, lastRotatedAt: T1, lastFailure: null }],
      ['/l/b.log', { rotations: 0, failures: 1, lastRotatedAt: null, lastFailure: { at: T1, error: 'compress failed' } }],
    ],
  );
  assert.equal(c.archive, null);
});

test('counters keep counting; a complete run drops logs no longer configured, a partial one keeps them', () => {
  const once = foldRun(NO_COUNTERS, first);
  const partial = foldRun(once, {
    startedAt: T2,
    finishedAt: T3,
    success: true,
    complete: false,
    logs: [{ path: '/l/b.log', result: 'rotated' }],
    compressedBytes: 24,
    removed: [{ path: '/l/b.log.3', reason: 'minfree' }],
  });
  assert.deepEqual(partial.runs, { succeeded: 1, failed: 1 });
  assert.equal(partial.lastSuccessAt, T3);
  assert.equal(partial.compressedBytes, 1024);
  assert.deepEqual(partial.removedFiles, { rotate: 1, maxage: 2, maxtotalsize: 0, minfree: 1 });
  assert.deepEqual(partial.logs.get('/l/b.log'), { rotations: 1, failures: 1, lastRotatedAt: T3, lastFailure: { at: T1, error: 'compress failed' } });
  assert.ok(partial.logs.has('/l/a.log'));
  const complete = foldRun(partial, { ...first, startedAt: T2, finishedAt: T3, logs: [{ path: '/l/b.log', result: 'skipped' }], removed: [] });
  assert.deepEqual([...complete.logs.keys()], ['/l/b.log']);
});

test('archive figures: counters add up, the queue is the last run\'s', () => {
  const archive = { archivedFiles: 2, archivedBytes: 200, failedFiles: 1, failedBytes: 50, queuedFiles: 3, queuedBytes: 300 };
  const one = foldRun(NO_COUNTERS, { ...first, archive });
  const two = foldRun(one, { ...first, archive: { ...archive, queuedFiles: 0, queuedBytes: 0 } });
  assert.deepEqual(two.archive, { archivedFiles: 4, archivedBytes: 400, failedFiles: 2, failedBytes: 100, queuedFiles: 0, queuedBytes: 0 });
  assert.deepEqual(foldRun(two, first).archive, two.archive, 'a run without archive work leaves the figures alone');
});
