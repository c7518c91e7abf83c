// New York switches to summer time on 2024-03-10 02:00 (07:00 UTC) and back on 2024-11-03
// 02:00 (06:00 UTC). West of Greenwich node-cron took a repeated time's first occurrence, as
// we do, so every start time is compared, those in the repeated hour included.
process.env.TZ = 'America/New_York';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_CASES, compareNext, randomExpression, startTimes } from './cron-differential.js';
import { prng } from '../helpers/random.js';
import cron from 'node-cron';
import { parseCron } from '../../src/daemon/cron.js';

const TRANSITIONS = ['2024-03-10T07:00:00Z', '2024-11-03T05:30:00Z', '2024-11-03T06:00:00Z', '2024-11-03T06:30:00Z', '2025-03-09T07:00:00Z', '2025-11-02T06:00:00Z'].map((t) => new Date(t));

test('the zone is New York, with its DST changes', () => {
  assert.equal(new Date('2024-01-15T12:00:00Z').getTimezoneOffset(), 300);
  assert.equal(new Date('2024-07-15T12:00:00Z').getTimezoneOffset(), 240);
});

test('next match equals node-cron on hand-picked expressions around DST changes', () => {
  const next = prng(1);
  for (const expression of EDGE_CASES) compareNext(expression, startTimes(next, TRANSITIONS, 12));
});

test('next match and validity equal node-cron on 150 random expressions (seed 2)', () => {
  const next = prng(2);
  for (let i = 0; i < 150; i++) {
    const expression = randomExpression(next);
    const valid = cron.validate(expression);
    assert.equal(parseCron(expression).ok, valid, `validity of '${expression}'`);
    if (valid) compareNext(expression, startTimes(next, TRANSITIONS.slice(i % 3, (i % 3) + 2), 6));
  }
});
