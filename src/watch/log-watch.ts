// Size-triggered rotation: react to directory events, re-stat the logs named by them,
// and rotate each log that crossed its `size`/`maxsize` through a normal run limited to it.
import { lstat, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { diagnosticLines, type Output } from '../cli/line-output.js';
import type { Section } from '../config/model.js';
import type { ConfigSource } from '../config/source.js';
import { rotatedLogs, type RunResult } from '../run/result.js';
import { inotifyLimitMessage, type DirEvent, type DirWatch, type DirWatchFactory } from './dir-watch.js';
import { exceeds, watchPlan, type WatchPlan } from './targets.js';

export interface LogWatchDeps {
  readonly configPaths: readonly string[];
  readonly loadConfig: ConfigSource;
  /** Rotates exactly these logs (a normal run with `onlyLogs`); null when the run failed. */
  readonly rotate: (logs: ReadonlySet<string>) => Promise<RunResult | null>;
  readonly output: Output;
  readonly watchDir: DirWatchFactory;
  /** Used for directories inotify cannot watch. */
  readonly pollDir: DirWatchFactory;
  /** Events are gathered this long before acting, so a burst of writes costs one stat. */
  readonly settleMs: number;
  /** How long a log that is over its size but was not rotated rests before the next try. */
  readonly retryMs: number;
  /** Told each configuration read (the budget watch keeps its own targets from it). */
  readonly onConfig?: (sections: readonly Section[]) => void;
}

interface Watched {
  readonly handle: DirWatch;
  /** Set when the directory itself went away: the watch is dead and must be replaced. */
  stale: boolean;
}

const EMPTY_PLAN: WatchPlan = { logs: new Map(), dirs: new Set() };

export class LogWatch {
  private plan = EMPTY_PLAN;
  private readonly watched = new Map<string, Watched>();
  private readonly dirty = new Set<string>();
  private readonly resting = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rescanNeeded = true;
  private settleTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private closed = false;
  private lastConfigMessages = '';

  constructor(private readonly deps: LogWatchDeps) {}

  /** Reads the config, sets up the watches and rotates whatever is already over its size. */
  start(): Promise<void> {
    return this.runFlush();
  }

  /** Re-reads the config and re-expands its globs (SIGHUP). */
  rescan(): void {
    this.rescanNeeded = true;
    this.schedule();
  }

  get watchedDirectories(): readonly string[] {
    return [...this.watched.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.flushing;
    for (const entry of this.watched.values()) entry.handle.close();
    this.watched.clear();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.flushing !== null) {
      this.flushAgain = true;
      return;
    }
    if (this.settleTimer !== null) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      void this.runFlush();
    }, this.deps.settleMs);
  }

  private async runFlush(): Promise<void> {
    this.flushing = this.flush().catch((error: unknown) => {
      this.deps.output.err(`error: watch: ${error instanceof Error ? error.message : String(error)}`);
    });
    await this.flushing;
    this.flushing = null;
    if (this.flushAgain) {
      this.flushAgain = false;
      this.schedule();
    }
  }

  private async flush(): Promise<void> {
    if (this.closed) return;
    if (this.rescanNeeded) {
      this.rescanNeeded = false;
      await this.reload();
      for (const log of this.plan.logs.keys()) this.dirty.add(log);
    }
    const due = new Set<string>();
    for (const log of this.dirty) {
      const trigger = this.plan.logs.get(log);
      if (trigger === undefined || this.resting.has(log)) continue;
      const size = await lstat(log).then(
        (s) => (s.isFile() ? s.size : 0),
        () => 0,
      );
      if (exceeds(trigger, size)) due.add(log);
    }
    this.dirty.clear();
    if (due.size === 0 || this.closed) return;
    const result = await this.deps.rotate(due);
    const rotated = result === null ? new Set<string>() : rotatedLogs(result);
    for (const log of due) {
      // Look again at once: a busy writer may already have filled the new log.
      if (rotated.has(log)) this.dirty.add(log);
      else this.rest(log);
    }
    if (this.dirty.size > 0) this.flushAgain = true;
  }

  /** A log the run declined (insecure parent, hard link, lock held…) would otherwise be
   * retried at every write. */
  private rest(log: string): void {
    this.resting.add(log);
    this.deps.output.err(`warning: ${log} is over its size limit but was not rotated; next try in ${Math.round(this.deps.retryMs / 1000)} s`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.resting.delete(log);
      this.dirty.add(log);
      this.schedule();
    }, this.deps.retryMs);
    this.timers.add(timer);
  }

  private async reload(): Promise<void> {
    const config = await this.deps.loadConfig(this.deps.configPaths);
    const messages = diagnosticLines(config.diagnostics);
    // A config is re-read after every rotation; its complaints are worth one printing each.
    if (messages.join('\n') !== this.lastConfigMessages) messages.forEach((line) => this.deps.output.err(line));
    this.lastConfigMessages = messages.join('\n');
    this.plan = watchPlan(config.sections);
    this.deps.onConfig?.(config.sections);
    await this.reconcileWatches();
  }

  /** Watches every planned directory, or its nearest existing ancestor while it is missing
   * (so its re-creation is seen), and drops watches no longer needed. */
  private async reconcileWatches(): Promise<void> {
    const wanted = new Set<string>();
    for (const dir of this.plan.dirs) wanted.add(await nearestDirectory(dir));
    for (const [dir, entry] of this.watched) {
      if (wanted.has(dir) && !entry.stale) continue;
      entry.handle.close();
      this.watched.delete(dir);
    }
    for (const dir of wanted) if (!this.watched.has(dir)) await this.watch(dir);
  }

  private async watch(dir: string): Promise<void> {
    const onEvent = (event: DirEvent): void => this.onEvent(dir, event);
    const onError = (): void => this.markStale(dir);
    try {
      this.watched.set(dir, { handle: this.deps.watchDir(dir, onEvent, onError), stale: false });
      return;
    } catch (error) {
      const limit = await inotifyLimitMessage(error);
      if (limit === null) {
        // Gone again since it was found; the event that removed it triggers a rescan.
        this.rescanNeeded = true;
        return;
      }
      this.deps.output.err(`warning: cannot watch ${dir}: ${limit}; polling it instead`);
    }
    try {
      this.watched.set(dir, { handle: this.deps.pollDir(dir, onEvent, onError), stale: false });
    } catch {
      this.rescanNeeded = true;
    }
  }

  private onEvent(dir: string, event: DirEvent): void {
    if (event.name === null || event.kind === 'rename') {
      // Creations, deletions and renames may change what the globs match. inotify names
      // a watched directory's own removal after the directory itself.
      if (event.name === basename(dir)) this.markStale(dir);
      this.rescanNeeded = true;
    } else {
      this.dirty.add(join(dir, event.name));
    }
    this.schedule();
  }

  private markStale(dir: string): void {
    const entry = this.watched.get(dir);
    if (entry !== undefined) entry.stale = true;
    this.rescanNeeded = true;
    this.schedule();
  }
}

async function nearestDirectory(dir: string): Promise<string> {
  for (let current = dir; ; current = dirname(current)) {
    const isDir = await stat(current).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isDir || current === dirname(current)) return current;
  }
}
