// The `signal` step on real processes: a node child that records each SIGUSR1 it gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendSignal } from '../../src/exec/signal.js';
import { stepContext, tempLogDir } from './helpers.js';

/** A child that appends `got` to `record` on each SIGUSR1; resolves once it listens. */
async function listener(record: string): Promise<{ pid: number; stop: () => void }> {
  const code = `const fs = require('node:fs'); process.on('SIGUSR1', () => fs.appendFileSync(${JSON.stringify(record)}, 'got\\n')); fs.writeFileSync(${JSON.stringify(record)}, ''); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('no listener');
  for (let i = 0; i < 100 && !existsSync(record); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return { pid, stop: () => child.kill('SIGKILL') };
}

async function received(record: string): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const got = readFileSync(record, 'utf8').split('\n').filter((l) => l === 'got').length;
    if (got > 0) return got;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 0;
}

test('the pid in the pid file gets the signal, the first line being the pid', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const child = await listener(record);
  try {
    const pidFile = join(dir, 'd.pid');
    writeFileSync(pidFile, `${child.pid}\nsomething else\n`);
    const ctx = stepContext();
    assert.deepEqual(sendSignal({ signal: 'SIGUSR1', pidFile }, ctx), { ok: true });
    assert.equal(await received(record), 1);
    assert.deepEqual(ctx.logger.lines, []);
  } finally {
    child.stop();
  }
});

test('a missing pid file is an error, or a debug line with missingok', () => {
  const pidFile = join(tempLogDir(), 'none.pid');
  assert.deepEqual(sendSignal({ signal: 'SIGHUP', pidFile }, stepContext()), {
    ok: false,
    error: `cannot read pid file ${pidFile} to send SIGHUP: No such file or directory`,
  });
  const ctx = stepContext({ missingOk: true });
  assert.deepEqual(sendSignal({ signal: 'SIGHUP', pidFile }, ctx), { ok: true });
  assert.deepEqual(ctx.logger.lines, [{ severity: 'debug', text: `pid file ${pidFile} does not exist, not sending SIGHUP (missingok)` }]);
});

test('a stale pid file (its process gone) is an error, or a debug line with missingok', () => {
  const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const pid = Number(gone.stdout.trim());
  const pidFile = join(tempLogDir(), 'stale.pid');
  writeFileSync(pidFile, `${pid}\n`);
  assert.deepEqual(sendSignal({ signal: 'SIGUSR1', pidFile }, stepContext()), {
    ok: false,
    error: `process ${pid} of pid file ${pidFile} is not running (a stale pid file?): not sending SIGUSR1`,
  });
  const ctx = stepContext({ missingOk: true });
  assert.deepEqual(sendSignal({ signal: 'SIGUSR1', pidFile }, ctx), { ok: true });
  assert.deepEqual(ctx.logger.lines, [{ severity: 'debug', text: `process ${pid} of pid file ${pidFile} is not running, not sending SIGUSR1 (missingok)` }]);
});

test('a pid file without a pid (0 and negatives included: they name process groups) is an error even with missingok', () => {
  const pidFile = join(tempLogDir(), 'bad.pid');
  for (const content of ['', 'nginx\n', '0\n', '-1\n', '12x\n', '99999999999\n']) {
    writeFileSync(pidFile, content);
    const outcome = sendSignal({ signal: 'SIGUSR1', pidFile }, stepContext({ missingOk: true }));
    assert.deepEqual(outcome, { ok: false, error: `pid file ${pidFile} holds no process id ('${content.trim()}'): not sending SIGUSR1` });
  }
});
