// The rsync transport against a real rsync daemon on 127.0.0.1 (Debian's rsync).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { uploadArgs } from '../../src/archive/rsync-command.js';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { startRsyncDaemon, type RsyncDaemon } from '../servers/rsync-daemon.js';
import { keepChanging, md5, scratch, targetOf as target, transportFor as transport, type Scratch } from './files.js';

let daemon: RsyncDaemon;
let files: Scratch;

before(async () => {
  daemon = await startRsyncDaemon({ logs: false, frozen: true });
  files = scratch();
});
after(async () => {
  await daemon?.stop();
  files?.remove();
});

test('a compressed rotation lands under its name, verified; the same upload again sends nothing', async () => {
  const file = files.compressedLog('access.log.1.gz', 5000);
  const t = await transport(`${daemon.url('logs')}/fleet`);
  const name = 'web01/var/log/nginx/access.log-20261202T031500Z.gz';
  const first = await t.upload(file, name);
  assert.deepEqual(first, { ok: true, remote: `${daemon.url('logs')}/fleet/${name}`, bytes: statSync(file).size, digest: `md5:${md5(file)}`, existed: false });
  const landed = join(daemon.path('logs'), 'fleet', name);
  assert.equal(md5(landed), md5(file));
  // Nothing but the final name: rsync's temporary file is gone.
  assert.deepEqual(readdirSync(join(daemon.path('logs'), 'fleet/web01/var/log/nginx')), ['access.log-20261202T031500Z.gz']);
  const inode = statSync(landed).ino;
  assert.deepEqual(await t.upload(file, name), { ...first, existed: true });
  assert.equal(statSync(landed).ino, inode);
  assert.deepEqual(await t.check(file, name), { ok: true, remote: first.ok ? first.remote : '', state: 'same' });
  assert.deepEqual(await t.check(file, 'web01/other-20261202T031500Z.gz'), { ok: true, remote: `${daemon.url('logs')}/fleet/web01/other-20261202T031500Z.gz`, state: 'absent' });
});

test('a name that holds other content is reported and never overwritten', async () => {
  const file = files.compressedLog('conflict.log.1.gz', 100);
  const t = await transport(daemon.url('logs'));
  const name = 'web01/var/log/conflict.log-20261202T031500Z.gz';
  assert.equal((await t.upload(file, name)).ok, true);
  const landed = join(daemon.path('logs'), name);
  writeFileSync(landed, 'someone else\n');
  assert.deepEqual(await t.check(file, name), { ok: true, remote: `${daemon.url('logs')}/${name}`, state: 'different' });
  assert.deepEqual(await t.upload(file, name), { ok: false, kind: 'conflict', error: `${daemon.url('logs')}/${name}: already exists with other content; not overwritten` });
  assert.equal(readFileSync(landed, 'utf8'), 'someone else\n');
});

test('a file that changes while rsync sends it is not taken as archived, and the copy is removed', async () => {
  const file = files.bigFile('changing.log.1', 96 * 1024 * 1024);
  const writer = await keepChanging(file, 50 * 1024 * 1024, files.dir);
  try {
    const t = await transport(daemon.url('logs'));
    const name = 'web01/var/log/changing.log-20261202T031500Z';
    const result = await t.upload(file, name);
    assert.deepEqual(result, { ok: false, kind: 'mismatch', error: `${daemon.url('logs')}/${name}: ${file} changed while it was sent; the copy was deleted` });
    assert.deepEqual(readdirSync(join(daemon.path('logs'), 'web01/var/log')).filter((n) => n.includes('changing')), []);
  } finally {
    await writer.stop();
  }
});

test('rsync never shows a half-sent file under the final name', async () => {
  const file = files.bigFile('slow.log.1', 32 * 1024 * 1024);
  const t = target(daemon.url('logs'));
  const name = 'web01/var/log/slow.log-20261202T031500Z';
  const dir = join(daemon.path('logs'), 'web01/var/log');
  // The transport's own arguments, slowed down to 4 MB/s so the transfer is caught midway.
  const child = spawn('rsync', ['--bwlimit=4000', ...uploadArgs(t.kind === 'rsync' ? t : assert.fail(), file, name)], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 10_000;
    let partial: string | undefined;
    while (partial === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      partial = existsSync(dir) ? readdirSync(dir).find((n) => n.startsWith('.slow.log-') && statSync(join(dir, n)).size > 0) : undefined;
    }
    assert.ok(partial !== undefined, 'rsync never started writing its temporary file');
    assert.equal(existsSync(join(dir, 'slow.log-20261202T031500Z')), false);
  } finally {
    if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await exited;
  }
  // The receiving daemon removes its temporary file once the sender is gone.
  const deadline = Date.now() + 5000;
  while (readdirSync(dir).some((n) => n.includes('slow.log')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('slow.log')), []);
});

test('a read-only module, an unknown module and a stopped daemon: one clear error each', async () => {
  const file = files.compressedLog('refused.log.1.gz', 10);
  const name = 'web01/refused.log-20261202T031500Z.gz';
  const frozen = await (await transport(daemon.url('frozen'))).upload(file, name);
  assert.deepEqual(frozen, { ok: false, kind: 'refused', error: `${daemon.url('frozen')}/${name}: ERROR: module is read only (rsync exit 1)` });
  const unknown = await (await transport(daemon.url('nosuch'))).upload(file, name);
  assert.deepEqual(unknown, { ok: false, kind: 'missing', error: `${daemon.url('nosuch')}/${name}: @ERROR: Unknown module 'nosuch' (rsync exit 5)` });

  const down = await startRsyncDaemon({ logs: false });
  const url = down.url('logs');
  await down.stop();
  const result = await (await transport(url)).upload(file, name);
  assert.deepEqual(result, {
    ok: false,
    kind: 'unreachable',
    error: `${url}/${name}: rsync: [sender] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111) (rsync exit 10)`,
  });
});

test('runs of the CLI archive to the daemon: with delaycompress, each rotation once compressed, under the name it got when it was made', async () => {
  const dir = join(files.dir, 'run-delaycompress');
  mkdirSync(dir);
  const log = join(dir, 'app.log');
  const conf = join(dir, 'logrotor.conf');
  writeFileSync(conf, `${log} {\n  size 1\n  rotate 1\n  compress\n  delaycompress\n  archive ${daemon.url('logs')}/runs\n}\n`, { mode: 0o644 });
  const rotateOnce = (line: string): void => {
    writeFileSync(log, `${line}\n`);
    const run = spawnSync(process.execPath, [LOGROTOR_CLI, '-v', '-s', join(dir, 'state'), conf], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  };
  const landed = (): string[] => {
    const root = join(daemon.path('logs'), 'runs', hostname(), dir.slice(1));
    return existsSync(root) ? readdirSync(root).sort() : [];
  };
  rotateOnce('first');
  assert.deepEqual(landed(), [], 'app.log.1 is not final before its compression');
  rotateOnce('second');
  const [name] = landed();
  assert.match(name ?? '', /^app\.log-\d{8}T\d{6}Z\.gz$/);
  rotateOnce('third');
  const names = landed();
  assert.equal(names.length, 2);
  const lines = names.map((n) => gunzipSync(readFileSync(join(daemon.path('logs'), 'runs', hostname(), dir.slice(1), n))).toString());
  // Two rotations within one second: the second name carries the serial (-1).
  assert.deepEqual(lines.sort(), ['first\n', 'second\n']);
  // rotate 1: .2.gz went only once archived; .1 waits for its compression.
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('app.log.')).sort(), ['app.log.1']);
});
