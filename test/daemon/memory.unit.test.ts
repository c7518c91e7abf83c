// What the daemon gives back after each run: the run's remembered local times, the
// garbage (when node exposes gc) and malloc's free pages (when the addon is loaded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exposedGc, releaseRunMemory } from '../../src/daemon/memory.js';
import { zone } from '../../src/plan/calendar.js';

test('after a run: a fresh calendar, one collection, one trim, in that order', () => {
  const before = zone();
  before.minuteStamp(Date.UTC(2026, 0, 1));
  const calls: string[] = [];
  releaseRunMemory(
    () => calls.push(zone() === before ? 'gc with the old calendar' : 'gc'),
    { mallocTrim: () => calls.push('trim') > 0 },
  );
  assert.deepEqual(calls, ['gc', 'trim']);
  assert.notEqual(zone(), before);
  assert.equal(zone().minuteStamp(Date.UTC(2026, 0, 1)), before.minuteStamp(Date.UTC(2026, 0, 1)));
});

test('without --expose-gc and without the addon only the calendar is forgotten', () => {
  const before = zone();
  releaseRunMemory(undefined, null);
  assert.notEqual(zone(), before);
});

test('exposedGc is node\'s gc exactly when node runs with --expose-gc', () => {
  const { gc } = globalThis as { gc?: () => void };
  assert.equal(exposedGc(), gc);
  assert.equal(typeof exposedGc(), process.execArgv.includes('--expose-gc') ? 'function' : 'undefined');
});
