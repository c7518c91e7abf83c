// The soak of a daemon on a one-second schedule, without waiting hours: the same Daemon
// a `logrotor daemon --schedule '* * * * * *'` process runs (its run gate, runRotation on
// the live workspace, its output on this process's stdout), ticked by hand as soon as the
// previous run ended, its clock one second later at every tick. The bench spawns this as
// its own process, so the RSS sampled here is that of a daemon and nothing else.
// Usage: node dist/bench/daemon-soak.js CONFIG STATE RUNS RESULT_FILE [APPEND_DIR]
// After each run, 1 KiB is appended to every *.log in APPEND_DIR (a writing application),
// so its size-governed logs rotate and compress every few runs.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cliOutput } from '../src/cli/line-output.js';
import { processIo } from '../src/cli/io.js';
import { Daemon } from '../src/daemon/daemon.js';
import type { Scheduler } from '../src/daemon/scheduler.js';
import { liveWorkspace } from '../src/run/live-workspace.js';
import { runRotation } from '../src/run/run.js';

export interface SoakResult {
  /** RSS in KiB after each run, the first run (the one at start) at index 0. */
  readonly rssKiB: readonly number[];
  /** Runs that ended with a nonzero exit status or threw. */
  readonly failedRuns: number;
}

async function main(): Promise<void> {
  const [config, state, runsArg, resultFile, appendDir] = process.argv.slice(2);
  if (config === undefined || state === undefined || resultFile === undefined) throw new Error('usage: daemon-soak CONFIG STATE RUNS RESULT_FILE [APPEND_DIR]');
  const runs = Number(runsArg);
  let tick: (() => void) | null = null;
  const scheduler: Scheduler = {
    schedule: (_expression, onTick) => {
      tick = onTick;
      return { stop: () => (tick = null) };
    },
  };
  let clock = Date.now();
  let ended: (() => void) | null = null;
  let failedRuns = 0;
  const daemon = new Daemon(
    { configPaths: [config], statePath: state, mailCommand: '/bin/false', verbose: false, schedule: '* * * * * *' },
    {
      run: async (options) => {
        try {
          const result = await runRotation(options);
          if (result.exitCode !== 0) failedRuns++;
          return result;
        } catch (err) {
          failedRuns++;
          throw err;
        } finally {
          ended?.();
        }
      },
      scheduler,
      now: () => new Date(clock),
      output: cliOutput(processIo()),
      workspace: liveWorkspace(),
    },
  );
  const logs = appendDir === undefined ? [] : readdirSync(appendDir).filter((name) => name.endsWith('.log')).map((name) => join(appendDir, name));
  const line = `${'x'.repeat(1023)}\n`;
  const rssKiB: number[] = [];
  const afterRun = async (): Promise<void> => {
    // The daemon reports the run after it returned: let it finish before sampling.
    await nextTurn();
    rssKiB.push(Math.round(process.memoryUsage.rss() / 1024));
    for (const log of logs) appendFileSync(log, line);
  };
  await daemon.start();
  await afterRun();
  for (let i = 1; i < runs; i++) {
    clock += 1000;
    const done = new Promise<void>((resolve) => (ended = resolve));
    if (tick === null) throw new Error('the daemon scheduled nothing');
    (tick as () => void)();
    await done;
    await afterRun();
  }
  await daemon.stop();
  const result: SoakResult = { rssKiB, failedRuns };
  writeFileSync(resultFile, JSON.stringify(result));
}

await main();
