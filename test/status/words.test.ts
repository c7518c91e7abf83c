process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions } from '../../src/config/model.js';
import { outlook } from '../../src/plan/outlook.js';
import { humanSize, nextText, span, standingText } from '../../src/status/words.js';
import { DAILY, MemFs, section } from '../plan/fixtures.js';

const LOG = '/var/log/app/app.log';
const M = 1024 * 1024;
const NOW = new Date('2026-12-02T10:30:00Z');
const HOURS_AGO = (h: number): Date => new Date(NOW.getTime() - h * 3600_000);

function words(options: Partial<LogOptions>, fs: MemFs, last?: Date, isRoot = true): { now: string; next: string } {
  const full = section([LOG], options).options;
  const state = new Map(last === undefined ? [] : [[LOG, last] as const]);
  const seen = outlook(LOG, full, { state, fs, now: NOW, isRoot });
  const fact = fs.lstat(LOG);
  const size = fact.kind === 'present' ? fact.size : null;
  return { now: standingText(seen.standing, full, seen.decision, NOW), next: nextText(full, seen, size, NOW) };
}

const file = (size: number, mtime?: Date): MemFs => new MemFs().file(LOG, { size, ...(mtime === undefined ? {} : { mtime }) });
const SIZE_10M: Partial<LogOptions> = { criterion: { kind: 'size', bytes: 10 * M } };

test('sizes in powers of 1024, spans in one unit', () => {
  assert.deepEqual(
    [0, 512, 1024, 1536, 7.2 * M, 10 * M, 12 * M + 1, 3 * 1024 * M].map(humanSize),
    ['0B', '512B', '1K', '1.5K', '7.2M', '10M', '12M', '3G'],
  );
  assert.deepEqual([0, 40_000, 12 * 60_000, 3 * 3600_000, 30 * 3600_000, 5 * 86_400_000].map(span), ['0 s', '40 s', '12 min', '3 h', '30 h', '5 d']);
});

test('due: by size, by maxsize, by the time rule, by a state time in the future', () => {
  assert.deepEqual(words(SIZE_10M, file(12 * M)), { now: 'due: size 12M > 10M', next: 'size 10M: 12M now' });
  assert.equal(words(SIZE_10M, file(10 * M)).now, 'due: size 10M >= 10M');
  assert.deepEqual(words({ ...DAILY, maxSize: 100 * M }, file(120 * M), HOURS_AGO(1)), {
    now: 'due: size 120M > maxsize 100M',
    next: 'daily: next after 2026-12-03 00:00, or when over 100M (maxsize)',
  });
  assert.deepEqual(words(DAILY, file(100), HOURS_AGO(26)), { now: 'due: daily, rotated 26 h ago', next: 'daily: since 2026-12-02 00:00' });
  assert.equal(words(DAILY, file(100), new Date('2026-12-05T00:00:00Z')).now, "due: the state file's last rotation, 2026-12-05 00:00, is in the future");
});

test('not due: too recent, too small, below minsize, too young, empty', () => {
  assert.deepEqual(words(DAILY, file(100), HOURS_AGO(3)), { now: 'not due: rotated 3 h ago', next: 'daily: next after 2026-12-03 00:00' });
  assert.equal(words(DAILY, file(100)).now, 'not due: not in the state file yet');
  assert.deepEqual(words(SIZE_10M, file(7.2 * M)), { now: 'not due: size 7.2M < 10M', next: 'size 10M: 7.2M now' });
  const young = file(512, new Date('2026-12-01T00:00:00Z'));
  assert.deepEqual(words({ ...DAILY, minSize: M, minAge: 7 }, young, HOURS_AGO(3)), {
    now: 'not due: rotated 3 h ago; size 512B < minsize 1M; modified 35 h ago, minage 7 d',
    next: 'daily: next after 2026-12-03 00:00, once at least 1M (minsize), once older than 7 d (minage)',
  });
  assert.equal(words({ ...DAILY, ifEmpty: false }, file(0), HOURS_AGO(30)).now, 'not due: empty (notifempty)');
});

test('refused: insecure parent directory, symbolic link, hard links', () => {
  assert.equal(words(DAILY, new MemFs().dir('/var/log/app', 0o777).file(LOG)).now, 'refused: parent directory /var/log/app is world-writable');
  assert.equal(words(DAILY, new MemFs().dir('/var/log/app', 0o770, 100).file(LOG)).now, 'refused: parent directory /var/log/app is group-writable');
  assert.equal(words(DAILY, new MemFs().symlink(LOG)).now, 'refused: symbolic link');
  assert.equal(words(DAILY, new MemFs().file(LOG, { nlink: 2 })).now, 'refused: 2 hard links (no allowhardlink)');
});

test('missing: the log or its directory, with or without missingok; other errors', () => {
  const dirOnly = new MemFs().dir('/var/log/app');
  assert.deepEqual(words(SIZE_10M, dirOnly), { now: 'missing (no missingok)', next: 'size 10M' });
  assert.equal(words({ ...DAILY, missingOk: true }, dirOnly).now, 'missing (missingok)');
  assert.equal(words(DAILY, new MemFs()).now, 'missing: directory /var/log/app does not exist (no missingok)');
  assert.equal(words({ ...DAILY, missingOk: true }, new MemFs()).now, 'missing: directory /var/log/app does not exist (missingok)');
  assert.equal(words(DAILY, new MemFs().dir('/var/log/app').failing(LOG, 'EACCES')).now, 'error: stat of /var/log/app/app.log failed: Permission denied');
});

test('next rotation of every time criterion', () => {
  const last = new Date('2026-12-02T08:00:00Z'); // a Wednesday
  const next = (options: Partial<LogOptions>): string => words(options, file(100), last).next;
  assert.equal(next({ criterion: { kind: 'hourly' } }), 'hourly: since 2026-12-02 09:00');
  assert.equal(next({ criterion: { kind: 'weekly', weekday: 0 } }), 'weekly (Sunday): next after 2026-12-06 00:00');
  assert.equal(next({ criterion: { kind: 'weekly', weekday: 7 } }), 'weekly (every 7 days): next after 2026-12-09 00:00');
  assert.equal(next({ criterion: { kind: 'monthly', day: 0 } }), 'monthly: next after 2027-01-01 00:00');
  assert.equal(next({ criterion: { kind: 'monthly', day: 20 } }), 'monthly (day 20): next after 2026-12-20 00:00');
  assert.equal(next({ criterion: { kind: 'yearly' } }), 'yearly: next after 2027-01-01 00:00');
  assert.equal(next({ criterion: { kind: 'minutes', minutes: 200 } }), 'every 200 min: next after 2026-12-02 11:21');
});
