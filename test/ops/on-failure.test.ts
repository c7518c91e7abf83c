// The OnFailure= example shipped in etc/systemd: systemd accepts the drop-in and the
// alert unit, and the alert command logs and mails what a failed run needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etcDirectory } from '../../src/install/files.js';
import { makeTempBase } from '../helpers/tree.js';

const SYSTEMD = join(etcDirectory(), 'systemd');

test('systemd-analyze verify accepts logrotor.service with the OnFailure= drop-in and the alert unit', () => {
  const base = makeTempBase('lronfail-');
  try {
    cpSync(SYSTEMD, base, { recursive: true });
    // verify insists that ExecStart's binary exists; the installed path may not here.
    const service = join(base, 'logrotor.service');
    writeFileSync(service, readFileSync(service, 'utf8').replace(/^ExecStart=\S+/m, 'ExecStart=/bin/true'));
    const verify = spawnSync('systemd-analyze', ['verify', '--man=no', service, join(base, 'logrotor-failure@logrotor.service.service')], { encoding: 'utf8' });
    assert.deepEqual({ status: verify.status, stderr: verify.stderr }, { status: 0, stderr: '' });
    assert.match(readFileSync(join(base, 'logrotor.service.d/on-failure.conf'), 'utf8'), /^OnFailure=logrotor-failure@%n\.service$/m);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('the alert unit logs at priority err and mails root the failed unit\'s status', () => {
  const base = makeTempBase('lronfail-');
  try {
    const calls = join(base, 'calls');
    const fake = (name: string, body: string): void => {
      writeFileSync(join(base, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(base, name), 0o755);
    };
    fake('logger', `echo "logger $*" >> ${calls}`);
    fake('mail', `echo "mail $*" >> ${calls}; cat >> ${calls}`);
    fake('systemctl', 'echo "× logrotor.service - Rotate log files (logrotor)"');
    const unit = readFileSync(join(SYSTEMD, 'logrotor-failure@.service'), 'utf8');
    const execStart = /^ExecStart=\/bin\/sh -c '(.*)'$/m.exec(unit)?.[1];
    assert.ok(execStart !== undefined);
    // What systemd does before running it: %i is the instance, $$ a literal $.
    const command = execStart.replaceAll('%i', 'logrotor.service').replaceAll('$$', '$');
    const run = spawnSync('/bin/sh', ['-c', command], { env: { PATH: `${base}:/usr/bin:/bin` }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const text = 'logrotor.service failed; see journalctl -u logrotor.service and logrotor status /etc/logrotate.conf';
    assert.equal(
      readFileSync(calls, 'utf8'),
      `logger -t logrotor -p daemon.err ALERT ${text}\nmail -s ${text} root\n× logrotor.service - Rotate log files (logrotor)\n`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
