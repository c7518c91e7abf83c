// The daemon, watch and export subcommands end to end: the built CLI, real rotation runs,
// real signals, files in a private temp dir.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, constants, existsSync, fstatSync, openSync, writeSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliProcess, runCli } from './cli-process.js';
import { waitFor } from './fakes.js';

interface Scratch {
  readonly root: string;
  readonly logs: string;
  readonly conf: string;
  readonly state: string;
}

function scratch(t: { after(fn: () => void): void }): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-fg-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  return { root, logs, conf: join(root, 'test.conf'), state: join(root, 'state') };
}

function writeConfig(s: Scratch, sections: readonly string[]): void {
  writeFileSync(s.conf, sections.map((name) => `${join(s.logs, name)} {\n  size 1000\n  rotate 10\n  create\n}\n`).join(''), { mode: 0o644 });
}

function start(t: { after(fn: () => void): void }, args: readonly string[], cwd: string): CliProcess {
  const child = new CliProcess(args, cwd);
  t.after(() => child.kill());
  return child;
}

test('daemon: runs at start and on a 2-second schedule, exits 0 on SIGTERM', async (t) => {
  const s = scratch(t);
  writeConfig(s, ['app.log']);
  const log = join(s.logs, 'app.log');
  writeFileSync(log, 'a'.repeat(1500));
  const daemon = start(t, ['daemon', '--schedule', '*/2 * * * * *', '-s', s.state, s.conf], s.root);
  const reported = (target: string): boolean => daemon.stdout.includes(`${log}: renaming ${log} to ${target}\n`);
  const explain = (error: Error): never => {
    throw new Error(`${error.message}\nstdout:\n${daemon.stdout}\nstderr:\n${daemon.stderr}`);
  };
  await waitFor(() => reported(`${log}.1`), 5000, 'the rotation at start').catch(explain);
  appendFileSync(log, 'b'.repeat(1500));
  const before = daemon.stdout.length;
  await waitFor(() => daemon.stdout.slice(before).includes(`${log}: renaming ${log}.1 to ${log}.2`), 4500, 'a scheduled rotation').catch(explain);
  await waitFor(() => reported(`${log}.1`) && daemon.stdout.slice(before).includes(`creating new ${log}`), 2000, 'the end of that run').catch(explain);
  assert.equal(readFileSync(`${log}.1`, 'utf8'), 'b'.repeat(1500));
  assert.equal(readFileSync(`${log}.2`, 'utf8'), 'a'.repeat(1500));
  daemon.signal('SIGTERM');
  assert.equal(await daemon.exit(5000), 0);
  assert.match(daemon.stdout, /^SIGTERM: finishing the run in progress, then exiting$/m);
  assert.equal(daemon.stderr, '');
  assert.match(readFileSync(s.state, 'utf8'), new RegExp(`^"${log}" \\d{4}-\\d{1,2}-\\d{1,2}-\\d{1,2}:\\d{1,2}:\\d{1,2}$`, 'm'));
});

test('daemon: SIGHUP re-reads the changed config and runs at once', async (t) => {
  const s = scratch(t);
  writeConfig(s, ['a.log']);
  const b = join(s.logs, 'b.log');
  writeFileSync(b, 'b'.repeat(1500));
  const daemon = start(t, ['daemon', '--schedule', '0 0 1 1 *', '-s', s.state, s.conf], s.root);
  await waitFor(() => daemon.stdout.includes('logrotor daemon: running'), 5000, 'the daemon to start');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(existsSync(`${b}.1`), false, 'b.log is not in the config yet');
  writeConfig(s, ['a.log', 'b.log']);
  daemon.signal('SIGHUP');
  await waitFor(() => existsSync(`${b}.1`), 3000, 'b.log to rotate after SIGHUP');
  daemon.signal('SIGINT');
  assert.equal(await daemon.exit(5000), 0);
});

test('daemon: a bad schedule is refused with status 1', (t) => {
  const s = scratch(t);
  writeConfig(s, ['a.log']);
  const result = runCli(['daemon', '--schedule', 'hourly', '-s', s.state, s.conf]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^logrotor: invalid schedule 'hourly'/);
});

test('watch: a log under a writer is rotated within 2 s of crossing its size, three times in a row', async (t) => {
  const s = scratch(t);
  writeConfig(s, ['app.log']);
  const log = join(s.logs, 'app.log');
  writeFileSync(log, '');
  const watch = start(t, ['watch', '-s', s.state, s.conf], s.root);
  await waitFor(() => watch.stdout.includes('watching 1 directories'), 5000, 'the watch to start');

  const crossedAt = new Map<number, number>();
  const rotatedAt = new Map<number, number>();
  let current = statSync(log).ino;
  const writer = setInterval(() => {
    // Like an application that reopens its log: never creates it (that is `create`'s job,
    // and racing it would make a .backup); fstat names the file this write went into.
    let fd: number;
    try {
      fd = openSync(log, constants.O_WRONLY | constants.O_APPEND);
    } catch {
      return;
    }
    try {
      writeSync(fd, `${'x'.repeat(99)}\n`);
      const now = fstatSync(fd);
      if (now.size >= 1000 && !crossedAt.has(now.ino)) crossedAt.set(now.ino, Date.now());
    } finally {
      closeSync(fd);
    }
  }, 30);
  const observer = setInterval(() => {
    // Between the rename and the create there is no log at all; that is not a new one.
    const ino = existsSync(log) ? statSync(log).ino : current;
    if (ino !== current) {
      rotatedAt.set(current, Date.now());
      current = ino;
    }
  }, 10);
  try {
    await waitFor(() => rotatedAt.size >= 3, 10_000, 'three rotations');
  } finally {
    clearInterval(writer);
    clearInterval(observer);
  }
  for (const [ino, at] of [...rotatedAt].slice(0, 3)) {
    const crossed = crossedAt.get(ino);
    assert.ok(crossed !== undefined, 'rotated before it crossed its size');
    assert.ok(at - crossed < 2000, `rotated ${at - crossed} ms after crossing`);
  }
  for (const n of [1, 2, 3]) assert.ok(statSync(`${log}.${n}`).size >= 1000, `${log}.${n} holds a full log`);
  watch.signal('SIGTERM');
  assert.equal(await watch.exit(5000), 0);
  assert.equal(watch.stderr, '');
});

test('export: the CLI bundles the live log and its rotations into a tar.gz that tar lists', (t) => {
  const s = scratch(t);
  writeConfig(s, ['app.log']);
  const log = join(s.logs, 'app.log');
  for (const [name, text] of [['app.log', 'live'], ['app.log.1', 'one'], ['app.log.2', 'two'], ['other.log', 'no']] as const)
    writeFileSync(join(s.logs, name), `${text}\n`);
  const bundle = join(s.root, 'bundle.tar.gz');
  const result = runCli(['export', s.conf, '-o', bundle, '--since', '2000-01-01']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `wrote 3 files (13 bytes before compression) to ${bundle}\n`);
  assert.equal(statSync(bundle).mode & 0o777, 0o600);
  const listed = execFileSync('tar', ['-tzf', bundle], { encoding: 'utf8' });
  assert.equal(listed, [log, `${log}.1`, `${log}.2`].map((p) => `${p.slice(1)}\n`).join(''));
  assert.equal(execFileSync('tar', ['-xzOf', bundle, `${log.slice(1)}.2`], { encoding: 'utf8' }), 'two\n');
  assert.equal(runCli(['export', s.conf, '-o', bundle, '--since', 'yesterday-ish']).status, 1);
});
