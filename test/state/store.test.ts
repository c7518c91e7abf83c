import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readState, writeState, type StateWriteIo } from '../../src/state/store.js';
import { SECONDS_IN_YEAR } from '../../src/state/retention.js';
import { scratch } from './scratch.js';

const HEADER = 'logrotate state -- version 2\n';
const NOW = new Date(2026, 10, 22, 14, 30, 15);
const texts = (ds: readonly { text: string }[]): string[] => ds.map((d) => d.text);

test('readState: a missing file is an empty state without an error', (t) => {
  const s = scratch(t);
  const result = readState(s.state);
  assert.equal(result.failed, false);
  assert.deepEqual(result.entries, new Map());
  assert.deepEqual(
    result.diagnostics.map((d) => [d.severity, d.text]),
    [
      ['debug', `Reading state from file: ${s.state}`],
      ['debug', `state file ${s.state} does not exist`],
      ['debug', 'Allocating hash table for state file, size 64 entries'],
    ],
  );
});

test('readState: an empty file is an empty state without an error', (t) => {
  const s = scratch(t);
  writeFileSync(s.state, '');
  const result = readState(s.state);
  assert.equal(result.failed, false);
  assert.deepEqual(result.entries, new Map());
  assert.ok(result.diagnostics.every((d) => d.severity === 'debug'));
});

test('readState: a directory fails with logrotate\'s message', (t) => {
  const s = scratch(t);
  mkdirSync(s.state);
  const result = readState(s.state);
  assert.equal(result.failed, true);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.text),
    [`error opening state file ${s.state}: Is a directory`],
  );
});

test('readState: bad lines fail the read but keep every readable entry', (t) => {
  const s = scratch(t);
  writeFileSync(s.state, `${HEADER}"/a" 2026-1-1\nnonsense\n"/b" 2026-1-2\n`);
  const result = readState(s.state);
  assert.equal(result.failed, true);
  assert.deepEqual([...result.entries.keys()], ['/a', '/b']);
  assert.ok(texts(result.diagnostics).includes(`bad line 3 in state file ${s.state}`));
});

test('writeState: replaces the file atomically, keeping owner, dropping o+r', (t) => {
  const s = scratch(t);
  writeFileSync(s.state, `${HEADER}"/old" 2026-1-1-0:0:0\n`, { mode: 0o644 });
  chmodSync(s.state, 0o644);
  chownSync(s.state, 1234, 5678);
  const before = statSync(s.state);
  const entries = new Map([
    ['/var/log/b.log', NOW],
    ['/var/log/a "x".log', new Date(2026, 10, 21, 3, 0, 0)],
  ]);
  const diagnostics = writeState(s.state, entries, { now: NOW, used: new Set(entries.keys()) });
  assert.deepEqual(diagnostics, []);
  assert.equal(
    readFileSync(s.state, 'utf8'),
    `${HEADER}"/var/log/a \\"x\\".log" 2026-11-21-3:0:0\n"/var/log/b.log" 2026-11-22-14:30:15\n`,
  );
  const after = statSync(s.state);
  assert.notEqual(after.ino, before.ino, 'a new inode was renamed into place');
  assert.equal(after.mode & 0o7777, 0o640);
  assert.equal(after.uid, 1234);
  assert.equal(after.gid, 5678);
  assert.equal(existsSync(`${s.state}.tmp`), false);
});

test('writeState: a restrictive mode is kept as it is', (t) => {
  const s = scratch(t);
  writeFileSync(s.state, '', { mode: 0o600 });
  chmodSync(s.state, 0o600);
  assert.deepEqual(writeState(s.state, new Map(), { now: NOW, used: new Set() }), []);
  assert.equal(statSync(s.state).mode & 0o7777, 0o600);
  assert.equal(readFileSync(s.state, 'utf8'), HEADER);
});

test('writeState: a stale S.tmp, even a symlink, is removed and not followed', (t) => {
  const s = scratch(t);
  writeFileSync(s.state, '', { mode: 0o640 });
  const victim = join(s.dir, 'victim');
  writeFileSync(victim, 'untouched');
  symlinkSync(victim, `${s.state}.tmp`);
  assert.deepEqual(writeState(s.state, new Map([['/x', NOW]]), { now: NOW, used: new Set(['/x']) }), []);
  assert.equal(readFileSync(victim, 'utf8'), 'untouched');
  assert.equal(readFileSync(s.state, 'utf8'), `${HEADER}"/x" 2026-11-22-14:30:15\n`);
  assert.equal(existsSync(`${s.state}.tmp`), false);
});

test('writeState: a failure in the middle of writing leaves the old file intact', (t) => {
  const s = scratch(t);
  const old = `${HEADER}"/precious" 2026-1-1-0:0:0\n`;
  writeFileSync(s.state, old, { mode: 0o640 });
  let calls = 0;
  const failingIo: StateWriteIo = {
    writeSync(fd, buffer, offset, length) {
      calls += 1;
      if (calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      // Half the file goes out, as a crash or a full disk would leave it.
      const half = Math.max(1, Math.floor(length / 2));
      return writeSync(fd, buffer, offset, half);
    },
  };
  const entries = new Map([['/new/one', NOW], ['/new/two', NOW]]);
  const diagnostics = writeState(s.state, entries, { now: NOW, used: new Set(entries.keys()) }, failingIo);
  assert.equal(calls, 2);
  assert.deepEqual(texts(diagnostics), [`error creating temp state file ${s.state}.tmp: No space left on device`]);
  assert.equal(diagnostics[0]?.severity, 'error');
  assert.equal(readFileSync(s.state, 'utf8'), old);
  assert.equal(existsSync(`${s.state}.tmp`), false);
});

/** A state file with `mode` and an ACL entry for nobody; null (test skipped) when the
 * filesystem or machine cannot do ACLs. */
function stateWithAcl(t: TestContext, mode: number): string | null {
  const s = scratch(t);
  writeFileSync(s.state, '');
  chmodSync(s.state, mode);
  const set = spawnSync('setfacl', ['-m', 'u:nobody:r', s.state], { encoding: 'utf8' });
  if (set.error === undefined && set.status === 0) return s.state;
  t.skip(`setfacl unavailable or unsupported here: ${set.error?.message ?? set.stderr}`);
  return null;
}

test('writeState: an extended ACL is copied to the new file', (t) => {
  const state = stateWithAcl(t, 0o640);
  if (state === null) return;
  const acl = (path: string): string => spawnSync('getfacl', ['--omit-header', '--absolute-names', path], { encoding: 'utf8' }).stdout;
  const expected = acl(state);
  assert.match(expected, /user:nobody:r--/);
  assert.deepEqual(writeState(state, new Map([['/x', NOW]]), { now: NOW, used: new Set(['/x']) }), []);
  assert.equal(acl(state), expected);
  assert.equal(readFileSync(state, 'utf8'), `${HEADER}"/x" 2026-11-22-14:30:15\n`);
});

test('writeState: with o+r to drop, the ACL is not copied and the plain mode wins', (t) => {
  const state = stateWithAcl(t, 0o644);
  if (state === null) return;
  assert.deepEqual(writeState(state, new Map(), { now: NOW, used: new Set() }), []);
  const extended = spawnSync('getfacl', ['--skip-base', '--omit-header', '--absolute-names', state], { encoding: 'utf8' });
  assert.equal(extended.stdout, '');
  assert.equal(statSync(state).mode & 0o7777, 0o640);
});

test('writeState: unused entries older than a solar year are dropped, with a debug line', (t) => {
  const s = scratch(t);
  writeFileSync(s.state, '', { mode: 0o640 });
  const yearAgo = new Date(NOW.getTime() - SECONDS_IN_YEAR * 1000);
  const justOver = new Date(yearAgo.getTime() - 1000);
  const entries = new Map([
    ['/unused/exactly-a-year', yearAgo],
    ['/unused/over-a-year', justOver],
    ['/used/over-a-year', justOver],
    ['/unused/recent', NOW],
  ]);
  const diagnostics = writeState(s.state, entries, { now: NOW, used: new Set(['/used/over-a-year']) });
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.text]),
    [['debug', 'Removing /unused/over-a-year from state file, because it does not exist and has not been rotated for one year']],
  );
  const written = readState(s.state);
  assert.deepEqual([...written.entries.keys()], ['/unused/exactly-a-year', '/unused/recent', '/used/over-a-year']);
});

test('writeState: /dev/null is never written', () => {
  assert.deepEqual(writeState('/dev/null', new Map([['/x', NOW]]), { now: NOW, used: new Set() }), []);
  assert.equal(statSync('/dev/null').isCharacterDevice(), true);
});

test('writeState: refuses a state path that is not a regular file, or missing', (t) => {
  const s = scratch(t);
  mkdirSync(s.state);
  assert.deepEqual(texts(writeState(s.state, new Map(), { now: NOW, used: new Set() })), [
    `not writing state to ${s.state} because it is not a regular file`,
  ]);
  const missing = join(s.dir, 'missing');
  assert.deepEqual(texts(writeState(missing, new Map(), { now: NOW, used: new Set() })), [
    `error opening state file ${missing}: No such file or directory`,
  ]);
  assert.equal(existsSync(`${missing}.tmp`), false);
});

test('readState: one "Creating new state" per distinct path loaded, before any error (as logrotate -v)', (t) => {
  const s = scratch(t);
  writeFileSync(s.state, `${HEADER}"/a" 2026-1-1\n"/b" 2026-1-2\n"/a" 2026-1-3\nnonsense\n`);
  const result = readState(s.state);
  assert.deepEqual(texts(result.diagnostics).slice(2), [
    'Creating new state',
    'Creating new state',
    `bad line 5 in state file ${s.state}`,
  ]);
});
