// Our state files and logrotate's must be interchangeable in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeState } from '../../src/state/format.js';
import { readState, writeState } from '../../src/state/store.js';
import { scratch } from './scratch.js';

const DAY_MS = 86_400_000;

/** Local time, whole seconds, as the file stores it. */
function secondsAgo(now: number, ms: number): Date {
  return new Date(Math.floor((now - ms) / 1000) * 1000);
}

test('logrotate reads what we write, rotates by it, and we read back what it writes', (t) => {
  const s = scratch(t);
  const log = join(s.logs, 'app é.log');
  writeFileSync(log, 'a line\n');
  const conf = s.config('app.conf', `"${log}" {\n  daily\n  rotate 2\n}\n`);
  const now = Date.now();
  const odd = {
    quote: join(s.dir, 'gone/with "quote".log'),
    backslash: join(s.dir, 'gone/back\\slash\\n.log'),
    newline: join(s.dir, 'gone/new\nline.log'),
    unicode: join(s.dir, 'gone/日本語 ☃.log'),
  };
  const entries = new Map<string, Date>([
    [log, secondsAgo(now, 2 * DAY_MS)],
    [odd.quote, secondsAgo(now, 3 * DAY_MS)],
    [odd.backslash, secondsAgo(now, 4 * DAY_MS)],
    [odd.newline, secondsAgo(now, 5 * DAY_MS)],
    [odd.unicode, secondsAgo(now, 6 * DAY_MS)],
    [join(s.dir, 'gone/ancient.log'), secondsAgo(now, 800 * DAY_MS)],
  ]);
  writeFileSync(s.state, '', { mode: 0o640 });
  // Everything counts as used here, so the ancient entry is ours to keep and logrotate's to drop.
  assert.deepEqual(writeState(s.state, entries, { now: new Date(now), used: new Set(entries.keys()) }), []);

  const before = Math.floor(Date.now() / 1000) * 1000;
  const run = spawnSync('/usr/sbin/logrotate', ['-s', s.state, conf], { encoding: 'utf8' });
  const after = Date.now();
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  assert.equal(existsSync(`${log}.1`), true, 'the two-day-old entry made logrotate rotate');

  const back = readState(s.state);
  assert.equal(back.failed, false);
  assert.deepEqual(back.diagnostics.filter((d) => d.severity !== 'debug'), []);
  assert.deepEqual([...back.entries.keys()].sort(), [log, ...Object.values(odd)].sort());
  for (const path of Object.values(odd)) assert.deepEqual(back.entries.get(path), entries.get(path), path);
  const rotated = back.entries.get(log)?.getTime() ?? 0;
  assert.ok(rotated >= before && rotated <= after, `rotation time ${rotated} within the run`);

  // Same lines, byte for byte; only the order differs (logrotate's is hash order).
  const theirs = readFileSync(s.state, 'utf8').split('\n');
  const ours = serializeState(back.entries).split('\n');
  assert.equal(theirs[0], ours[0]);
  assert.deepEqual(theirs.slice(1).sort(), ours.slice(1).sort());
});

test('a version 1 state with unquoted and unpadded entries is read the same by both', (t) => {
  const s = scratch(t);
  const log = join(s.logs, 'v1.log');
  writeFileSync(log, 'x\n');
  const conf = s.config('v1.conf', `${log} {\n  size 100k\n}\n`);
  const day = (d: Date): string => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
  const month = new Date(Date.now() - 30 * DAY_MS);
  const body = `${log} ${day(new Date(Date.now() - 2 * DAY_MS))}\n${join(s.dir, 'a\\ b')} ${day(month)}-3:4:5\n`;
  writeFileSync(s.state, `logrotate state -- version 1\n${body}`, { mode: 0o640 });
  const ours = readState(s.state);
  assert.equal(ours.failed, false);
  assert.deepEqual([...ours.entries.keys()], [log, join(s.dir, 'a b')]);
  const run = spawnSync('/usr/sbin/logrotate', ['-s', s.state, conf], { encoding: 'utf8' });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  assert.equal(existsSync(`${log}.1`), false, 'a small log below its size: nothing rotated');
  assert.deepEqual(readState(s.state).entries, ours.entries);
});
