process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Criterion, LogOptions } from '../../src/config/model.js';
import { decide } from '../../src/plan/decide.js';
import { outlook, type Outlook } from '../../src/plan/outlook.js';
import { DAILY, MemFs, section } from './fixtures.js';

const LOG = '/var/log/app/app.log';
const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date => new Date(y, mo - 1, d, h, mi, s);

interface Case {
  readonly options?: Partial<LogOptions>;
  readonly last?: Date;
  readonly now: Date;
  readonly fs?: MemFs;
  readonly isRoot?: boolean;
}

function look(c: Case): Outlook {
  const fs = c.fs ?? new MemFs().file(LOG, { size: 100 });
  const state = new Map(c.last === undefined ? [] : [[LOG, c.last] as const]);
  return outlook(LOG, section([LOG], c.options ?? DAILY).options, { state, fs, now: c.now, isRoot: c.isRoot ?? true });
}

test('due, with the planner\'s reason', () => {
  const now = at(2026, 12, 2, 10);
  assert.deepEqual(look({ last: at(2026, 12, 1, 3), now }).standing, { kind: 'due', why: 'time' });
  const sized = { criterion: { kind: 'size', bytes: 50 } as Criterion };
  assert.deepEqual(look({ options: sized, now }).standing, { kind: 'due', why: 'size' });
  assert.deepEqual(look({ options: { ...DAILY, maxSize: 10 }, last: now, now }).standing, { kind: 'due', why: 'maxsize' });
  assert.deepEqual(look({ last: at(2026, 12, 5), now }).standing, { kind: 'due', why: 'future' });
});

test('not due, with every reason that holds, in the planner\'s order', () => {
  const now = at(2026, 12, 2, 10);
  assert.deepEqual(look({ last: at(2026, 12, 2, 7), now }).standing, { kind: 'not-due', reasons: ['not-due'] });
  assert.deepEqual(look({ last: at(2026, 12, 2, 10), now }).standing, { kind: 'not-due', reasons: ['already-rotated'] });
  const fs = new MemFs().file(LOG, { size: 100, mtime: at(2026, 12, 1) });
  assert.deepEqual(look({ options: { ...DAILY, minSize: 1000, minAge: 5 }, last: at(2026, 12, 2, 7), now, fs }).standing, {
    kind: 'not-due',
    reasons: ['not-due', 'minsize', 'minage'],
  });
  assert.deepEqual(look({ options: { criterion: { kind: 'size', bytes: 500 } }, now }).standing, { kind: 'not-due', reasons: ['too-small'] });
  const empty = new MemFs().file(LOG, { size: 0 });
  assert.deepEqual(look({ options: { ...DAILY, ifEmpty: false }, last: at(2026, 11, 1), now, fs: empty }).standing, {
    kind: 'not-due',
    reasons: ['empty'],
  });
});

test('refused: insecure parent directory (world or group), symbolic link, hard links', () => {
  const now = at(2026, 12, 2, 10);
  const world = new MemFs().dir('/var/log/app', 0o777).file(LOG);
  const one = look({ now, fs: world });
  assert.deepEqual(one.standing, { kind: 'refused', why: 'insecure-parent', dir: '/var/log/app', writable: 'world' });
  assert.equal(one.failsNow, true);
  const group = new MemFs().dir('/var/log/app', 0o775, 4).file(LOG);
  assert.deepEqual(look({ now, fs: group }).standing, { kind: 'refused', why: 'insecure-parent', dir: '/var/log/app', writable: 'group' });
  // Not refused without root, nor with su: the planner only checks as root without su.
  assert.equal(look({ now, fs: world, isRoot: false }).standing.kind, 'not-due');
  const su = { uid: 1, gid: 1, user: 'daemon', group: 'daemon' };
  assert.equal(look({ now, fs: world, options: { ...DAILY, su } }).standing.kind, 'not-due');
  const link = look({ now, fs: new MemFs().symlink(LOG) });
  assert.deepEqual(link.standing, { kind: 'refused', why: 'symlink' });
  assert.equal(link.failsNow, false);
  assert.deepEqual(look({ now, fs: new MemFs().file(LOG, { nlink: 3 }) }).standing, { kind: 'refused', why: 'hardlink', links: 3 });
});

test('missing: the log or its directory, with and without missingok', () => {
  const now = at(2026, 12, 2, 10);
  const noLog = look({ now, fs: new MemFs().dir('/var/log/app') });
  assert.deepEqual(noLog.standing, { kind: 'missing', path: LOG, missingOk: false });
  assert.equal(noLog.failsNow, true);
  const ok = look({ now, fs: new MemFs().dir('/var/log/app'), options: { ...DAILY, missingOk: true } });
  assert.deepEqual(ok.standing, { kind: 'missing', path: LOG, missingOk: true });
  assert.equal(ok.failsNow, false);
  assert.deepEqual(look({ now, fs: new MemFs() }).standing, { kind: 'missing', path: '/var/log/app', missingOk: false });
  assert.deepEqual(look({ now, fs: new MemFs(), options: { ...DAILY, missingOk: true } }).standing, {
    kind: 'missing',
    path: '/var/log/app',
    missingOk: true,
  });
});

test('an lstat that fails otherwise is an error with the planner\'s message', () => {
  const fs = new MemFs().dir('/var/log/app').failing(LOG, 'EACCES');
  const seen = look({ now: at(2026, 12, 2), fs });
  assert.equal(seen.standing.kind, 'error');
  assert.equal(seen.failsNow, true);
  assert.match(seen.standing.kind === 'error' ? seen.standing.message : '', /^stat of \/var\/log\/app\/app\.log failed: /);
});

test('when the time criterion is next met, per criterion', () => {
  const last = at(2026, 12, 2, 14, 25, 30); // a Wednesday
  const now = at(2026, 12, 2, 15);
  const next = (criterion: Criterion): Date | null => look({ options: { criterion }, last, now }).timeRuleMetAt;
  assert.deepEqual(next({ kind: 'hourly' }), at(2026, 12, 2, 15));
  assert.deepEqual(next({ kind: 'daily' }), at(2026, 12, 3));
  assert.deepEqual(next({ kind: 'weekly', weekday: 0 }), at(2026, 12, 6));
  assert.deepEqual(next({ kind: 'weekly', weekday: 4 }), at(2026, 12, 3));
  assert.deepEqual(next({ kind: 'weekly', weekday: 7 }), at(2026, 12, 9));
  assert.deepEqual(next({ kind: 'monthly', day: 0 }), at(2027, 1, 1));
  assert.deepEqual(next({ kind: 'monthly', day: 15 }), at(2026, 12, 15));
  assert.deepEqual(next({ kind: 'yearly' }), at(2027, 1, 1));
  assert.deepEqual(next({ kind: 'minutes', minutes: 30 }), at(2026, 12, 2, 14, 56, 30));
  assert.equal(next({ kind: 'size', bytes: 10 }), null);
  // A log the state file does not know is judged from this hour, as the next run does.
  assert.deepEqual(look({ now }).timeRuleMetAt, at(2026, 12, 3));
});

/** The instant found must be exactly where decide() flips from "not due" to "due". */
function agreesWithDecide(criterion: Criterion, last: Date): void {
  const options = section([LOG], { criterion }).options;
  const fs = new MemFs().file(LOG, { size: 100 });
  const state = new Map([[LOG, last]]);
  const found = outlook(LOG, options, { state, fs, now: last, isRoot: true }).timeRuleMetAt;
  assert.ok(found !== null, JSON.stringify(criterion));
  const verdictAt = (now: Date): string => decide(LOG, options, { state, fs, now, force: false, isRoot: true }).verdict.kind;
  const label = `${JSON.stringify(criterion)} last ${last.toString()}: found ${found.toString()}`;
  assert.equal(verdictAt(found), 'rotate', label);
  assert.equal(verdictAt(new Date(found.getTime() - 1000)), 'skip', label);
}

test('the instant agrees with decide() itself, across a year of state times and two time zones', () => {
  const criteria: Criterion[] = [
    { kind: 'hourly' },
    { kind: 'daily' },
    { kind: 'weekly', weekday: 1 },
    { kind: 'weekly', weekday: 7 },
    { kind: 'monthly', day: 0 },
    { kind: 'monthly', day: 31 },
    { kind: 'monthly', day: 10 },
    { kind: 'yearly' },
    { kind: 'minutes', minutes: 45 },
  ];
  const before = process.env.TZ;
  try {
    for (const tz of ['UTC', 'Europe/Berlin']) {
      process.env.TZ = tz;
      // Every 61 hours and 7 minutes over a year: all weekdays, month ends and both DST changes.
      for (let t = at(2026, 1, 1, 0, 3).getTime(); t < at(2027, 1, 1).getTime(); t += (61 * 60 + 7) * 60_000) {
        for (const criterion of criteria) agreesWithDecide(criterion, new Date(t));
      }
    }
  } finally {
    process.env.TZ = before;
  }
});
