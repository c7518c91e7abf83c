// Berlin switches to summer time on 2024-03-31 02:00 and back on 2024-10-27 03:00.
process.env.TZ = 'Europe/Berlin';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Criterion, LogOptions } from '../../src/config/model.js';
import { planSection } from '../../src/plan/planner.js';
import type { LogDecision, LogRotation } from '../../src/plan/model.js';
import { MemFs, section } from './fixtures.js';

const LOG = '/var/log/app.log';
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date => new Date(Date.UTC(y, mo - 1, d, h, mi, s));

function planOne(criterion: Criterion, now: Date, last?: Date, extra: Partial<LogOptions> = {}): { decision: LogDecision; rotation?: LogRotation } {
  const state = new Map(last === undefined ? [] : [[LOG, last] as const]);
  const plan = planSection(section([LOG], { criterion, ...extra }), { state, fs: new MemFs().file(LOG), now, force: false, isRoot: true });
  return { decision: plan.decisions[0] as LogDecision, ...(plan.rotations[0] ? { rotation: plan.rotations[0] } : {}) };
}

function why(criterion: Criterion, now: Date, last: Date): string {
  const v = planOne(criterion, now, last).decision.verdict;
  return v.kind === 'error' ? v.message : v.why;
}

test('daily follows the local date across spring-forward', () => {
  // 23:30 CET on the 30th → 00:30 CET on the 31st.
  assert.equal(why({ kind: 'daily' }, utc(2024, 3, 30, 23, 30), utc(2024, 3, 30, 22, 30)), 'time');
  // 01:30 CET → 03:30 CEST, same date.
  assert.equal(why({ kind: 'daily' }, utc(2024, 3, 31, 1, 30), utc(2024, 3, 31, 0, 30)), 'not-due');
});

test("weekly takes each midnight with its own instant's DST flag (glibc mktime), losing an hour in spring", () => {
  const weekly7: Criterion = { kind: 'weekly', weekday: 7 };
  // Sun 2024-03-24 10:00 CET → Sun 2024-03-31 10:00 CEST: 7 dates apart, but counted as 6.
  assert.equal(why(weekly7, utc(2024, 3, 31, 8), utc(2024, 3, 24, 9)), 'not-due');
  assert.equal(why(weekly7, utc(2024, 4, 1, 8), utc(2024, 3, 24, 9)), 'time');
  // Autumn gains the hour: Sun 2024-10-20 10:00 CEST → Sun 2024-10-27 10:00 CET is 7.
  assert.equal(why(weekly7, utc(2024, 10, 27, 9), utc(2024, 10, 20, 8)), 'time');
  // The weekday rule does not depend on the count.
  assert.equal(why({ kind: 'weekly', weekday: 0 }, utc(2024, 3, 31, 8), utc(2024, 3, 24, 9)), 'time');
});

test('hourly compares wall-clock hours, so the repeated hour in autumn does not rotate', () => {
  // 02:10 CEST (00:10 UTC) → 02:20 CET (01:20 UTC): an hour later, same local hour.
  assert.equal(why({ kind: 'hourly' }, utc(2024, 10, 27, 1, 20), utc(2024, 10, 27, 0, 10)), 'not-due');
  // 01:58 CET → 03:01 CEST: a new local hour after three real minutes.
  assert.equal(why({ kind: 'hourly' }, utc(2024, 3, 31, 1, 1), utc(2024, 3, 31, 0, 58)), 'time');
});

test('minutes counts real elapsed time across the gap', () => {
  const five: Criterion = { kind: 'minutes', minutes: 5 };
  assert.equal(why(five, utc(2024, 3, 31, 1, 1), utc(2024, 3, 31, 0, 58)), 'not-due');
  assert.equal(why(five, utc(2024, 3, 31, 1, 4), utc(2024, 3, 31, 0, 58)), 'time');
});

test('a new state entry in the repeated autumn hour starts at that (second) 02:00', () => {
  const { decision } = planOne({ kind: 'daily' }, utc(2024, 10, 27, 1, 30));
  assert.equal(decision.lastRotated.getTime(), utc(2024, 10, 27, 1).getTime());
  const first = planOne({ kind: 'daily' }, utc(2024, 10, 27, 0, 30)).decision;
  assert.equal(first.lastRotated.getTime(), utc(2024, 10, 27, 0).getTime());
});

test('dateyesterday on the first summer day: noon of yesterday read with summer offset gives 11', () => {
  const { rotation } = planOne({ kind: 'daily' }, utc(2024, 3, 31, 13, 13, 31), utc(2024, 3, 30, 8), {
    dateExt: true,
    dateYesterday: true,
    dateFormat: '-%Y%m%d%H%M%S',
  });
  assert.equal(rotation?.finalName, '/var/log/app.log-20240330111331');
});

test('datehourago steps back one real hour over the gap', () => {
  const { rotation } = planOne({ kind: 'hourly' }, utc(2024, 3, 31, 1, 30), utc(2024, 3, 30, 8), { dateExt: true, dateHourAgo: true });
  // 03:30 CEST minus an hour is 01:30 CET.
  assert.equal(rotation?.finalName, '/var/log/app.log-2024033101');
});

test('%z follows the offset in force', () => {
  const name = (now: Date): string | undefined =>
    planOne({ kind: 'daily' }, now, utc(2024, 1, 1), { dateExt: true, dateFormat: '-%Y%m%d%z' }).rotation?.finalName;
  assert.equal(name(utc(2024, 3, 31, 0, 30)), '/var/log/app.log-20240331+0100');
  assert.equal(name(utc(2024, 3, 31, 1, 30)), '/var/log/app.log-20240331+0200');
});
