// What a run may do to the machine, chosen once when the run is set up: a live workspace
// locks the state file, journals, rotates and writes the state; the preview workspace
// of `-d` reads everything the same way and changes nothing. The run itself (run.ts)
// never asks which one it has.
import type { TallyFigures } from '../exec/tally.js';
import type { ConfigFs } from '../config/fs.js';
import type { Diagnostic, LogOptions } from '../config/model.js';
import type { Effects } from '../exec/effects/effects.js';
import type { StepObserver } from '../exec/observer.js';
import type { FinishPool } from '../exec/section/finish-pool.js';
import type { Recovered } from '../journal/recovery/recover.js';
import type { Logger } from '../logger.js';
import type { FsView, SectionPlan } from '../plan/model.js';
import type { LockMode, LockResult } from '../state/lock.js';
import type { WriteStateOptions } from '../state/store.js';

export interface Workspace {
  /** Where the run's messages go: the pool's ordered logger when steps overlap. */
  readonly logger: Logger;
  /** Finishing steps of logs overlap here (nowhere when nothing waits for the disk). */
  readonly pool: FinishPool | null;
  /** How the config reader sees (and, for createolddir, changes) the tree. */
  readonly configFs: ConfigFs;
  /** Locks the state file for the run; null when nothing is locked. */
  lock(statePath: string, mode: LockMode): Promise<LockResult | null>;
  /** Finishes what a killed run left, then starts this run's journal. */
  openJournal(statePath: string, mailCommand: string): Promise<JournalSession>;
  /** The tree a section is planned against; `su`: looked at with the su user's rights. */
  planningView(su: boolean): FsView;
  /** The tree as the run's steps so far left it: what the purge is planned against. */
  currentView(): FsView;
  /** Why `path` must stay although a rotation count or budget would remove it (its
   * section archives, and the archive has not confirmed it), or null. */
  holds(path: string, options: LogOptions): string | null;
  /** The effects of one section's plan. */
  effects(plan: SectionPlan): Effects;
  saveState(path: string, entries: ReadonlyMap<string, Date>, options: WriteStateOptions): Diagnostic[];
  /** What the run's steps did, for the metrics (bytes compressed, removals, uploads). */
  figures(): TallyFigures;
  /** The run is over: connections to archives are closed. */
  close(): void;
}

export interface JournalSession {
  readonly recovered: Recovered | null;
  /** Told about every step (none: nothing is journaled). */
  readonly observer: StepObserver | undefined;
  /** Ends the run's records, once every step is done. */
  close(): Promise<void>;
}

/** What a workspace is made for: one run's messages, clock and state file. */
export interface RunSetting {
  readonly logger: Logger;
  readonly now: Date;
  readonly statePath: string;
}

export type WorkspaceFactory = (setting: RunSetting) => Workspace;
