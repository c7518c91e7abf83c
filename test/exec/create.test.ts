import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createNewFile } from '../../src/exec/create.js';
import { stepContext, tempLogDir, write } from './helpers.js';

test('a new file gets the exact mode and owner asked for', async () => {
  const dir = tempLogDir();
  const path = join(dir, 'new.log');
  const ctx = stepContext();
  const made = await createNewFile(path, { mode: 0o640, uid: 65534, gid: 65534, acl: null }, ctx);
  assert.ok(made.ok);
  await made.handle.close();
  const st = statSync(path);
  assert.equal(st.mode & 0o7777, 0o640);
  assert.equal(st.uid, 65534);
  assert.equal(st.gid, 65534);
  assert.equal(st.size, 0);
  assert.deepEqual(ctx.logger.lines, []);
});

test('a file in the way is renamed to P-YYYYMMDDHH.backup with an error-level note', async () => {
  const dir = tempLogDir();
  const path = join(dir, 'a.log.1');
  write(path, 'leftover');
  const ctx = stepContext();
  const made = await createNewFile(path, { mode: 0o600, uid: 0, gid: 0, acl: null }, ctx);
  assert.ok(made.ok);
  await made.handle.close();
  assert.equal(readFileSync(`${path}-2026112215.backup`, 'utf8'), 'leftover');
  assert.equal(readFileSync(path, 'utf8'), '');
  assert.deepEqual(ctx.logger.lines, [
    { severity: 'error', text: `destination ${path} already exists, renaming to ${path}-2026112215.backup` },
  ]);
});

test('a symlink in the way is moved aside, never followed', async () => {
  const dir = tempLogDir();
  const target = join(dir, 'target');
  write(target, 'keep');
  const path = join(dir, 'link');
  execFileSync('ln', ['-s', target, path]);
  const made = await createNewFile(path, { mode: 0o644, uid: 0, gid: 0, acl: null }, stepContext());
  assert.ok(made.ok);
  await made.handle.close();
  assert.equal(readFileSync(target, 'utf8'), 'keep');
  assert.ok(statSync(path).isFile());
  assert.deepEqual(readdirSync(dir).sort(), ['link', 'link-2026112215.backup', 'target']);
});

test('a missing directory is an error value naming the path and the reason', async () => {
  const dir = tempLogDir();
  const path = join(dir, 'nodir', 'x');
  const made = await createNewFile(path, { mode: 0o644, uid: 0, gid: 0, acl: null }, stepContext());
  assert.deepEqual(made, { ok: false, error: `error creating output file ${path}: No such file or directory` });
});

test('an ACL handed on replaces the mode bits', async () => {
  const dir = tempLogDir();
  const path = join(dir, 'acl.log');
  const acl = { via: 'getfacl', text: 'user::rw-\nuser:65534:r--\ngroup::r--\nmask::r--\nother::---\n' } as const;
  const made = await createNewFile(path, { mode: 0o600, uid: 0, gid: 0, acl }, stepContext());
  assert.ok(made.ok);
  await made.handle.close();
  const shown = execFileSync('getfacl', ['--omit-header', '--absolute-names', path], { encoding: 'utf8' });
  assert.match(shown, /^user:nobody:r--$/m);
  assert.equal(statSync(path).mode & 0o777, 0o640);
});
