import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldRun } from '../../src/metrics/fold.js';
import { NO_COUNTERS, type Counters } from '../../src/metrics/model.js';
import { countersPath, parseCounters, readCounters, serializeCounters, writeCounters } from '../../src/metrics/store.js';
import { replaceFile } from '../../src/state/atomic.js';
import { makeTempBase } from '../helpers/tree.js';

const counted: Counters = foldRun(NO_COUNTERS, {
  startedAt: new Date('2026-12-01T03:00:00Z'),
  finishedAt: new Date('2026-12-01T03:00:01.250Z'),
  success: true,
  complete: true,
  logs: [
    { path: '/l/a "quoted".log', result: 'rotated' },
    { path: '/l/b.log', result: 'failed', error: 'compress failed\nwith two lines' },
  ],
  compressedBytes: 123,
  removed: [{ path: '/l/a.log.3', reason: 'rotate' }],
  archive: { archivedFiles: 1, archivedBytes: 2, failedFiles: 3, failedBytes: 4, queuedFiles: 5, queuedBytes: 6 },
});

test('counters survive a write and a read exactly', () => {
  assert.deepEqual(parseCounters(serializeCounters(counted)), counted);
  assert.deepEqual(parseCounters(serializeCounters(NO_COUNTERS)), NO_COUNTERS);
});

test('a damaged or foreign file is not taken for counters', () => {
  for (const text of ['', '{', '[]', '{"schema":"other"}', serializeCounters(counted).replace('"compressedBytes":123', '"compressedBytes":-1')]) {
    assert.equal(parseCounters(text), null, text);
  }
});

test('beside the state file, replaced atomically (no temporary left), mode 0644; none for -s /dev/null', () => {
  const base = makeTempBase('lrmetrics-');
  try {
    const path = countersPath(join(base, 'status'));
    assert.equal(path, join(base, 'status.metrics.json'));
    assert.equal(countersPath('/dev/null'), null);
    assert.deepEqual(readCounters(path), { ok: true, counters: NO_COUNTERS });
    assert.equal(writeCounters(path, counted), null);
    assert.deepEqual(readdirSync(base), ['status.metrics.json']);
    assert.equal(statSync(join(base, 'status.metrics.json')).mode & 0o777, 0o644);
    assert.deepEqual(readCounters(path), { ok: true, counters: counted });
    writeFileSync(join(base, 'status.metrics.json'), 'garbage');
    assert.deepEqual(readCounters(path), { ok: false, error: `metrics counters ${path} are damaged; counting starts again from zero` });
    assert.equal(writeCounters(null, counted), null);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('replacing a file in a missing or unwritable directory says why, and leaves nothing', () => {
  const base = makeTempBase('lrmetrics-');
  const locked = join(base, 'locked');
  mkdirSync(locked);
  try {
    assert.equal(replaceFile(join(base, 'nope', 'm.prom'), 'x', 0o644), `directory ${base}/nope does not exist`);
    // Root writes anywhere the mode forbids; an immutable directory stops root too.
    assert.equal(spawnSync('chattr', ['+i', locked]).status, 0);
    assert.equal(replaceFile(join(locked, 'm.prom'), 'x', 0o644), `Operation not permitted (creating ${locked}/m.prom.tmp)`);
    assert.equal(writeCounters(join(base, 'nope', 's.metrics.json'), counted), `cannot write metrics counters ${base}/nope/s.metrics.json: directory ${base}/nope does not exist`);
    assert.equal(replaceFile(join(base, 'm.prom'), 'one\n', 0o644), null);
    assert.equal(readFileSync(join(base, 'm.prom'), 'utf8'), 'one\n');
  } finally {
    spawnSync('chattr', ['-i', locked]);
    rmSync(base, { recursive: true, force: true });
  }
});
