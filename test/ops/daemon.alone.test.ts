import { NO_FIGURES } from '../../src/exec/tally.js';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { Daemon, type DaemonSettings } from '../../src/daemon/daemon.js';
import { clockScheduler, cronScheduler, scheduleError } from '../../src/daemon/scheduler.js';
import { liveWorkspace } from '../../src/run/live-workspace.js';
import { untilStopped } from '../../src/service/signals.js';
import { LinesOutput, ManualScheduler, ScriptedRun, okResult, rotatedReport, settle, waitFor } from './fakes.js';

const NOW = new Date('2026-03-04T05:06:07Z');
const SETTINGS: DaemonSettings = {
  configPaths: ['/etc/logrotor-test.conf'],
  statePath: '/tmp/state-for-test',
  mailCommand: '/usr/bin/mail',
  verbose: false,
  schedule: '*/5 * * * * *',
};

/** What the daemon's runs may change: handed through to every run. */
const WORKSPACE = liveWorkspace();

function setup(settings: DaemonSettings = SETTINGS) {
  const run = new ScriptedRun();
  const scheduler = new ManualScheduler();
  const output = new LinesOutput();
  const daemon = new Daemon(settings, { run: run.run, scheduler, now: () => NOW, output, workspace: WORKSPACE });
  return { run, scheduler, output, daemon };
}

test('start schedules the expression and runs once at once, as a normal locked run', async () => {
  const { run, scheduler, daemon } = setup();
  const started = daemon.start();
  await settle();
  assert.equal(scheduler.expression, '*/5 * * * * *');
  assert.equal(run.calls.length, 1);
  const options = run.calls[0];
  assert.deepEqual(options?.configPaths, ['/etc/logrotor-test.conf']);
  assert.equal(options?.statePath, '/tmp/state-for-test');
  assert.equal(options?.workspace, WORKSPACE);
  assert.equal(options?.force, false);
  assert.equal(options?.lock, 'normal');
  assert.equal(options?.now, NOW);
  assert.equal(options?.onlyLogs, undefined);
  run.finish();
  await started;
});

test('one stdout line per action; errors once on stderr even when also logged', async () => {
  const { run, output, daemon } = setup();
  const started = daemon.start();
  await settle();
  run.calls[0]?.logger.error('compress failed for /l/b.log');
  run.finish({
    exitCode: 1,
    figures: NO_FIGURES,
    diagnostics: [{ severity: 'warning', text: "unknown option 'foo' -- ignoring line", location: { file: 'x.conf', line: 3 } }],
    logs: [
      rotatedReport('/l/a.log', ['renamed to /l/a.log.1', 'created /l/a.log']),
      { ...rotatedReport('/l/b.log', ['renamed to /l/b.log.1']), error: 'compress failed for /l/b.log' },
    ],
  });
  await started;
  assert.deepEqual(output.stdout.slice(1), ['/l/a.log: renamed to /l/a.log.1', '/l/a.log: created /l/a.log', '/l/b.log: renamed to /l/b.log.1']);
  assert.deepEqual(output.stderr, [
    'error: compress failed for /l/b.log',
    "warning: x.conf:3 unknown option 'foo' -- ignoring line",
    'error: run finished with exit status 1',
  ]);
});

test('a tick during a run is skipped with a message; the next free tick runs', async () => {
  const { run, scheduler, output, daemon } = setup();
  void daemon.start();
  await settle();
  scheduler.tick();
  await settle();
  assert.equal(run.calls.length, 1);
  assert.deepEqual(output.stdout.slice(1), ['scheduled run skipped: the previous run is still in progress']);
  run.finish();
  await settle();
  scheduler.tick();
  await settle();
  assert.equal(run.calls.length, 2);
  run.finish();
});

test('SIGHUP requests during a run collapse into one run after it', async () => {
  const { run, daemon } = setup();
  void daemon.start();
  await settle();
  void daemon.runAgain();
  void daemon.runAgain();
  void daemon.runAgain();
  run.finish();
  await settle();
  assert.equal(run.calls.length, 2);
  run.finish();
  await settle();
  assert.equal(run.calls.length, 2);
  assert.equal(run.pendingCount, 0);
});

test('watch triggers queue behind the run in progress and pass onlyLogs', async () => {
  const { run, daemon } = setup();
  void daemon.start();
  await settle();
  const only = new Set(['/l/a.log']);
  const triggered = daemon.runLogs(only);
  await settle();
  assert.equal(run.calls.length, 1);
  run.finish();
  await settle();
  assert.equal(run.calls[1]?.onlyLogs, only);
  run.finish(okResult([rotatedReport('/l/a.log', ['renamed'])]));
  assert.equal((await triggered)?.logs.length, 1);
});

test('stop waits for the run in progress, then no tick runs again', async () => {
  const { run, scheduler, daemon } = setup();
  void daemon.start();
  await settle();
  let stopped = false;
  const stopping = daemon.stop().then(() => void (stopped = true));
  await settle();
  assert.equal(stopped, false);
  assert.equal(scheduler.active, false);
  run.finish();
  await stopping;
  assert.equal(stopped, true);
  void daemon.runAgain();
  await settle();
  assert.equal(run.calls.length, 1);
});

test('a run that throws is reported and the daemon keeps going', async () => {
  const output = new LinesOutput();
  const scheduler = new ManualScheduler();
  let calls = 0;
  const daemon = new Daemon(SETTINGS, {
    run: () => {
      calls += 1;
      return Promise.reject(new Error('state file is corrupt'));
    },
    scheduler,
    now: () => NOW,
    output,
    workspace: WORKSPACE,
  });
  await daemon.start();
  assert.deepEqual(output.stderr, ['error: run failed: state file is corrupt']);
  scheduler.tick();
  await settle();
  await settle();
  assert.equal(calls, 2);
});

test('memory is released after every run, once its report is out, also after a run that throws', async () => {
  const output = new LinesOutput();
  const scheduler = new ManualScheduler();
  const events: string[] = [];
  let runs = 0;
  const daemon = new Daemon(SETTINGS, {
    run: () => {
      runs += 1;
      events.push(`run ${runs}`);
      return runs === 2 ? Promise.reject(new Error('state file is corrupt')) : Promise.resolve(okResult([rotatedReport('/l/a.log', ['renamed to /l/a.log.1'])]));
    },
    scheduler,
    now: () => NOW,
    output,
    workspace: WORKSPACE,
    releaseMemory: () => events.push(`released after ${output.stdout.length + output.stderr.length} lines`),
  });
  await daemon.start();
  assert.deepEqual(events, ['run 1', 'released after 2 lines']);
  scheduler.tick();
  await settle();
  await settle();
  scheduler.tick();
  await settle();
  await settle();
  assert.deepEqual(events, ['run 1', 'released after 2 lines', 'run 2', 'released after 3 lines', 'run 3', 'released after 4 lines']);
  await daemon.stop();
});

test('signals: SIGHUP reloads, SIGTERM stops and resolves with 0, listeners are removed', async () => {
  const source = new EventEmitter();
  const output = new LinesOutput();
  let reloads = 0;
  let releaseStop: () => void = () => {};
  const exit = untilStopped(
    source,
    { reload: () => void (reloads += 1), stop: () => new Promise<void>((resolve) => (releaseStop = resolve)) },
    output,
  );
  source.emit('SIGHUP');
  source.emit('SIGHUP');
  assert.equal(reloads, 2);
  source.emit('SIGTERM');
  let code: number | null = null;
  void exit.then((c) => (code = c));
  await settle();
  assert.equal(code, null, 'must wait for the run in progress');
  releaseStop();
  assert.equal(await exit, 0);
  assert.equal(source.listenerCount('SIGTERM') + source.listenerCount('SIGHUP') + source.listenerCount('SIGINT'), 0);
});

test('signals: a second SIGINT gives up waiting with status 1', async () => {
  const source = new EventEmitter();
  const output = new LinesOutput();
  const exit = untilStopped(source, { reload: () => {}, stop: () => new Promise<void>(() => {}) }, output);
  source.emit('SIGINT');
  source.emit('SIGINT');
  assert.equal(await exit, 1);
  assert.deepEqual(output.stderr, ['SIGINT again: exiting without waiting for the run in progress']);
});

test('schedule validation accepts five or six fields and explains bad ones', () => {
  assert.equal(scheduleError('0 * * * *'), null);
  assert.equal(scheduleError('*/2 * * * * *'), null);
  assert.match(scheduleError('every hour') ?? '', /^invalid schedule 'every hour' \(.*5 or 6 fields/);
});

test('the cron scheduler ticks once a second on a seconds schedule, never twice in one second, and stops', async () => {
  const ticks: number[] = [];
  const job = cronScheduler.schedule('*/1 * * * * *', () => void ticks.push(Date.now()));
  try {
    await waitFor(() => ticks.length >= 3, 4500, 'three ticks');
  } finally {
    job.stop();
  }
  const seconds = ticks.map((t) => Math.floor(t / 1000));
  assert.deepEqual(seconds, [...new Set(seconds)], 'one tick per second');
  for (const [i, s] of seconds.entries()) if (i > 0) assert.equal(s - (seconds[i - 1] ?? 0), 1, 'consecutive seconds');
  // Each tick comes at the start of its second, not a timer's period after the previous one.
  for (const t of ticks) assert.ok(t % 1000 < 500, `tick ${t % 1000} ms into its second`);
  const after = ticks.length;
  await new Promise((resolve) => setTimeout(resolve, 1200));
  assert.equal(ticks.length, after);
});

test('the cron scheduler after the clock jumps forward: one catch-up tick for ten missed minutes', async () => {
  // A wall clock 500 ms before a minute, which jumps 10 minutes ahead while the job sleeps.
  let offset = Math.ceil(Date.now() / 60_000) * 60_000 - 500 - Date.now();
  const ticks: number[] = [];
  const job = clockScheduler(() => Date.now() + offset).schedule('0 * * * * *', () => void ticks.push(Date.now() + offset));
  offset += 10 * 60_000;
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000));
  } finally {
    job.stop();
  }
  assert.equal(ticks.length, 1);
});

test('the cron scheduler after the clock steps back 2 s: the seconds already fired do not fire again', async () => {
  let offset = 0;
  const fired: number[] = [];
  const job = clockScheduler(() => Date.now() + offset).schedule('* * * * * *', () => void fired.push(Math.floor((Date.now() + offset) / 1000)));
  try {
    await waitFor(() => fired.length === 1, 1500, 'a first tick');
    offset -= 2000;
    await waitFor(() => fired.length === 3, 5000, 'two more ticks');
  } finally {
    job.stop();
  }
  const [first, second, third] = fired as [number, number, number];
  assert.deepEqual([second - first, third - first], [1, 2], `seconds fired: ${fired.join(', ')}`);
});

test('failed uploads: runs again sooner than the schedule, backing off, until they go through', async () => {
  const run = new ScriptedRun();
  const output = new LinesOutput();
  const daemon = new Daemon(SETTINGS, { run: run.run, scheduler: new ManualScheduler(), now: () => NOW, output, workspace: WORKSPACE, archiveRetry: { firstMs: 40, maxMs: 100 } });
  const failing = { ...okResult([]), exitCode: 1 as const, figures: { ...NO_FIGURES, archiveFailed: { files: 2, bytes: 300 } } };
  const started = daemon.start();
  await settle();
  const delays: number[] = [];
  let finishedAt = Date.now();
  for (let attempt = 1; attempt <= 4; attempt++) {
    run.finish(failing);
    finishedAt = Date.now();
    await waitFor(() => run.calls.length === attempt + 1, 2000, `retry ${attempt}`);
    delays.push(Date.now() - finishedAt);
  }
  // 40 ms, then doubled, at most 100 ms apart.
  assert.deepEqual(output.stdout.filter((line) => line.includes('uploads failed')), Array(4).fill('logrotor daemon: 2 uploads failed; trying again in 0 s'));
  assert.ok(delays[0]! >= 40 && delays[1]! >= 80 && delays[2]! >= 100 && delays[3]! >= 100, `${delays.join(', ')}`);
  // Through: no more retries.
  run.finish(okResult([]));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(run.calls.length, 5);
  await daemon.stop();
  await started;
});
