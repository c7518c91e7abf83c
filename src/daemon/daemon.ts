// The long-running scheduler: a normal rotation run (config re-read, state file locked
// and written) at every tick of a cron expression, on SIGHUP, and for watch triggers.
import type { Output } from '../cli/line-output.js';
import type { RunResult } from '../run/result.js';
import type { RunOptions } from '../run/run.js';
import type { WorkspaceFactory } from '../run/workspace.js';
import { RunLogger, reportRun } from './output.js';
import { RunGate } from './run-gate.js';
import type { ScheduledJob, Scheduler } from './scheduler.js';
import { releaseRunMemory } from './memory.js';

export interface DaemonSettings {
  readonly configPaths: readonly string[];
  readonly statePath: string;
  readonly mailCommand: string;
  readonly verbose: boolean;
  readonly schedule: string;
}

export interface DaemonDeps {
  readonly run: (options: RunOptions) => Promise<RunResult>;
  readonly scheduler: Scheduler;
  readonly now: () => Date;
  readonly output: Output;
  /** What the runs may change (the live workspace; tests may give another). */
  readonly workspace: WorkspaceFactory;
  /** How soon, and at most how far apart, failed uploads are retried (default 30 s, 1 h). */
  readonly archiveRetry?: { readonly firstMs: number; readonly maxMs: number };
  /** Called after every run, ended or failed, to give back what it left (default releaseRunMemory). */
  readonly releaseMemory?: () => void;
}

const ARCHIVE_RETRY = { firstMs: 30_000, maxMs: 3_600_000 };

export class Daemon {
  private readonly gate = new RunGate();
  private job: ScheduledJob | null = null;
  /** The retry of uploads that failed: sooner than the schedule, then less and less often. */
  private retry: { timer: NodeJS.Timeout | null; delayMs: number } = { timer: null, delayMs: 0 };
  private stopping = false;
  private rerunQueued = false;

  constructor(
    private readonly settings: DaemonSettings,
    private readonly deps: DaemonDeps,
  ) {}

  /** Starts the schedule and runs once right away, so a log that grew while no
   * daemon was running does not wait for the first tick. */
  start(): Promise<void> {
    this.job = this.deps.scheduler.schedule(this.settings.schedule, () => this.tick());
    this.deps.output.out(`logrotor daemon: running ${this.settings.configPaths.join(' ')} on schedule '${this.settings.schedule}'`);
    return this.runAgain();
  }

  /** A scheduled tick: skipped, with a message, while a run is in progress. */
  tick(): void {
    if (this.stopping) return;
    if (this.gate.busy) {
      this.deps.output.out('scheduled run skipped: the previous run is still in progress');
      return;
    }
    void this.gate.enqueue(() => this.execute());
  }

  /** A run as soon as the current one ends (SIGHUP); repeated requests meanwhile collapse into one. */
  async runAgain(): Promise<void> {
    if (this.stopping || this.rerunQueued) return;
    this.rerunQueued = true;
    await this.gate.enqueue(() => {
      this.rerunQueued = false;
      return this.execute();
    });
  }

  /** A run restricted to `logs`, queued behind any run in progress (watch triggers). */
  runLogs(logs: ReadonlySet<string>): Promise<RunResult | null> {
    return this.gate.enqueue(() => this.execute(logs));
  }

  /** Stops scheduling and waits for the run in progress, if any, to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.job?.stop();
    this.job = null;
    if (this.retry.timer !== null) clearTimeout(this.retry.timer);
    await this.gate.idle();
  }

  private async execute(onlyLogs?: ReadonlySet<string>): Promise<RunResult | null> {
    if (this.stopping) return null;
    const { settings, deps } = this;
    const logger = new RunLogger(deps.output, settings.verbose);
    try {
      const result = await deps.run({
        configPaths: settings.configPaths,
        statePath: settings.statePath,
        workspace: deps.workspace,
        force: false,
        mailCommand: settings.mailCommand,
        // Another rotator holding the lock makes this run fail with a message; the next tick retries.
        lock: 'normal',
        logger,
        now: deps.now(),
        ...(onlyLogs === undefined ? {} : { onlyLogs }),
      });
      reportRun(result, logger, deps.output);
      if (result.exitCode !== 0) logger.print(`error: run finished with exit status ${result.exitCode}`);
      this.retryArchives(result.figures.archiveFailed.files);
      return result;
    } catch (error) {
      logger.print(`error: run failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    } finally {
      (deps.releaseMemory ?? releaseRunMemory)();
    }
  }

  /** After uploads failed, a run again in 30 s, then 1, 2, 4 … minutes, at most an hour
   * apart, until one goes through (any run retries every upload still queued). */
  private retryArchives(failures: number): void {
    if (failures === 0) {
      this.retry.delayMs = 0;
      return;
    }
    if (this.retry.timer !== null || this.stopping) return;
    const { firstMs, maxMs } = this.deps.archiveRetry ?? ARCHIVE_RETRY;
    this.retry.delayMs = Math.min(Math.max(this.retry.delayMs * 2, firstMs), maxMs);
    this.deps.output.out(`logrotor daemon: ${failures} uploads failed; trying again in ${formatDelay(this.retry.delayMs)}`);
    this.retry.timer = setTimeout(() => {
      this.retry.timer = null;
      void this.runAgain();
    }, this.retry.delayMs);
    this.retry.timer.unref();
  }
}

function formatDelay(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
