// What the long-running modes cost while they wait (issue 14): the bin starts `daemon`
// and `watch` without V8's optimizing compilers, one-shot runs with them, and the metrics
// modules load only with --metrics-listen. How much memory that saves is `npm run
// bench`'s to measure; here, that it is so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { loadedModules } from '../helpers/loaded-modules.js';

interface Scratch {
  readonly conf: string;
  readonly state: string;
  /** Where the postrotate script writes the command line of the node that ran it. */
  readonly cmdline: string;
}

/** A log over its size whose postrotate script records its parent's (node's) command line. */
function scratch(t: { after(fn: () => void): void }): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-long-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  writeFileSync(join(logs, 'app.log'), 'x'.repeat(200), { mode: 0o644 });
  const cmdline = join(root, 'cmdline');
  const conf = join(root, 'test.conf');
  writeFileSync(conf, `${logs}/app.log {\n  size 100\n  rotate 1\n  postrotate\n    tr '\\000' ' ' < /proc/$PPID/cmdline > ${cmdline}\n  endscript\n}\n`, { mode: 0o644 });
  return { conf, state: join(root, 'state'), cmdline };
}

async function waitForFile(path: string, ms: number): Promise<string> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    try {
      const text = readFileSync(path, 'utf8');
      if (text !== '') return text;
    } catch {
      // Not written yet.
    }
  }
  throw new Error(`${path} not written within ${ms} ms`);
}

test('the bin runs daemon and watch without the optimizing compilers, a one-shot run with them', async (t) => {
  for (const mode of [['daemon', '--schedule', '0 0 1 1 *'], ['watch']]) {
    const s = scratch(t);
    // The bin itself, as a program: its shell preamble picks node's flags.
    const child = spawn(LOGROTOR_CLI, [...mode, '-s', s.state, s.conf], { stdio: 'ignore' });
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const flags = (await waitForFile(s.cmdline, 10_000)).split(' ');
    for (const flag of ['--no-opt', '--no-maglev', '--no-memory-reducer', '--expose-gc', '--max-semi-space-size=1']) assert.ok(flags.includes(flag), `${mode[0]} without ${flag}: ${flags.join(' ')}`);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, mode[0]);
  }
  const s = scratch(t);
  const run = spawnSync(LOGROTOR_CLI, ['-s', s.state, s.conf], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, run.stderr);
  const flags = readFileSync(s.cmdline, 'utf8').split(' ');
  assert.ok(flags.includes('--max-semi-space-size=2') && !flags.includes('--no-opt') && !flags.includes('--no-maglev') && !flags.includes('--no-memory-reducer'), flags.join(' '));
});

test('watch without --metrics-listen loads no metrics module', (t) => {
  const s = scratch(t);
  // Stopped by SIGTERM after 3 s: long after it started watching.
  const { modules } = loadedModules([LOGROTOR_CLI, 'watch', '-s', s.state, s.conf], process.env, 3000);
  assert.ok(modules.includes('src/service/foreground.js') && modules.includes('src/watch/log-watch.js'), modules.join(' '));
  assert.deepEqual(modules.filter((m) => m.startsWith('src/metrics/') || m === 'src/service/metrics.js'), []);
});
