import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadNative } from '../../src/native/index.js';
import { flockCommandLocker, lockState, nativeLocker, type FdLocker, type LockResult } from '../../src/state/lock.js';
import { scratch, type Scratch } from './scratch.js';

const LOGROTATE = '/usr/sbin/logrotate';
const busyText = (state: string): string =>
  `state file ${state} is already locked\nlogrotate does not support parallel execution on the same set of logfiles.`;

function locked(t: TestContext, result: LockResult): Extract<LockResult, { kind: 'locked' }> {
  assert.equal(result.kind, 'locked', JSON.stringify(result));
  const held = result as Extract<LockResult, { kind: 'locked' }>;
  t.after(() => held.release());
  return held;
}

test('/dev/null is neither opened nor locked', async () => {
  assert.deepEqual(await lockState('/dev/null', 'normal'), { kind: 'unlocked', reason: 'no-state', diagnostics: [] });
});

test('a missing state file gets a 0640 stub, then the lock', async (t) => {
  const s = scratch(t);
  const previous = process.umask(0o022);
  t.after(() => process.umask(previous));
  const result = locked(t, await lockState(s.state, 'normal'));
  assert.equal(statSync(s.state).mode & 0o7777, 0o640);
  assert.equal(statSync(s.state).size, 0);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.severity, d.text]),
    [
      ['debug', `Creating stub state file: ${s.state}`],
      ['debug', `acquired lock on state file ${s.state}`],
    ],
  );
});

test('--skip-state-lock still creates the stub but takes no lock', async (t) => {
  const s = scratch(t);
  const result = await lockState(s.state, 'skip');
  assert.equal(result.kind, 'unlocked');
  assert.equal(result.kind === 'unlocked' && result.reason, 'skip');
  assert.equal(result.diagnostics.at(-1)?.text, `Skip locking state file ${s.state}`);
  assert.equal(existsSync(s.state), true);
  // Nothing is held: a normal lock succeeds at once.
  locked(t, await lockState(s.state, 'normal'));
});

test('a world-readable state file is not locked, with logrotate\'s warning', async (t) => {
  const s = scratch(t);
  writeFileSync(s.state, '');
  chmodSync(s.state, 0o644);
  const result = await lockState(s.state, 'normal');
  assert.deepEqual(result, {
    kind: 'unlocked',
    reason: 'world-readable',
    diagnostics: [
      {
        severity: 'warning',
        text: `state file ${s.state} is world-readable and thus can be locked from other unprivileged users. Skipping lock acquisition...`,
      },
    ],
  });
});

test('a directory as state file fails (exit 3 for the caller)', async (t) => {
  const s = scratch(t);
  mkdirSync(s.state);
  const result = await lockState(s.state, 'normal');
  assert.equal(result.kind, 'failed');
  assert.equal(result.kind === 'failed' && result.message, `error opening state file ${s.state}: Is a directory`);
});

const native = loadNative();
const lockers: { name: string; locker: FdLocker | null; skip: string | false }[] = [
  { name: 'flock(1) fallback', locker: flockCommandLocker, skip: false },
  {
    name: 'native addon',
    locker: native === null ? null : nativeLocker(native),
    skip: native === null ? 'the native addon is not built on this machine (loadNative() returned null)' : false,
  },
];

/** A config whose prerotate script marks that logrotate holds the lock, then sleeps. */
function slowConfig(s: Scratch, marker: string): string {
  const log = join(s.logs, 'a.log');
  writeFileSync(log, 'some log line\n');
  return s.config('slow.conf', `${log} {\n  rotate 1\n  prerotate\n    touch ${marker}; sleep 2\n  endscript\n}\n`);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

for (const { name, locker, skip } of lockers) {
  test(`${name}: our lock excludes a second lock until released`, { skip }, async (t) => {
    const s = scratch(t);
    const first = locked(t, await lockState(s.state, 'normal', locker ?? undefined));
    // flock locks conflict between open file descriptions even inside one process.
    const second = await lockState(s.state, 'normal', locker ?? undefined);
    assert.deepEqual(second, { kind: 'busy', message: busyText(s.state), diagnostics: [] });
    first.release();
    first.release();
    locked(t, await lockState(s.state, 'normal', locker ?? undefined));
  });

  test(`${name}: --wait-for-state-lock waits until the holder lets go`, { skip }, async (t) => {
    const s = scratch(t);
    const first = locked(t, await lockState(s.state, 'normal', locker ?? undefined));
    const started = Date.now();
    setTimeout(() => first.release(), 300);
    const waited = locked(t, await lockState(s.state, 'wait', locker ?? undefined));
    assert.ok(Date.now() - started >= 290, `waited only ${Date.now() - started} ms`);
    assert.deepEqual(waited.diagnostics.map((d) => d.text), [
      `waiting for lock on state file ${s.state}`,
      `acquired lock on state file ${s.state}`,
    ]);
  });

  test(`${name}: real logrotate exits 3 while we hold the lock`, { skip }, async (t) => {
    const s = scratch(t);
    const held = locked(t, await lockState(s.state, 'normal', locker ?? undefined));
    const conf = slowConfig(s, join(s.dir, 'marker'));
    const run = spawnSync(LOGROTATE, ['-s', s.state, conf], { encoding: 'utf8' });
    assert.equal(run.status, 3);
    assert.equal(run.stderr, `error: ${busyText(s.state)}\n`);
    assert.equal(existsSync(join(s.dir, 'marker')), false);
    held.release();
    const again = spawnSync(LOGROTATE, ['-s', s.state, s.config('quick.conf', `${join(s.logs, 'b.log')} {\n missingok\n}\n`)], {
      encoding: 'utf8',
    });
    assert.equal(again.status, 0, again.stderr);
  });

  test(`${name}: busy while real logrotate holds the lock; wait mode gets it after`, { skip }, async (t) => {
    const s = scratch(t);
    const marker = join(s.dir, 'marker');
    const child = spawn(LOGROTATE, ['-f', '-s', s.state, slowConfig(s, marker)], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    t.after(() => child.kill());
    await until(() => existsSync(marker), 'logrotate to run its prerotate script');
    const busy = await lockState(s.state, 'normal', locker ?? undefined);
    assert.equal(busy.kind, 'busy');
    const waited = locked(t, await lockState(s.state, 'wait', locker ?? undefined));
    // The kernel drops logrotate's lock as the process dies, which may be before Node
    // reports the exit; its state file, written last, shows that it was done.
    assert.match(readFileSync(s.state, 'utf8'), /a\.log" /, 'the lock came only after logrotate finished');
    assert.equal(await exited, 0);
    assert.equal(waited.kind, 'locked');
  });
}

for (const { name, env } of [
  { name: 'flock(1) fallback', env: { ...process.env, LOGROTOR_NO_NATIVE: '1' } },
  { name: 'default locker', env: process.env },
]) {
  test(`${name}: the lock dies with the process that holds it, even when killed`, async (t) => {
    const s = scratch(t);
    const lockModule = new URL('../../src/state/lock.js', import.meta.url).href;
    const script =
      `const { lockState } = await import(${JSON.stringify(lockModule)});` +
      `const r = await lockState(${JSON.stringify(s.state)}, 'normal');` +
      `process.stdout.write(r.kind + '\\n'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env });
    t.after(() => child.kill('SIGKILL'));
    const first = await new Promise<string>((resolve) => child.stdout.setEncoding('utf8').once('data', resolve));
    assert.equal(first, 'locked\n');
    assert.equal((await lockState(s.state, 'normal')).kind, 'busy');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    locked(t, await lockState(s.state, 'normal'));
  });
}
