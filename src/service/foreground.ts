// Wiring of the long-running modes: a Daemon for the runs, a LogWatch when watching,
// process signals for reload and stop.
import type { Output } from '../cli/line-output.js';
import { configSource } from '../config/source.js';
import { Daemon } from '../daemon/daemon.js';
import type { Scheduler } from '../daemon/scheduler.js';
import { liveWorkspace } from '../run/live-workspace.js';
import { runRotation } from '../run/run.js';
import { BudgetWatch } from '../watch/budget-watch.js';
import { inotifyWatch, pollingWatch } from '../watch/dir-watch.js';
import { LogWatch } from '../watch/log-watch.js';
import type { ForegroundFlags } from './options.js';
import { untilStopped } from './signals.js';

export interface ForegroundSettings extends ForegroundFlags {
  readonly watch: boolean;
  /** With a scheduler, runs happen on `schedule`; without one (`logrotor watch`) only
   * size triggers run. */
  readonly scheduler?: Scheduler;
  readonly schedule?: string;
}

/** Watch events gathered before acting: short enough to rotate well within 2 s. */
const SETTLE_MS = 150;
const POLL_MS = 1000;
const RETRY_MS = 60_000;
/** Free space is read this often for minfree: a crossing is acted on well within 2 s,
 * at a few statfs(2) calls a second (docs/budgets.md has the cost measured). */
const FREE_SPACE_POLL_MS = 200;

/** Runs until SIGTERM/SIGINT; resolves with the exit status. */
export async function foreground(configs: readonly string[], settings: ForegroundSettings, output: Output): Promise<number> {
  // Imported only when asked for: the metrics modules and node:http are ~0.7 MB of a
  // daemon's resident memory for as long as it runs.
  const metrics = settings.metricsListen === undefined ? null : await (await import('./metrics.js')).startLiveMetrics(settings.metricsListen, settings.state, output);
  const daemon = new Daemon(
    { configPaths: configs, statePath: settings.state, mailCommand: settings.mail, verbose: settings.verbose, schedule: settings.schedule ?? '' },
    { run: metrics?.metered(runRotation) ?? runRotation, scheduler: settings.scheduler ?? { schedule: () => ({ stop: () => {} }) }, now: () => new Date(), output, workspace: liveWorkspace() },
  );
  const budgets = settings.watch
    ? new BudgetWatch({
        run: (logs) => daemon.runLogs(logs),
        rescan: () => watch?.rescan(),
        output,
        watchDir: inotifyWatch,
        pollDir: pollingWatch(POLL_MS),
        settleMs: SETTLE_MS,
        retryMs: RETRY_MS,
        pollMs: FREE_SPACE_POLL_MS,
        now: () => new Date(),
        isRoot: process.getuid?.() === 0,
      })
    : null;
  const watch: LogWatch | null = settings.watch
    ? new LogWatch({
        configPaths: configs,
        loadConfig: configSource(settings.verbose ? (text) => output.out(text) : null),
        rotate: (logs) => daemon.runLogs(logs),
        output,
        watchDir: inotifyWatch,
        pollDir: pollingWatch(POLL_MS),
        settleMs: SETTLE_MS,
        retryMs: RETRY_MS,
        ...(budgets === null ? {} : { onConfig: (sections) => budgets.configure(sections) }),
      })
    : null;
  const stopped = untilStopped(
    process,
    {
      reload: () => {
        if (settings.scheduler !== undefined) void daemon.runAgain();
        watch?.rescan();
      },
      stop: async () => {
        await watch?.close();
        await budgets?.close();
        await daemon.stop();
        await metrics?.close();
      },
    },
    output,
  );
  if (settings.scheduler !== undefined) await daemon.start();
  if (watch !== null) {
    await watch.start();
    output.out(`logrotor: watching ${watch.watchedDirectories.length} directories for logs over their size`);
    const budgeted = budgets?.watching;
    if (budgeted !== undefined && budgeted.filesystems + budgeted.directories > 0) {
      output.out(`logrotor: watching the free space of ${budgeted.filesystems} filesystems (minfree) and ${budgeted.directories} directories of rotations (maxtotalsize)`);
    }
  }
  return stopped;
}
