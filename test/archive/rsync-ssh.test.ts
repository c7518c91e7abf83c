// The rsync transport over ssh, against Debian's sshd on 127.0.0.1 with keys made here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, type SshServer } from '../servers/sshd.js';
import { md5, scratch, transportFor as transport, type Scratch } from './files.js';

let sshd: SshServer;
let files: Scratch;
const savedRsh = process.env['RSYNC_RSH'];

before(async () => {
  sshd = await startSshd();
  files = scratch();
});
after(async () => {
  if (savedRsh === undefined) delete process.env['RSYNC_RSH'];
  else process.env['RSYNC_RSH'] = savedRsh;
  await sshd?.stop();
  files?.remove();
});

test('over ssh: uploaded, verified, and idempotent', async () => {
  process.env['RSYNC_RSH'] = sshd.rsh();
  const file = files.compressedLog('app.log.1.gz', 3000);
  const url = `root@127.0.0.1:${sshd.dir}/archive`;
  const t = await transport(url);
  const name = 'web01/var/log/app.log-20261202T031500Z.gz';
  const remote = `root@127.0.0.1:${sshd.dir}/archive/${name}`;
  assert.deepEqual(await t.check(file, name), { ok: true, remote, state: 'absent' });
  assert.deepEqual(await t.upload(file, name), { ok: true, remote, bytes: statSync(file).size, digest: `md5:${md5(file)}`, existed: false });
  assert.equal(md5(join(sshd.dir, 'archive', name)), md5(file));
  assert.deepEqual(readdirSync(join(sshd.dir, 'archive/web01/var/log')), ['app.log-20261202T031500Z.gz']);
  assert.deepEqual(await t.upload(file, name), { ok: true, remote, bytes: statSync(file).size, digest: `md5:${md5(file)}`, existed: true });
  assert.deepEqual(await t.check(file, name), { ok: true, remote, state: 'same' });
});

test('over ssh: a key the server does not accept, and a server that is down', async () => {
  const file = files.compressedLog('denied.log.1.gz', 10);
  const name = 'web01/denied.log-20261202T031500Z.gz';
  const url = `root@127.0.0.1:${sshd.dir}/archive`;
  process.env['RSYNC_RSH'] = sshd.rsh('unknown');
  assert.deepEqual(await (await transport(url)).upload(file, name), {
    ok: false,
    kind: 'denied',
    error: `${url}/${name}: root@127.0.0.1: Permission denied (publickey).`,
  });
  process.env['RSYNC_RSH'] = sshd.rsh();
  await sshd.kill();
  try {
    assert.deepEqual(await (await transport(url)).upload(file, name), {
      ok: false,
      kind: 'unreachable',
      error: `${url}/${name}: ssh: connect to host 127.0.0.1 port ${sshd.port}: Connection refused`,
    });
  } finally {
    await sshd.start();
  }
  assert.equal((await (await transport(url)).upload(file, name)).ok, true);
});
