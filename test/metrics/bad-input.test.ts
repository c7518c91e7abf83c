// Metrics that cannot be written or served are one clear error; the rotation still runs
// and its state is kept. Also: `watch --metrics-listen` serves a size-triggered run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readState } from '../../src/state/store.js';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { freePort, startProcess, waitUntilReady, type ServerProcess } from '../servers/process.js';
import { scene } from './fixture.js';

/** A scene with only the log that rotates fine. */
function goodScene(prefix: string): ReturnType<typeof scene> & { readonly goodConf: string } {
  const s = scene(prefix);
  const goodConf = join(s.base, 'good.conf');
  writeFileSync(goodConf, `${s.good} {\n  size 1\n  rotate 2\n  compress\n}\n`, { mode: 0o644 });
  return { ...s, goodConf };
}

function rotated(s: ReturnType<typeof goodScene>): void {
  assert.equal(existsSync(s.good), false, 'the log was rotated');
  assert.ok(existsSync(`${s.good}.1.gz`));
  assert.ok(readState(s.state).entries.has(s.good), 'the state was written');
}

function rotate(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LOGROTOR_CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--metrics-file in a missing directory: one error, exit 1, the rotation and its state kept', () => {
  const s = goodScene('lrbad-');
  try {
    const file = join(s.base, 'missing', 'logrotor.prom');
    assert.deepEqual(rotate(['-s', s.state, '--metrics-file', file, s.goodConf]), {
      status: 1,
      stdout: '',
      stderr: `error: cannot write metrics file ${file}: directory ${s.base}/missing does not exist\n`,
    });
    rotated(s);
    assert.ok(existsSync(`${s.state}.metrics.json`), 'the counters were still kept');
  } finally {
    rmSync(s.base, { recursive: true, force: true });
  }
});

test('--metrics-file in an unwritable directory: one error, also in --json; the rotation kept', () => {
  const s = goodScene('lrbad-');
  const locked = join(s.base, 'locked');
  mkdirSync(locked);
  try {
    // Root writes wherever the mode forbids it; an immutable directory stops root too.
    assert.equal(spawnSync('chattr', ['+i', locked]).status, 0);
    const file = join(locked, 'logrotor.prom');
    const ran = rotate(['--json', '-s', s.state, '--metrics-file', file, s.goodConf]);
    const message = `cannot write metrics file ${file}: Operation not permitted (creating ${file}.tmp)`;
    assert.equal(ran.status, 1);
    assert.equal(ran.stderr, `error: ${message}\n`);
    const report = JSON.parse(ran.stdout) as { exitCode: number; messages: { severity: string; text: string }[] };
    assert.equal(report.exitCode, 1);
    assert.deepEqual(report.messages, [{ severity: 'error', text: message }]);
    rotated(s);
  } finally {
    spawnSync('chattr', ['-i', locked]);
    rmSync(s.base, { recursive: true, force: true });
  }
});

test('--metrics-file is written for a run that found the state locked (exit 3) too', async () => {
  const s = goodScene('lrbad-');
  writeFileSync(s.state, 'logrotate state -- version 2\n', { mode: 0o600 });
  const holder = spawn('python3', ['-c', 'import fcntl,sys,time; f=open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); print("locked", flush=True); time.sleep(60)', s.state], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    const file = join(s.base, 'logrotor.prom');
    const ran = rotate(['-s', s.state, '--metrics-file', file, s.goodConf]);
    assert.equal(ran.status, 3, ran.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^logrotor_last_run_success 0$/m);
    assert.match(text, /^logrotor_runs_total\{result="failure"\} 1$/m);
    assert.ok(existsSync(s.good), 'nothing was rotated');
  } finally {
    if (holder.pid !== undefined) process.kill(holder.pid, 'SIGKILL');
    rmSync(s.base, { recursive: true, force: true });
  }
});

/** A daemon or watch process on the good scene, its output in a file. */
function foreground(s: ReturnType<typeof goodScene>, args: readonly string[]): { server: ServerProcess; log: () => string } {
  const logFile = join(s.base, 'foreground.log');
  const server = startProcess('logrotor', process.execPath, [LOGROTOR_CLI, ...args, '-s', s.state, s.goodConf], { logFile, cwd: s.base });
  return { server, log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') };
}

async function untilLogged(run: { server: ServerProcess; log: () => string }, text: string): Promise<void> {
  await waitUntilReady(run.server, async () => run.log().includes(text), 30_000);
}

test('daemon --metrics-listen with an address that does not parse: one error, rotations go on', async () => {
  const s = goodScene('lrbad-');
  const run = foreground(s, ['daemon', '--schedule', '0 0 1 1 *', '--metrics-listen', '9101']);
  try {
    await untilLogged(run, `${s.good}: compressing log with: /bin/gzip`);
    rotated(s);
    await run.server.stop();
    assert.equal((await run.server.exited).code, 0);
    const errors = run.log().split('\n').filter((line) => line.startsWith('error:'));
    assert.deepEqual(errors, ["error: --metrics-listen wants HOST:PORT (e.g. 127.0.0.1:9101 or [::1]:9101): '9101' has no port; running without metrics"]);
  } finally {
    await run.server.stop();
    rmSync(s.base, { recursive: true, force: true });
  }
});

test('daemon --metrics-listen on a port in use: one error, rotations go on', async () => {
  const s = goodScene('lrbad-');
  const port = await freePort();
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  const run = foreground(s, ['daemon', '--schedule', '0 0 1 1 *', '--metrics-listen', `127.0.0.1:${port}`]);
  try {
    await untilLogged(run, `${s.good}: compressing log with: /bin/gzip`);
    rotated(s);
    const errors = run.log().split('\n').filter((line) => line.startsWith('error:'));
    assert.deepEqual(errors, [`error: cannot serve metrics on 127.0.0.1:${port}: Address already in use; running without metrics`]);
  } finally {
    await run.server.stop();
    await new Promise((resolve) => squatter.close(resolve));
    rmSync(s.base, { recursive: true, force: true });
  }
});

test('watch --metrics-listen: a size-triggered run is counted and served; port 0 picks a free one', async () => {
  const s = goodScene('lrbad-');
  const run = foreground(s, ['watch', '--metrics-listen', '127.0.0.1:0']);
  try {
    await untilLogged(run, `${s.good}: compressing log with: /bin/gzip`);
    const url = /serving metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(run.log())?.[1];
    assert.ok(url !== undefined, run.log());
    let body = '';
    await waitUntilReady(run.server, async () => (body = await (await fetch(`${url}/metrics`)).text()).includes('logrotor_runs_total{result="success"} 1'), 10_000);
    assert.match(body, new RegExp(`^logrotor_log_rotations_total\\{log="${s.good}"\\} 1$`, 'm'));
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.match(await health.text(), /^ok: last run finished /);
  } finally {
    await run.server.stop();
    rmSync(s.base, { recursive: true, force: true });
  }
});
