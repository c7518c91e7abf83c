// The calendar remembers local-time results per instant; a changed TZ must not be
// answered from what was remembered under the previous zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localTime, zone } from '../../src/plan/calendar.js';

const startOfHour = (ms: number): number => zone().startOfHour(ms);
const daysElapsed = (a: number, b: number): number => zone().daysElapsed(a, b);

const INSTANT = Date.UTC(2026, 2, 29, 0, 30); // 00:30 UTC, 01:30 in Berlin (before the switch to summer time)

test('localTime and startOfHour follow a change of TZ within the process', () => {
  const saved = process.env['TZ'];
  try {
    process.env['TZ'] = 'UTC';
    assert.deepEqual([localTime(INSTANT).hour, localTime(INSTANT).isDst], [0, false]);
    assert.equal(startOfHour(INSTANT), Date.UTC(2026, 2, 29, 0, 0));
    assert.equal(zone().minuteStamp(INSTANT), '2026-03-29 00:30');
    process.env['TZ'] = 'Europe/Berlin';
    assert.equal(zone().minuteStamp(INSTANT), '2026-03-29 01:30');
    assert.deepEqual([localTime(INSTANT).hour, localTime(INSTANT).isDst], [1, false]);
    assert.equal(localTime(INSTANT + 3_600_000).hour, 3);
    assert.equal(localTime(INSTANT + 3_600_000).isDst, true);
    assert.equal(startOfHour(INSTANT), Date.UTC(2026, 2, 29, 0, 0));
    process.env['TZ'] = 'America/New_York';
    assert.equal(localTime(INSTANT).hour, 20);
    assert.equal(localTime(INSTANT).day, 28);
    assert.equal(daysElapsed(INSTANT, INSTANT - 86_400_000), 1);
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
});

test('many distinct instants are all answered correctly (the memo empties when full)', () => {
  const saved = process.env['TZ'];
  try {
    process.env['TZ'] = 'UTC';
    for (let i = 0; i < 10_000; i++) {
      const ms = Date.UTC(2020, 0, 1) + i * 3_600_000;
      assert.equal(localTime(ms).hour, i % 24);
    }
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
});
