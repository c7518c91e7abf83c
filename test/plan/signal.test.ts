// `signal` (logrotor extension) in the plan: the first finishing step of each rotating
// log, right where postrotate runs; once per section with sharedscripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions } from '../../src/config/model.js';
import { planSection } from '../../src/plan/planner.js';
import { MemFs, section } from './fixtures.js';

const NOW = new Date(2026, 10, 22, 14, 2);
const SIGNAL = { signal: 'SIGUSR1', pidFile: '/run/d.pid' };

function finishes(options: Partial<LogOptions>): string[][] {
  const fs = new MemFs().file('/l/a.log').file('/l/b.log').file('/l/c.log');
  const plan = planSection(section(['/l/a.log', '/l/b.log', '/l/c.log'], { rotate: 1, compress: true, signal: SIGNAL, ...options }), {
    state: new Map(),
    fs,
    now: NOW,
    force: true,
    isRoot: true,
  });
  return plan.rotations.map((r) => r.finish.map((a) => (a.kind === 'signal' ? `signal ${a.signal} ${a.pidFile}` : a.kind)));
}

test('each log signals before its compression; with sharedscripts only the first log does', () => {
  const each = ['signal SIGUSR1 /run/d.pid', 'compress', 'remove'];
  assert.deepEqual(finishes({}), [each, each, each]);
  assert.deepEqual(finishes({ sharedScripts: true }), [each, ['compress', 'remove'], ['compress', 'remove']]);
  assert.deepEqual(finishes({ signal: null }), [['compress', 'remove'], ['compress', 'remove'], ['compress', 'remove']]);
});
