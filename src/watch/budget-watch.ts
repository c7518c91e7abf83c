// The disk budgets in watch mode (docs/budgets.md): a run as soon as a budget is
// crossed, not at the next scheduled one.
// - minfree: the free space of each filesystem holding rotations of a minfree section is
//   read every `pollMs` (one statfs(2) each: writes anywhere on the filesystem use it up,
//   and no event says so); below what a section there asks for, the planner decides
//   whether anything can go, and a run of the run-wide work alone does it.
// - maxtotalsize: a change in a directory holding a log's rotations (not a write to the
//   log itself) has the planner look at that log's rotations; over budget, a run of
//   that log follows.
// A budget a run could not bring back (nothing left to remove, a removal failing) rests
// `retryMs` before the next try, as a log over its size does, so watch never loops.
import { statfsSync, statSync } from 'node:fs';
import type { Output } from '../cli/line-output.js';
import type { Section } from '../config/model.js';
import { LiveFsView } from '../exec/fs-view.js';
import { describeShortfall } from '../plan/describe-purge.js';
import { planFreeSpace, wantedBytes } from '../plan/free-space.js';
import { planBudgets, type PurgeContext } from '../plan/log-budgets.js';
import { liveLogs } from '../plan/purge.js';
import type { RunResult } from '../run/result.js';
import { budgetTargets, logsToRun, rotationDirs, type BudgetTargets } from './budget-targets.js';
import { inotifyLimitMessage, type DirEvent, type DirWatch, type DirWatchFactory } from './dir-watch.js';

export interface BudgetWatchDeps {
  /** A normal run of these logs (an empty set: the run-wide work alone, minfree). */
  readonly run: (logs: ReadonlySet<string>) => Promise<RunResult | null>;
  /** Has the configuration read again: new files may match a norename section. */
  readonly rescan: () => void;
  readonly output: Output;
  readonly watchDir: DirWatchFactory;
  readonly pollDir: DirWatchFactory;
  /** Changes are gathered this long before the planner looks. */
  readonly settleMs: number;
  readonly retryMs: number;
  /** How often free space is read. */
  readonly pollMs: number;
  readonly now: () => Date;
  readonly isRoot: boolean;
}

/** A filesystem minfree watches: a directory on it, and what its sections ask for. */
interface Watched {
  readonly dev: number;
  readonly dir: string;
  readonly sections: Section[];
}

/** One budget crossed: `minfree:DEV` or `maxtotalsize:LOG`, the files the planner
 * would remove for it, and the logs a run must include to do so. */
interface Crossing {
  readonly key: string;
  /** For the warning when it rests: `maxtotalsize of /l/app.log`. */
  readonly what: string;
  readonly files: ReadonlySet<string>;
  readonly logs: readonly string[];
}

const EMPTY: BudgetTargets = { freeSpace: [], totals: new Map() };

export class BudgetWatch {
  private sections: readonly Section[] = [];
  private targets = EMPTY;
  private filesystems: Watched[] = [];
  private readonly dirWatches = new Map<string, DirWatch>();
  /** maxtotalsize directories changed since the last look. */
  private readonly changed = new Set<string>();
  private freeLow = false;
  /** The crossings the last run was asked to mend: still there afterwards, untouched, they rest. */
  private asked: readonly Crossing[] = [];
  private readonly resting = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private poller: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly deps: BudgetWatchDeps) {}

  /** The configuration as the log watch read it (at start, on SIGHUP, after changes). */
  configure(sections: readonly Section[]): void {
    if (this.closed) return;
    this.sections = sections;
    this.targets = budgetTargets(sections);
    this.filesystems = filesystemsOf(this.targets);
    this.reconcileWatches();
    for (const dir of this.targets.totals.keys()) this.changed.add(dir);
    this.freeLow = this.filesystems.length > 0;
    if (this.filesystems.length > 0) this.poller ??= setInterval(() => this.readFreeSpace(), this.deps.pollMs);
    else if (this.poller !== null) {
      clearInterval(this.poller);
      this.poller = null;
    }
    this.schedule(0);
  }

  /** What is watched, for the start-up line. */
  get watching(): { filesystems: number; directories: number } {
    return { filesystems: this.filesystems.length, directories: this.dirWatches.size };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller !== null) clearInterval(this.poller);
    if (this.pending !== null) clearTimeout(this.pending);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.checking;
    for (const handle of this.dirWatches.values()) handle.close();
    this.dirWatches.clear();
  }

  /** One statfs(2) per filesystem; below what a section asks for, the planner looks. */
  private readFreeSpace(): void {
    for (const fs of this.filesystems) {
      if (this.resting.has(freeKey(fs.dev))) continue;
      try {
        const space = statfsSync(fs.dir);
        const total = space.blocks * space.bsize;
        const free = space.bavail * space.bsize;
        if (fs.sections.some((s) => s.options.minFree !== null && free < wantedBytes(s.options.minFree, total))) this.freeLow = true;
      } catch {
        // Gone: the next configuration says where the rotations are now.
      }
    }
    if (this.freeLow) this.schedule(0);
  }

  private onEvent(dir: string, event: DirEvent): void {
    if (event.name === null || event.kind === 'rename') {
      // A file appeared or went: a norename section's pattern may match it.
      if (this.targets.totals.get(dir)?.some((s) => s.options.noRename) === true) this.deps.rescan();
    }
    this.changed.add(dir);
    this.schedule(this.deps.settleMs);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.checking !== null) {
      this.again = true;
      return;
    }
    if (this.pending !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.pending);
    }
    this.pending = setTimeout(() => {
      this.pending = null;
      this.checking = this.check()
        .catch((error: unknown) => this.deps.output.err(`error: watch: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.checking = null;
          if (this.again) {
            this.again = false;
            this.schedule(0);
          }
        });
    }, delayMs);
  }

  /** The planner decides what is over budget; a run mends it. */
  private async check(): Promise<void> {
    if (this.closed || (this.changed.size === 0 && !this.freeLow)) return;
    const fs = new LiveFsView();
    const now = this.deps.now();
    const ctx: PurgeContext = { fs, now, isRoot: this.deps.isRoot, protect: liveLogs(this.sections, { fs, now, isRoot: this.deps.isRoot }) };
    const crossings = [...this.totalsCrossed(ctx), ...(this.freeLow ? this.freeSpaceCrossed(ctx) : [])];
    this.freeLow = false;
    const stalled = new Set(this.asked.filter((c) => [...c.files].every((file) => fs.lstat(file).kind === 'present')).map((c) => c.key));
    const due: Crossing[] = [];
    for (const crossing of crossings) {
      if (stalled.has(crossing.key)) this.rest(crossing.key, `${crossing.what} is still not met: the last run removed none of the rotations it was run for`);
      else due.push(crossing);
    }
    this.asked = due;
    if (due.length === 0 || this.closed) return;
    await this.deps.run(new Set(due.flatMap((c) => c.logs)));
    // Writers go on meanwhile: look again at once rather than at the next poll.
    for (const crossing of due) if (crossing.key.startsWith('maxtotalsize:')) this.targets.totals.forEach((_, dir) => this.changed.add(dir));
    this.readFreeSpace();
  }

  private totalsCrossed(ctx: PurgeContext): Crossing[] {
    const sections = new Set([...this.changed].flatMap((dir) => this.targets.totals.get(dir) ?? []));
    this.changed.clear();
    const crossings: Crossing[] = [];
    for (const section of sections) {
      const removals = planBudgets(section, ctx).filter((r) => r.rule.kind === 'maxtotalsize');
      for (const log of new Set(removals.map((r) => r.log))) {
        const key = `maxtotalsize:${log}`;
        if (this.resting.has(key)) continue;
        const mine = removals.filter((r) => r.log === log);
        crossings.push({ key, what: `maxtotalsize of ${log}`, files: new Set(mine.map((r) => r.file.path)), logs: logsToRun(section, mine) });
      }
    }
    return crossings;
  }

  private freeSpaceCrossed(ctx: PurgeContext): Crossing[] {
    const plan = planFreeSpace(this.targets.freeSpace, ctx);
    const crossings: Crossing[] = [];
    for (const fs of plan.filesystems) {
      const key = freeKey(fs.dev);
      if (this.resting.has(key)) continue;
      if (fs.removals.length > 0) {
        // minfree is run-wide work: a run of no log at all does it.
        crossings.push({ key, what: `minfree on the filesystem of ${fs.dir}`, files: new Set(fs.removals.map((r) => r.file.path)), logs: [] });
      } else if (fs.shortfalls.length > 0) {
        const shortfall = fs.shortfalls[0];
        this.rest(key, shortfall === undefined ? key : describeShortfall(shortfall).text);
      }
    }
    return crossings;
  }

  /** A budget nothing more can mend for now: looked at again after `retryMs`. */
  private rest(key: string, why: string): void {
    this.resting.add(key);
    this.deps.output.err(`warning: ${why}; next try in ${Math.round(this.deps.retryMs / 1000)} s`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.resting.delete(key);
      if (key.startsWith('minfree:')) this.freeLow = true;
      else this.targets.totals.forEach((_, dir) => this.changed.add(dir));
      this.schedule(0);
    }, this.deps.retryMs);
    this.timers.add(timer);
  }

  private reconcileWatches(): void {
    const wanted = new Set(this.targets.totals.keys());
    for (const [dir, handle] of this.dirWatches) {
      if (wanted.has(dir)) continue;
      handle.close();
      this.dirWatches.delete(dir);
    }
    for (const dir of wanted) if (!this.dirWatches.has(dir)) void this.watch(dir);
  }

  private async watch(dir: string): Promise<void> {
    const onEvent = (event: DirEvent): void => this.onEvent(dir, event);
    // A directory that goes away is seen again by the next configuration.
    const onError = (): void => {
      this.dirWatches.get(dir)?.close();
      this.dirWatches.delete(dir);
    };
    try {
      this.dirWatches.set(dir, this.deps.watchDir(dir, onEvent, onError));
      return;
    } catch (error) {
      const limit = await inotifyLimitMessage(error);
      // Missing for now: the configuration read after it appears watches it.
      if (limit === null) return;
      this.deps.output.err(`warning: cannot watch ${dir}: ${limit}; polling it instead`);
    }
    try {
      if (!this.closed) this.dirWatches.set(dir, this.deps.pollDir(dir, onEvent, onError));
    } catch {
      // As above.
    }
  }
}

function freeKey(dev: number): string {
  return `minfree:${dev}`;
}

/** One directory per filesystem, with the sections that have rotations there. */
function filesystemsOf(targets: BudgetTargets): Watched[] {
  const byDev = new Map<number, Watched>();
  for (const section of targets.freeSpace) {
    for (const dir of rotationDirs(section)) {
      const dev = deviceOf(dir);
      if (dev === null) continue;
      const fs = byDev.get(dev) ?? { dev, dir, sections: [] };
      if (!fs.sections.includes(section)) fs.sections.push(section);
      byDev.set(dev, fs);
    }
  }
  return [...byDev.values()];
}

function deviceOf(dir: string): number | null {
  try {
    return statSync(dir).dev;
  } catch {
    return null;
  }
}
