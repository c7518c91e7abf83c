// Berlin switches to summer time on 2024-03-31 02:00 (01:00 UTC) and back on 2024-10-27
// 03:00 (01:00 UTC). East of Greenwich node-cron took a repeated time's second occurrence
// (and from inside the first pass jumped to the second): where a start or either answer has
// a wall-clock time that occurs twice, the comparison is skipped; cron.unit.test.ts pins
// what we do there.
process.env.TZ = 'Europe/Berlin';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_CASES, compareNext, randomExpression, repeatedWallTime, startTimes } from './cron-differential.js';
import { prng } from '../helpers/random.js';

// Spring changes, and autumn instants an hour and more around the repeated hour (each is
// also shifted by up to an hour).
const TRANSITIONS = ['2024-03-31T01:00:00Z', '2024-10-26T22:30:00Z', '2025-03-30T01:00:00Z', '2024-10-27T03:00:00Z', '2024-03-30T23:00:00Z', '2025-10-25T22:30:00Z'].map((t) => new Date(t));
const inRepeat = (start: Date, ours: Date | null, theirs: Date | null): boolean => [start, ours, theirs].some((t) => t !== null && repeatedWallTime(t));

test('the zone is Berlin, with its DST changes', () => {
  assert.equal(new Date('2024-01-15T12:00:00Z').getTimezoneOffset(), -60);
  assert.equal(new Date('2024-07-15T12:00:00Z').getTimezoneOffset(), -120);
  assert.equal(repeatedWallTime(new Date('2024-10-27T00:30:00Z')), true);
  assert.equal(repeatedWallTime(new Date('2024-10-27T02:30:00Z')), false);
});

test('next match equals node-cron on hand-picked and 150 random expressions (seed 4), outside the repeated hour', () => {
  const next = prng(4);
  let [compared, skipped] = [0, 0];
  const expressions = [...EDGE_CASES, ...Array.from({ length: 150 }, () => randomExpression(next))];
  for (const [i, expression] of expressions.entries()) {
    const starts = startTimes(next, TRANSITIONS.slice(i % 3, (i % 3) + 3), 6);
    skipped += compareNext(expression, starts, inRepeat);
    compared += starts.length;
  }
  assert.ok(skipped < compared / 5, `${skipped} of ${compared} skipped`);
});
