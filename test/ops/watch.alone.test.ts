import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { LoadedConfig, LogOptions } from '../../src/config/model.js';
import type { RunResult } from '../../src/run/result.js';
import { inotifyWatch, pollingWatch, type DirWatchFactory } from '../../src/watch/dir-watch.js';
import { LogWatch, type LogWatchDeps } from '../../src/watch/log-watch.js';
import { exceeds, staticDirectory, watchPlan } from '../../src/watch/targets.js';
import { LinesOutput, okResult, rotatedReport, waitFor } from './fakes.js';

const SIZE_1000: LogOptions = { ...DEFAULT_OPTIONS, criterion: { kind: 'size', bytes: 1000 } };

function tempLogDir(): { root: string; logs: string } {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-watch-'));
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  return { root, logs };
}

/** A config of one `DIR/*.log` section, globbed afresh at every load like the real loader. */
function globConfig(dir: string, options: LogOptions = SIZE_1000): () => Promise<LoadedConfig> {
  return async () => {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.log')).sort();
    } catch {
      // A missing directory leaves the word as written, as glob(GLOB_NOCHECK) does.
    }
    const files = names.length > 0 ? names.map((n) => join(dir, n)) : [join(dir, '*.log')];
    return { sections: [{ pattern: join(dir, '*.log'), files, options, location: { file: 'test.conf', line: 1 } }], diagnostics: [], failed: false };
  };
}

/** Rotation by rename to log.1, log.2 … as a normal run would; records when each happened. */
class RenamingRotator {
  readonly rotations: { log: string; at: number }[] = [];
  private count = 0;
  readonly rotate = async (logs: ReadonlySet<string>): Promise<RunResult> => {
    const reports = [...logs].map((log) => {
      this.count += 1;
      renameSync(log, `${log}.${this.count}`);
      this.rotations.push({ log, at: Date.now() });
      return rotatedReport(log, [`renamed to ${log}.${this.count}`]);
    });
    return okResult(reports);
  };
}

function watchDeps(loadConfig: LogWatchDeps['loadConfig'], rotate: LogWatchDeps['rotate'], extra: Partial<LogWatchDeps> = {}): LogWatchDeps {
  return {
    configPaths: ['test.conf'],
    loadConfig,
    rotate,
    output: new LinesOutput(),
    watchDir: inotifyWatch,
    pollDir: pollingWatch(100),
    settleMs: 50,
    retryMs: 60_000,
    ...extra,
  };
}

test('targets: size rotates at or above, maxsize strictly above, empty never', () => {
  assert.equal(exceeds({ atLeast: 100, above: null }, 100), true);
  assert.equal(exceeds({ atLeast: 100, above: null }, 99), false);
  assert.equal(exceeds({ atLeast: null, above: 100 }, 100), false);
  assert.equal(exceeds({ atLeast: null, above: 100 }, 101), true);
  assert.equal(exceeds({ atLeast: 0, above: null }, 0), false);
  assert.equal(staticDirectory('/var/log/app/*.log'), '/var/log/app');
  assert.equal(staticDirectory('/var/log/*/x.log'), '/var/log');
  assert.equal(staticDirectory('/x.log'), '/');
});

test('targets: only size-governed logs are watched, globs that matched nothing give a directory only', () => {
  const location = { file: 'c', line: 1 };
  const plan = watchPlan([
    { pattern: '/a/*.log', files: ['/a/*.log'], options: SIZE_1000, location },
    { pattern: '/b/x.log', files: ['/b/x.log'], options: { ...DEFAULT_OPTIONS, criterion: { kind: 'daily' }, maxSize: 500 }, location },
    { pattern: '/c/y.log', files: ['/c/y.log'], options: { ...DEFAULT_OPTIONS, criterion: { kind: 'weekly', weekday: 0 } }, location },
  ]);
  assert.deepEqual([...plan.dirs], ['/a', '/b']);
  assert.deepEqual([...plan.logs], [['/b/x.log', { atLeast: null, above: 500 }]]);
});

test('a log under a steady writer is rotated within 2 s of crossing its size, several times in a row', async (t) => {
  const { root, logs } = tempLogDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const log = join(logs, 'app.log');
  writeFileSync(log, '');
  const rotator = new RenamingRotator();
  const watch = new LogWatch(watchDeps(globConfig(logs), rotator.rotate));
  await watch.start();
  const crossings: number[] = [];
  const writer = setInterval(() => {
    appendFileSync(log, 'x'.repeat(150));
    if (statSync(log).size >= 1000 && crossings.length === rotator.rotations.length) crossings.push(Date.now());
  }, 25);
  try {
    await waitFor(() => rotator.rotations.length >= 3, 8000, 'three rotations');
  } finally {
    clearInterval(writer);
    await watch.close();
  }
  for (const [index, rotation] of rotator.rotations.slice(0, 3).entries()) {
    assert.equal(rotation.log, log);
    const delay = rotation.at - (crossings[index] ?? Number.NaN);
    assert.ok(delay >= 0 && delay < 2000, `rotation ${index + 1} came ${delay} ms after the crossing`);
  }
  assert.ok(statSync(`${log}.1`).size >= 1000);
});

test('a new file matching the glob, and a directory deleted and re-created, are picked up', async (t) => {
  const { root, logs } = tempLogDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const rotator = new RenamingRotator();
  const watch = new LogWatch(watchDeps(globConfig(logs), rotator.rotate));
  await watch.start();
  try {
    writeFileSync(join(logs, 'new.log'), 'y'.repeat(1200));
    await waitFor(() => rotator.rotations.length === 1, 2000, 'the new log to rotate');
    assert.equal(rotator.rotations[0]?.log, join(logs, 'new.log'));

    rmSync(logs, { recursive: true });
    await waitFor(() => watch.watchedDirectories.includes(root), 2000, 'the watch to move to the parent');
    mkdirSync(logs, { mode: 0o755 });
    writeFileSync(join(logs, 'again.log'), '');
    await waitFor(() => watch.watchedDirectories.includes(logs), 2000, 'the re-created directory to be watched');
    appendFileSync(join(logs, 'again.log'), 'z'.repeat(1500));
    await waitFor(() => rotator.rotations.length === 2, 2000, 'the log in the re-created directory to rotate');
    assert.equal(rotator.rotations[1]?.log, join(logs, 'again.log'));
  } finally {
    await watch.close();
  }
});

test('at the inotify watch limit: a message naming the sysctl, then polling still rotates', async (t) => {
  const { root, logs } = tempLogDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const full: DirWatchFactory = () => {
    throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
  };
  const output = new LinesOutput();
  const rotator = new RenamingRotator();
  const watch = new LogWatch(watchDeps(globConfig(logs), rotator.rotate, { watchDir: full, output }));
  await watch.start();
  try {
    assert.equal(output.stderr.length, 1);
    assert.match(output.stderr[0] ?? '', new RegExp(`^warning: cannot watch ${logs}: the inotify watch limit is reached \\(fs\\.inotify\\.max_user_watches = \\d+\\); raise it with 'sysctl fs\\.inotify\\.max_user_watches=<higher>'; polling it instead$`));
    writeFileSync(join(logs, 'p.log'), 'p'.repeat(1000));
    await waitFor(() => rotator.rotations.length === 1, 2000, 'the polled log to rotate');
  } finally {
    await watch.close();
  }
});

test('a log the run declines to rotate rests instead of being retried at every write', async (t) => {
  const { root, logs } = tempLogDir();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const log = join(logs, 'stuck.log');
  writeFileSync(log, 's'.repeat(2000));
  let calls = 0;
  const output = new LinesOutput();
  const decline = async (): Promise<RunResult> => {
    calls += 1;
    return okResult([{ path: log, pattern: log, verdict: { kind: 'skip', why: 'hardlink' }, actions: [] }]);
  };
  const watch = new LogWatch(watchDeps(globConfig(logs), decline, { output }));
  await watch.start();
  try {
    for (let i = 0; i < 10; i++) {
      appendFileSync(log, 'more\n');
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  } finally {
    await watch.close();
  }
  assert.equal(calls, 1);
  assert.deepEqual(output.stderr, [`warning: ${log} is over its size limit but was not rotated; next try in 60 s`]);
});
