import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { etcDirectory } from '../../src/install/files.js';
import { runCli } from './cli-process.js';

const ETC = etcDirectory();
const HAVE_SYSTEMD_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;

function tempRoot(t: { after(fn: () => void): void }): string {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-install-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** An executable that records its arguments in `<name>.args` and exits with `status`. */
function fakeCommand(dir: string, name: string, status: number): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho "$@" >> "${path}.args"\nexit ${status}\n`);
  chmodSync(path, 0o755);
  return path;
}

function argsOf(fake: string): string | null {
  return existsSync(`${fake}.args`) ? readFileSync(`${fake}.args`, 'utf8') : null;
}

function verify(units: readonly string[]): { status: number | null; stderr: string } {
  // --man=no: the man page is not installed on the test machine; everything else is checked.
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stderr: result.stderr };
}

test('install --systemd --cron into a root, with the binary in ExecStart and the cron job; uninstall removes them', (t) => {
  const root = tempRoot(t);
  const bin = fakeCommand(root, 'logrotor-bin', 0);
  const installed = runCli(['install', '--systemd', '--cron', '--root', root, '--bin', bin]);
  assert.equal(installed.status, 0, installed.stderr);
  const service = join(root, 'etc/systemd/system/logrotor.service');
  const timer = join(root, 'etc/systemd/system/logrotor.timer');
  const cron = join(root, 'etc/cron.daily/logrotor');
  assert.equal(installed.stdout, [cron, service, timer].map((p) => `installed ${p}\n`).join(''));
  assert.match(readFileSync(service, 'utf8'), new RegExp(`^ExecStart=${bin} /etc/logrotate.conf$`, 'm'));
  assert.match(readFileSync(cron, 'utf8'), new RegExp(`^LOGROTOR=${bin}$`, 'm'));
  assert.equal(statSync(cron).mode & 0o7777, 0o755);
  assert.equal(statSync(service).mode & 0o7777, 0o644);
  assert.equal(readFileSync(timer, 'utf8'), readFileSync(join(ETC, 'systemd/logrotor.timer'), 'utf8'));

  const removed = runCli(['uninstall', '--systemd', '--cron', '--root', root]);
  assert.equal(removed.status, 0, removed.stderr);
  assert.equal([cron, service, timer].some((p) => existsSync(p)), false);
  assert.equal(runCli(['uninstall', '--cron', '--root', root]).stdout, 'nothing to remove\n');
  const none = runCli(['install', '--root', root]);
  assert.equal(none.status, 1);
  assert.equal(none.stderr, 'logrotor install: choose --cron and/or --systemd\n');
});

test('the installed units pass systemd-analyze verify without a single complaint', { skip: !HAVE_SYSTEMD_ANALYZE && 'systemd-analyze is not installed' }, (t) => {
  const root = tempRoot(t);
  const bin = fakeCommand(root, 'logrotor-bin', 0);
  const installed = runCli(['install', '--systemd', '--root', root, '--bin', bin]);
  assert.equal(installed.status, 0, installed.stderr);
  const unitDir = join(root, 'etc/systemd/system');
  const good = verify([join(unitDir, 'logrotor.service'), join(unitDir, 'logrotor.timer')]);
  assert.deepEqual(good, { status: 0, stderr: '' });

  // The check is able to fail: a misspelt value is only a warning for systemd, but one we see.
  const broken = join(root, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'logrotor.service'), readFileSync(join(unitDir, 'logrotor.service'), 'utf8').replace('ProtectSystem=full', 'ProtectSystem=fool'));
  assert.match(verify([join(broken, 'logrotor.service')]).stderr, /protect system value/);
});

test('cron job: runs logrotor on the system config when no systemd timer is active', (t) => {
  const bin = tempRoot(t);
  const logrotor = fakeCommand(bin, 'logrotor', 0);
  const logger = fakeCommand(bin, 'logger', 0);
  fakeCommand(bin, 'systemctl', 3); // is-active: inactive
  const run = spawnSync('/bin/sh', [join(ETC, 'cron.daily/logrotor')], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(argsOf(logrotor), '/etc/logrotate.conf\n');
  assert.equal(argsOf(logger), null);
});

test('cron job: a failing run is reported to syslog and its status passed on', (t) => {
  const bin = tempRoot(t);
  fakeCommand(bin, 'logrotor', 3);
  const logger = fakeCommand(bin, 'logger', 0);
  fakeCommand(bin, 'systemctl', 3);
  const run = spawnSync('/bin/sh', [join(ETC, 'cron.daily/logrotor')], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
  assert.equal(run.status, 3);
  assert.equal(argsOf(logger), '-t logrotor ALERT exited abnormally with [3]\n');
});

test('cron job: does nothing while the systemd timer is active, or when logrotor is gone', (t) => {
  const bin = tempRoot(t);
  const logrotor = fakeCommand(bin, 'logrotor', 0);
  const systemctl = fakeCommand(bin, 'systemctl', 0);
  const withTimer = spawnSync('/bin/sh', [join(ETC, 'cron.daily/logrotor')], { env: { PATH: `${bin}:/usr/bin:/bin` } });
  assert.equal(withTimer.status, 0);
  assert.equal(argsOf(systemctl), 'is-active --quiet logrotor.timer\n');
  assert.equal(argsOf(logrotor), null);

  const empty = join(bin, 'empty');
  mkdirSync(empty);
  fakeCommand(empty, 'systemctl', 3);
  const gone = spawnSync('/bin/sh', [join(ETC, 'cron.daily/logrotor')], { env: { PATH: `${empty}:/usr/bin:/bin` } });
  assert.equal(gone.status, 0);
});

test('the installed cron job runs the binary it was installed with', (t) => {
  const root = tempRoot(t);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const logrotor = fakeCommand(root, 'installed-logrotor', 0);
  fakeCommand(bin, 'systemctl', 3);
  assert.equal(runCli(['install', '--cron', '--root', root, '--bin', logrotor]).status, 0);
  const run = spawnSync('/bin/sh', [join(root, 'etc/cron.daily/logrotor')], { env: { PATH: `${bin}:/usr/bin:/bin` } });
  assert.equal(run.status, 0);
  assert.equal(argsOf(logrotor), '/etc/logrotate.conf\n');
});

test('the example logrotor.conf is valid for logrotor and for logrotate', (t) => {
  const root = tempRoot(t);
  const included = join(root, 'logrotate.d');
  mkdirSync(included);
  const conf = join(root, 'logrotor.conf');
  // Only paths inside the temp dir: the include is an empty directory, the logs a subdirectory.
  const text = readFileSync(join(ETC, 'logrotor.conf'), 'utf8').replace('include /etc/logrotate.d', `include ${included}`).replace('/var/log/myapp/', `${root}/myapp/`);
  assert.equal(text.includes('/var/log'), false);
  writeFileSync(conf, text, { mode: 0o644 });
  const ours = runCli(['-d', '-s', join(root, 'state'), conf]);
  assert.equal(ours.status, 0, ours.stderr);
  assert.doesNotMatch(ours.stderr, /^error:/m);
  const theirs = spawnSync('/usr/sbin/logrotate', ['-d', '-s', join(root, 'state'), conf], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.doesNotMatch(theirs.stderr, /^error:/m);
});
