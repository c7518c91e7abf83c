import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, linkSync, readFileSync, statSync, symlinkSync, existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { copyLog, copyTruncateLog } from '../../src/exec/copy.js';
import { MemoryLogger } from '../../src/logger.js';
import { tempLogDir, write } from './helpers.js';

const now = new Date(2026, 10, 22, 15, 0, 0);
const opts = (allowHardlink = false) => ({ allowHardlink, logger: new MemoryLogger(), now });
/** copy, or copytruncate, as the executor calls them. */
const copyTruncate = (from: string, to: string, truncate: boolean, allowHardlink = false) =>
  (truncate ? copyTruncateLog : copyLog)(from, to, opts(allowHardlink));

test('copy leaves the log alone and gives the copy its mode and owner', async () => {
  const dir = tempLogDir();
  const log = join(dir, 'a.log');
  write(log, 'line 1\nline 2\n', 0o640);
  chownSync(log, 65534, 65534);
  assert.deepEqual(await copyTruncate(log, `${log}.1`, false), { ok: true });
  assert.equal(readFileSync(log, 'utf8'), 'line 1\nline 2\n');
  assert.equal(readFileSync(`${log}.1`, 'utf8'), 'line 1\nline 2\n');
  const st = statSync(`${log}.1`);
  assert.deepEqual([st.mode & 0o7777, st.uid, st.gid], [0o640, 65534, 65534]);
});

test('copytruncate empties the log in place (same inode)', async () => {
  const dir = tempLogDir();
  const log = join(dir, 'a.log');
  write(log, 'x'.repeat(100000));
  const inode = statSync(log).ino;
  assert.deepEqual(await copyTruncate(log, `${log}.1`, true), { ok: true });
  assert.equal(statSync(log).size, 0);
  assert.equal(statSync(log).ino, inode);
  assert.equal(readFileSync(`${log}.1`, 'utf8'), 'x'.repeat(100000));
});

test('a sparse log gives a sparse copy with the same bytes', async () => {
  const dir = tempLogDir();
  const log = join(dir, 'sparse.log');
  const fd = openSync(log, 'w');
  writeSync(fd, 'head');
  writeSync(fd, 'tail', 8 * 1024 * 1024);
  closeSync(fd);
  assert.deepEqual(await copyTruncate(log, `${log}.1`, false), { ok: true });
  const copy = statSync(`${log}.1`);
  assert.equal(copy.size, statSync(log).size);
  assert.ok(copy.blocks * 512 < 1024 * 1024, `copy uses ${copy.blocks * 512} bytes on disk`);
  assert.deepEqual(readFileSync(`${log}.1`), readFileSync(log));
});

test('symlinks and hard-linked logs are refused; allowhardlink lifts the second', async () => {
  const dir = tempLogDir();
  const real = join(dir, 'real.log');
  write(real, 'data');
  const link = join(dir, 'link.log');
  symlinkSync(real, link);
  assert.deepEqual(await copyTruncate(link, `${link}.1`, true), {
    ok: false,
    error: `error opening ${link}: Too many levels of symbolic links`,
  });
  linkSync(real, join(dir, 'second-name'));
  assert.deepEqual(await copyTruncate(real, `${real}.1`, true), {
    ok: false,
    error: `error opening ${real}: Operation not supported`,
  });
  assert.equal(readFileSync(real, 'utf8'), 'data');
  assert.ok(!existsSync(`${real}.1`));
  assert.deepEqual(await copyTruncate(real, `${real}.1`, true, true), { ok: true });
  assert.equal(readFileSync(`${real}.1`, 'utf8'), 'data');
});

test('an extended ACL on the log is carried to the copy', async () => {
  const dir = tempLogDir();
  const log = join(dir, 'acl.log');
  write(log, 'data', 0o640);
  execFileSync('setfacl', ['-m', 'u:65534:r', log]);
  assert.deepEqual(await copyTruncate(log, `${log}.1`, false), { ok: true });
  const shown = execFileSync('getfacl', ['--omit-header', '--absolute-names', `${log}.1`], { encoding: 'utf8' });
  assert.match(shown, /^user:nobody:r--$/m);
});
