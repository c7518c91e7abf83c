import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Limiter } from '../../src/exec/limit.js';

test('never runs more tasks at once than it has slots, and runs them all', async () => {
  const limiter = new Limiter(2);
  let active = 0;
  let peak = 0;
  const results = await Promise.all(
    [5, 1, 3, 1, 2, 4].map((ms, i) =>
      limiter.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await sleep(ms);
        active -= 1;
        return i;
      }),
    ),
  );
  assert.deepEqual(results, [0, 1, 2, 3, 4, 5]);
  assert.equal(peak, 2);
});

test('a failing task gives its slot back', async () => {
  const limiter = new Limiter(1);
  await assert.rejects(limiter.run(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await limiter.run(async () => 'next'), 'next');
});

test('refuses a slot count that is not a positive integer', () => {
  assert.throws(() => new Limiter(0), RangeError);
  assert.throws(() => new Limiter(1.5), RangeError);
});
