process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Criterion, LogOptions } from '../../src/config/model.js';
import { planSection } from '../../src/plan/planner.js';
import type { LogDecision } from '../../src/plan/model.js';
import { DAILY, MemFs, section, type FileSpec } from './fixtures.js';

const LOG = '/var/log/app.log';

interface Case {
  readonly options?: Partial<LogOptions>;
  readonly last?: Date;
  readonly now: Date;
  readonly file?: FileSpec | null;
  readonly force?: boolean;
  readonly fs?: MemFs;
  readonly isRoot?: boolean;
}

function decideOne(c: Case): LogDecision {
  const fs = c.fs ?? new MemFs();
  if (c.fs === undefined && c.file !== null) fs.file(LOG, c.file ?? {});
  const state = new Map(c.last === undefined ? [] : [[LOG, c.last] as const]);
  const plan = planSection(section([LOG], c.options ?? DAILY), { state, fs, now: c.now, force: c.force ?? false, isRoot: c.isRoot ?? true });
  return plan.decisions[0] as LogDecision;
}

function verdict(c: Case): string {
  const v = decideOne(c).verdict;
  return v.kind === 'error' ? `error:${v.message}` : `${v.kind}:${v.why}`;
}

const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date => new Date(y, mo - 1, d, h, mi, s);
const crit = (criterion: Criterion, extra: Partial<LogOptions> = {}): Partial<LogOptions> => ({ criterion, ...extra });

test('daily rotates on a new calendar date, not on a 24-hour span', () => {
  assert.equal(verdict({ last: at(2024, 3, 4, 23, 59), now: at(2024, 3, 5, 0, 1) }), 'rotate:time');
  assert.equal(verdict({ last: at(2024, 3, 5, 0, 0), now: at(2024, 3, 5, 23, 59) }), 'skip:not-due');
  assert.equal(verdict({ last: at(2023, 12, 31, 12), now: at(2024, 1, 1, 0, 0) }), 'rotate:time');
});

test('main compares the minute: same minute is "already rotated", same hour is not due', () => {
  assert.equal(verdict({ last: at(2024, 3, 5, 10, 7), now: at(2024, 3, 5, 10, 7, 59) }), 'skip:already-rotated');
  assert.equal(verdict({ last: at(2024, 3, 5, 10, 7), now: at(2024, 3, 5, 10, 8) }), 'skip:not-due');
});

test('hourly rotates when the hour (or date) changes', () => {
  const o = crit({ kind: 'hourly' });
  assert.equal(verdict({ options: o, last: at(2024, 3, 5, 10, 59), now: at(2024, 3, 5, 11, 0) }), 'rotate:time');
  assert.equal(verdict({ options: o, last: at(2024, 3, 5, 10, 0), now: at(2024, 3, 5, 10, 59) }), 'skip:not-due');
  assert.equal(verdict({ options: o, last: at(2024, 2, 5, 10, 30), now: at(2024, 3, 5, 10, 31) }), 'rotate:time');
  assert.equal(verdict({ options: o, last: at(2023, 3, 5, 10, 30), now: at(2024, 3, 5, 10, 31) }), 'rotate:time');
});

test('weekly N: 7 calendar days, or a new day that is weekday N (7 = any weekday)', () => {
  // 2024-01-01 is a Monday.
  const last = at(2024, 1, 1, 10);
  for (let n = 0; n <= 7; n++) {
    for (let k = 0; k <= 8; k++) {
      const now = at(2024, 1, 1 + k, 11);
      const expected = k >= 7 || (k >= 1 && now.getDay() === n) ? 'rotate:time' : 'skip:not-due';
      assert.equal(verdict({ options: crit({ kind: 'weekly', weekday: n }), last, now }), expected, `weekly ${n}, ${k} days`);
    }
  }
});

test('weekly counts midnights, not hours', () => {
  const o = crit({ kind: 'weekly', weekday: 7 });
  assert.equal(verdict({ options: o, last: at(2024, 1, 1, 23, 30), now: at(2024, 1, 8, 0, 10) }), 'rotate:time');
  assert.equal(verdict({ options: o, last: at(2024, 1, 1, 0, 10), now: at(2024, 1, 7, 23, 50) }), 'skip:not-due');
  // Across the year boundary: Sunday 2023-12-31 to Sunday 2024-01-07.
  assert.equal(verdict({ options: crit({ kind: 'weekly', weekday: 0 }), last: at(2023, 12, 31, 5), now: at(2024, 1, 7, 1) }), 'rotate:time');
});

test('monthly: first run in a new month or year', () => {
  const o = crit({ kind: 'monthly', day: 0 });
  assert.equal(verdict({ options: o, last: at(2024, 1, 31, 23, 59), now: at(2024, 2, 1, 0, 0) }), 'rotate:time');
  assert.equal(verdict({ options: o, last: at(2024, 1, 1, 0, 0), now: at(2024, 1, 31, 23, 59) }), 'skip:not-due');
  assert.equal(verdict({ options: o, last: at(2023, 3, 10), now: at(2024, 3, 5) }), 'rotate:time');
});

test('monthly N: that day, the last day of a shorter month, or 31 days', () => {
  const on = (day: number): Partial<LogOptions> => crit({ kind: 'monthly', day });
  assert.equal(verdict({ options: on(15), last: at(2024, 1, 10), now: at(2024, 1, 15, 1) }), 'rotate:time');
  assert.equal(verdict({ options: on(15), last: at(2024, 1, 10), now: at(2024, 1, 14, 23) }), 'skip:not-due');
  assert.equal(verdict({ options: on(15), last: at(2024, 1, 15, 8), now: at(2024, 1, 15, 9) }), 'skip:not-due');
  // Leap year: Feb 29 is the last day, Feb 28 is not.
  assert.equal(verdict({ options: on(31), last: at(2024, 2, 1), now: at(2024, 2, 29, 1) }), 'rotate:time');
  assert.equal(verdict({ options: on(31), last: at(2024, 2, 1), now: at(2024, 2, 28, 1) }), 'skip:not-due');
  assert.equal(verdict({ options: on(31), last: at(2023, 2, 1), now: at(2023, 2, 28, 1) }), 'rotate:time');
  assert.equal(verdict({ options: on(30), last: at(2024, 4, 1), now: at(2024, 4, 30, 1) }), 'rotate:time');
  assert.equal(verdict({ options: on(15), last: at(2024, 3, 1), now: at(2024, 3, 31, 1) }), 'rotate:time');
  assert.equal(verdict({ options: on(15), last: at(2024, 1, 1), now: at(2024, 2, 1, 1) }), 'rotate:time');
  assert.equal(verdict({ options: on(15), last: at(2024, 1, 2), now: at(2024, 2, 1, 1) }), 'skip:not-due');
  assert.equal(verdict({ options: on(31), last: at(2024, 12, 31, 1), now: at(2024, 12, 31, 5) }), 'skip:not-due');
});

test('yearly rotates when the year changes', () => {
  const o = crit({ kind: 'yearly' });
  assert.equal(verdict({ options: o, last: at(2023, 12, 31, 23, 59), now: at(2024, 1, 1, 0, 0) }), 'rotate:time');
  assert.equal(verdict({ options: o, last: at(2024, 1, 1, 0, 0), now: at(2024, 12, 31, 23, 59) }), 'skip:not-due');
});

test('minutes N: more than N whole minutes', () => {
  const o = crit({ kind: 'minutes', minutes: 5 });
  assert.equal(verdict({ options: o, last: at(2024, 3, 5, 10, 0), now: at(2024, 3, 5, 10, 5, 59) }), 'skip:not-due');
  assert.equal(verdict({ options: o, last: at(2024, 3, 5, 10, 0), now: at(2024, 3, 5, 10, 6, 0) }), 'rotate:time');
  assert.equal(verdict({ options: o, last: at(2024, 3, 5, 10, 0), now: at(2024, 3, 5, 10, 0, 59) }), 'skip:already-rotated');
});

test('a last rotation more than 25 hours ahead forces rotation, flagged for an error-level notice', () => {
  const o = crit({ kind: 'yearly' });
  const now = at(2024, 6, 1, 12);
  const ahead = (s: number): Date => new Date(now.getTime() + s * 1000);
  const d = decideOne({ options: o, last: ahead(25 * 3600 + 1), now });
  assert.deepEqual([d.verdict, d.future], [{ kind: 'rotate', why: 'future' }, true]);
  assert.equal(verdict({ options: o, last: ahead(25 * 3600), now }), 'skip:not-due');
  assert.equal(verdict({ options: crit({ kind: 'size', bytes: 1000 }), last: ahead(30 * 3600), now, file: { size: 10 } }), 'skip:too-small');
});

test('size criterion: at or above the threshold, whatever the time', () => {
  const o = crit({ kind: 'size', bytes: 1000 });
  const now = at(2024, 3, 5, 10, 30);
  assert.equal(verdict({ options: o, now, last: now, file: { size: 1000 } }), 'rotate:size');
  assert.equal(verdict({ options: o, now, last: at(2020, 1, 1), file: { size: 999 } }), 'skip:too-small');
  // minsize and minage only apply to time criteria.
  assert.equal(verdict({ options: { ...o, minSize: 5000, minAge: 9 }, now, file: { size: 1000, mtime: now } }), 'rotate:size');
});

test('maxsize overrides the criterion (strictly greater), minsize and minage do not apply to it', () => {
  const o = { ...DAILY, maxSize: 500, minSize: 10_000, minAge: 3 };
  const now = at(2024, 3, 5, 10, 30);
  const last = at(2024, 3, 5, 9);
  assert.equal(verdict({ options: o, now, last, file: { size: 501, mtime: now } }), 'rotate:maxsize');
  assert.equal(verdict({ options: o, now, last, file: { size: 500, mtime: now } }), 'skip:not-due');
});

test('minsize and minage veto a due time rule; every check that holds is reported', () => {
  const now = at(2024, 3, 5, 10, 30);
  const due = at(2024, 3, 4, 10);
  assert.equal(verdict({ options: { ...DAILY, minSize: 100 }, now, last: due, file: { size: 99 } }), 'skip:minsize');
  assert.equal(verdict({ options: { ...DAILY, minSize: 100 }, now, last: due, file: { size: 100 } }), 'rotate:time');
  const age = (s: number): Date => new Date(now.getTime() - s * 1000);
  assert.equal(verdict({ options: { ...DAILY, minAge: 2 }, now, last: due, file: { mtime: age(2 * 86400) } }), 'skip:minage');
  assert.equal(verdict({ options: { ...DAILY, minAge: 2 }, now, last: due, file: { mtime: age(2 * 86400 + 1) } }), 'rotate:time');
  const all = decideOne({ options: { ...DAILY, minSize: 100, minAge: 2 }, now, last: at(2024, 3, 5, 9), file: { size: 1, mtime: now } });
  assert.deepEqual([all.verdict, all.reasons], [{ kind: 'skip', why: 'not-due' }, ['not-due', 'minsize', 'minage']]);
});

test('-f rotates anything that exists, but not empty logs under notifempty', () => {
  const now = at(2024, 3, 5, 10, 30);
  assert.equal(verdict({ force: true, now, last: now }), 'rotate:force');
  assert.equal(verdict({ force: true, options: { ...DAILY, minSize: 1000 }, now, last: now, file: { size: 1 } }), 'rotate:force');
  assert.equal(verdict({ force: true, options: { ...DAILY, ifEmpty: false }, now, last: now, file: { size: 0 } }), 'skip:empty');
  assert.equal(verdict({ force: true, options: { ...DAILY, ifEmpty: true }, now, last: now, file: { size: 0 } }), 'rotate:force');
  assert.equal(verdict({ force: true, options: { ...DAILY, missingOk: true }, now, file: null }), 'skip:missing');
  assert.equal(verdict({ options: { ...DAILY, ifEmpty: false }, now, last: at(2024, 3, 4), file: { size: 0 } }), 'skip:empty');
});

test('missing logs: skipped with missingok, an error without; other lstat errors are errors', () => {
  const now = at(2024, 3, 5, 10, 30);
  assert.equal(verdict({ options: { ...DAILY, missingOk: true }, now, fs: new MemFs().dir('/var/log') }), 'skip:missing');
  assert.equal(verdict({ now, fs: new MemFs().dir('/var/log') }), `error:stat of ${LOG} failed: No such file or directory`);
  assert.equal(verdict({ now, fs: new MemFs().dir('/var/log').failing(LOG, 'EACCES') }), `error:stat of ${LOG} failed: Permission denied`);
});

test('symlinks are never rotated; hard-linked logs only with allowhardlink', () => {
  const now = at(2024, 3, 5, 10, 30);
  const last = at(2024, 3, 1);
  assert.equal(verdict({ now, last, fs: new MemFs().symlink(LOG), force: true }), 'skip:symlink');
  assert.equal(verdict({ now, last, file: { nlink: 2 } }), 'skip:hardlink');
  assert.equal(verdict({ now, last, file: { nlink: 2 }, options: { ...DAILY, allowHardlink: true } }), 'rotate:time');
});

test('root refuses logs in group/world-writable parents unless su is set', () => {
  const now = at(2024, 3, 5, 10, 30);
  const last = at(2024, 3, 1);
  const insecure =
    `error:skipping "${LOG}" because parent directory has insecure permissions (It's world writable or writable by group` +
    ` which is not "root") Set "su" directive in config file to tell logrotate which user/group should be used for rotation.`;
  const withDir = (mode: number, gid: number): MemFs => new MemFs().dir('/var/log', mode, gid).file(LOG);
  assert.equal(verdict({ now, last, fs: withDir(0o777, 0) }), insecure);
  assert.equal(verdict({ now, last, fs: withDir(0o775, 4) }), insecure);
  assert.equal(verdict({ now, last, fs: withDir(0o1777, 0), options: { ...DAILY, missingOk: true } }), insecure);
  assert.equal(verdict({ now, last, fs: withDir(0o775, 0) }), 'rotate:time');
  assert.equal(verdict({ now, last, fs: withDir(0o777, 0), isRoot: false }), 'rotate:time');
  const su = { uid: 4, gid: 4, user: 'syslog', group: 'adm' };
  assert.equal(verdict({ now, last, fs: withDir(0o777, 4), options: { ...DAILY, su } }), 'rotate:time');
});

test('a missing parent directory is a quiet skip with missingok and an error without', () => {
  const now = at(2024, 3, 5, 10, 30);
  const gone = decideOne({ now, fs: new MemFs(), options: { ...DAILY, missingOk: true } });
  assert.deepEqual([gone.verdict, gone.parentMissing], [{ kind: 'skip', why: 'missing' }, true]);
  assert.equal(verdict({ now, fs: new MemFs() }), 'error:stat of /var/log failed: No such file or directory');
});

test('a log seen for the first time gets this hour as its state time and waits for time rules', () => {
  const now = at(2024, 3, 5, 14, 23, 45);
  const d = decideOne({ now });
  assert.deepEqual([d.newStateEntry, d.lastRotated.getTime(), d.verdict], [true, at(2024, 3, 5, 14).getTime(), { kind: 'skip', why: 'not-due' }]);
  assert.equal(verdict({ now: at(2024, 3, 5, 14, 0, 30) }), 'skip:already-rotated');
  assert.equal(verdict({ now, options: crit({ kind: 'size', bytes: 10 }) }), 'rotate:size');
  const known = decideOne({ now, last: at(2024, 3, 1, 7, 8, 9) });
  assert.deepEqual([known.newStateEntry, known.lastRotated.getTime()], [false, at(2024, 3, 1, 7, 8, 9).getTime()]);
});

test('every listed file gets a decision, rotating or not', () => {
  const fs = new MemFs().file('/l/a.log').symlink('/l/b.log');
  const files = ['/l/a.log', '/l/b.log', '/l/c.log', '/l/*.txt'];
  const plan = planSection(section(files, { ...DAILY, missingOk: true }), {
    state: new Map([['/l/a.log', at(2024, 1, 1)]]),
    fs,
    now: at(2024, 3, 5, 10),
    force: false,
    isRoot: true,
  });
  assert.deepEqual(
    plan.decisions.map((d) => [d.path, d.verdict.kind === 'error' ? d.verdict.kind : d.verdict.why, d.newStateEntry]),
    [
      ['/l/a.log', 'time', false],
      ['/l/b.log', 'symlink', true],
      ['/l/c.log', 'missing', true],
      ['/l/*.txt', 'missing', true],
    ],
  );
  assert.deepEqual(plan.rotations.map((r) => r.log), ['/l/a.log']);
});
