// The directory transport (an NFS or CIFS mount in real use; a temp dir here).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepChanging, md5, scratch, transportFor as transport, type Scratch } from './files.js';

let files: Scratch;
let archive: string;

before(() => {
  files = scratch();
  archive = join(files.dir, 'mnt');
  mkdirSync(archive);
});
after(() => files?.remove());

test('copied under its name, verified, idempotent; no temporary file left', async () => {
  const file = files.compressedLog('app.log.1.gz', 2000);
  const t = await transport(`file://${archive}`);
  const name = 'web01/var/log/app.log-20261202T031500Z.gz';
  const remote = join(archive, name);
  assert.deepEqual(await t.check(file, name), { ok: true, remote, state: 'absent' });
  const done = { ok: true, remote, bytes: statSync(file).size, digest: `md5:${md5(file)}` };
  assert.deepEqual(await t.upload(file, name), { ...done, existed: false });
  assert.equal(md5(remote), md5(file));
  assert.deepEqual(readdirSync(join(archive, 'web01/var/log')), ['app.log-20261202T031500Z.gz']);
  assert.deepEqual(await t.upload(file, name), { ...done, existed: true });
  assert.deepEqual(await t.check(file, name), { ok: true, remote, state: 'same' });
});

test('other content under the name: reported, never overwritten', async () => {
  const file = files.compressedLog('other.log.1.gz', 10);
  const t = await transport(archive);
  const name = 'web01/other.log-20261202T031500Z.gz';
  mkdirSync(join(archive, 'web01'), { recursive: true });
  writeFileSync(join(archive, name), 'not ours\n');
  assert.deepEqual(await t.upload(file, name), { ok: false, kind: 'conflict', error: `${join(archive, name)}: already exists with other content; not overwritten` });
  assert.equal(readFileSync(join(archive, name), 'utf8'), 'not ours\n');
});

test('an archive directory that is not there (an unmounted share) is not created', async () => {
  const file = files.compressedLog('unmounted.log.1.gz', 10);
  const missing = join(files.dir, 'not-mounted');
  const t = await transport(missing);
  assert.deepEqual(await t.upload(file, 'web01/x-20261202T031500Z.gz'), { ok: false, kind: 'missing', error: `${missing}: archive directory does not exist (is it mounted?)` });
  assert.throws(() => statSync(missing), { code: 'ENOENT' });
});

test('a file that changes during the copy: mismatch, nothing under the name', async () => {
  const file = files.bigFile('changing.log.1', 64 * 1024 * 1024);
  const writer = await keepChanging(file, 40 * 1024 * 1024, files.dir);
  try {
    const t = await transport(archive);
    const name = 'web01/changing.log-20261202T031500Z';
    assert.deepEqual(await t.upload(file, name), {
      ok: false,
      kind: 'mismatch',
      error: `${join(archive, name)}: the copy differs from ${file} (did it change while it was copied?); nothing kept`,
    });
    assert.deepEqual(readdirSync(join(archive, 'web01')).filter((n) => n.includes('changing')), []);
  } finally {
    await writer.stop();
  }
});

test('an unreadable local file', async () => {
  const t = await transport(archive);
  const gone = join(files.dir, 'gone.log.1.gz');
  assert.deepEqual(await t.upload(gone, 'web01/gone-20261202T031500Z.gz'), { ok: false, kind: 'local', error: `${gone}: No such file or directory` });
});
