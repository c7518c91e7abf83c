// Cron expressions (src/daemon/cron.ts): exact next times, the DST rule, error messages, and
// validity against node-cron 4 on hand-picked and mutated expressions. Next-match against
// node-cron in two zones: cron-new-york.unit.test.ts, cron-berlin.unit.test.ts.
process.env.TZ = 'Europe/Berlin';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import cron from 'node-cron';
import { nextMatch, parseCron } from '../../src/daemon/cron.js';
import { scheduleError } from '../../src/daemon/scheduler.js';
import { EDGE_CASES, INVALID, REFUSED_ON_PURPOSE, mutate, randomExpression, refusedOnPurpose } from './cron-differential.js';
import { prng } from '../helpers/random.js';

function next(expression: string, after: string): string | null {
  const parsed = parseCron(expression);
  assert.ok(parsed.ok, expression);
  return nextMatch(parsed.spec, new Date(after))?.toISOString() ?? null;
}

test('next times: strictly after the start, whole seconds, day rules', () => {
  assert.equal(next('0 * * * *', '2024-05-06T10:00:00.000Z'), '2024-05-06T11:00:00.000Z'); // 12:00 CEST → 13:00
  assert.equal(next('*/2 * * * * *', '2024-05-06T10:00:00.500Z'), '2024-05-06T10:00:02.000Z');
  assert.equal(next('* * * * * *', '2024-05-06T10:00:00.999Z'), '2024-05-06T10:00:01.000Z');
  assert.equal(next('0 0 L * *', '2024-02-10T12:00:00Z'), '2024-02-28T23:00:00.000Z'); // 29 Feb 00:00 CET
  assert.equal(next('0 0 15W * *', '2024-06-01T00:00:00Z'), '2024-06-13T22:00:00.000Z'); // 15 June is a Saturday: Friday 14th
  assert.equal(next('0 0 1W * *', '2024-06-01T00:00:00Z'), '2024-06-02T22:00:00.000Z'); // 1 June is a Saturday: Monday 3rd, not in May
  assert.equal(next('0 0 * * 5L', '2024-05-01T00:00:00Z'), '2024-05-30T22:00:00.000Z'); // last Friday of May: the 31st
  assert.equal(next('0 0 * * mon#2', '2024-05-01T00:00:00Z'), '2024-05-12T22:00:00.000Z'); // second Monday: the 13th
  // Day of month AND day of week: Friday the 13th.
  assert.equal(next('0 0 13 * fri', '2024-01-01T00:00:00Z'), '2024-09-12T22:00:00.000Z');
  // 29 February on a Monday: 2044.
  assert.equal(next('0 0 29 2 mon', '2024-03-01T00:00:00Z'), '2044-02-28T23:00:00.000Z');
  assert.equal(next('0 0 31W 2 *', '2024-03-01T00:00:00Z'), null);
});

test('DST in Berlin: a skipped time does not fire, a repeated one fires at its first occurrence', () => {
  // 2024-03-31 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day.
  assert.equal(next('0 30 2 * * *', '2024-03-30T12:00:00Z'), '2024-04-01T00:30:00.000Z');
  assert.equal(next('0 30 2,3 * * *', '2024-03-30T12:00:00Z'), '2024-03-31T01:30:00.000Z'); // 03:30 CEST
  assert.equal(next('* * * * * *', '2024-03-31T00:59:59Z'), '2024-03-31T01:00:00.000Z'); // 01:59:59 CET → 03:00:00 CEST
  // 2024-10-27 03:00 CEST goes back to 02:00 CET: 02:30 occurs at 00:30 and 01:30 UTC.
  assert.equal(next('0 30 2 * * *', '2024-10-26T12:00:00Z'), '2024-10-27T00:30:00.000Z');
  assert.equal(next('0 30 2 * * *', '2024-10-27T00:30:00Z'), '2024-10-28T01:30:00.000Z');
  assert.equal(next('0 0 * * * *', '2024-10-27T00:00:00Z'), '2024-10-27T02:00:00.000Z'); // 02:00 CEST, then 03:00 CET
  // Inside the repeat every second was served already, until 03:00 CET.
  assert.equal(next('* * * * * *', '2024-10-27T01:20:00Z'), '2024-10-27T02:00:00.000Z');
  assert.equal(next('* * * * * *', '2024-10-27T00:59:59Z'), '2024-10-27T02:00:00.000Z');
});

test('error messages name the field and what is wrong', () => {
  const cases: [string, string][] = [
    ['every hour', 'expression: expected 5 or 6 fields (seconds first), got 2'],
    ['', 'expression: expected 5 or 6 fields (seconds first), got 0'],
    ['60 * * * *', "minute: '60' is out of range 0-59"],
    ['* * * * * 8', "day of week: '8' is out of range 0-7"],
    ['5/15 * * * *', "minute: '5/15': a step needs * or a range before it (*/15 or 5-59/15)"],
    ['0 */0 * * *', "hour: '*/0': the step must be 1 or more"],
    ['0 0 1,,2 * *', "day of month: empty list item in '1,,2'"],
    ['0 0 L-31 * *', "day of month: 'L-31': n in L-n must be 1-30"],
    ['0 0 * * 1#6', "day of week: '1#6': k in n#k must be 1-5"],
    ['0 0 * * 07L', "day of week: '07L': the weekday is one digit 0-7 or a name"],
    ['0 0 30 feb *', 'day of month: day 30 never occurs in month feb'],
    ['0 0 * foo *', "month: 'foo' is not a number, a range a-b or a step */s or a-b/s (or jan-dec)"],
    ['0 0 W * *', "day of month: 'W' is not a number, a range a-b or a step */s or a-b/s, L, L-n, nW or LW"],
    ['0 0 31W 2 *', 'expression: no time matches in the next 100 years'],
  ];
  for (const [expression, reason] of cases) assert.equal(scheduleError(expression, new Date('2024-01-01T00:00:00Z')), `invalid schedule '${expression}' (${reason})`);
  assert.equal(scheduleError('0 0 29 2 mon', new Date('2024-03-01T00:00:00Z')), null);
});

test('validity equals node-cron on hand-picked expressions', () => {
  for (const expression of EDGE_CASES) assert.deepEqual([expression, parseCron(expression).ok, cron.validate(expression)], [expression, true, true]);
  for (const expression of INVALID) assert.deepEqual([expression, parseCron(expression).ok, cron.validate(expression)], [expression, false, false]);
  // What node-cron accepted by accident, we refuse.
  for (const expression of REFUSED_ON_PURPOSE) {
    const parsed = parseCron(expression);
    assert.deepEqual([expression, parsed.ok, cron.validate(expression)], [expression, false, true]);
    assert.ok(!parsed.ok && refusedOnPurpose(expression, parsed.reason), `${expression}: ${parsed.ok ? '' : parsed.reason}`);
  }
});

test('validity equals node-cron on 3000 mutated random expressions (seed 3), but for what we refuse on purpose', () => {
  const rand = prng(3);
  let [valid, refused] = [0, 0];
  for (let i = 0; i < 3000; i++) {
    const expression = mutate(randomExpression(rand), rand);
    const [ours, theirs] = [parseCron(expression), cron.validate(expression)];
    if (ours.ok) valid += 1;
    if (ours.ok === theirs) continue;
    assert.ok(!ours.ok && theirs && refusedOnPurpose(expression, ours.reason), `'${expression}': ours ${ours.ok ? 'accepts' : `rejects (${ours.reason})`}, node-cron ${theirs ? 'accepts' : 'rejects'}`);
    refused += 1;
  }
  // Both kinds occur, so the comparison compares something.
  assert.ok(valid > 300 && refused < 150, `${valid} valid, ${refused} refused on purpose`);
});
