// The plan: plain data that the pure planner produces and the executor carries out.
// `-d` renders it instead of executing it; `-d --json` prints it.

import type { FileAttributes, LogOptions, Section } from '../config/model.js';
import type { NoRenamePlan, PurgeRule } from './purge-model.js';

/** What the planner may know about a path. Produced by the executor side from lstat(2). */
export type PathFact =
  | {
      readonly kind: 'present';
      readonly type: 'file' | 'dir' | 'symlink' | 'other';
      readonly size: number;
      readonly mode: number; // permission bits and type-less (st_mode & 07777)
      readonly uid: number;
      readonly gid: number;
      readonly nlink: number;
      readonly dev: number;
      /** The inode number; 0 for a file the overlay only imagines. */
      readonly ino: number;
      readonly mtimeMs: number;
    }
  | { readonly kind: 'absent' }
  /** lstat failed with something other than ENOENT/ENOTDIR. */
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/** A read-only view of the filesystem, injected into the planner. In production it is
 * backed by lstat/readdir (see src/exec/fs-view.ts); in tests by an in-memory tree. */
export interface FsView {
  lstat(path: string): PathFact;
  /** stat(2), following symlinks. logrotate stats the log's parent directory and old
   * dated rotations this way; without it the planner falls back to lstat, which
   * refuses a parent directory reached through a symlink as insecure (mode 0777). */
  stat?(path: string): PathFact;
  /** Entry names of a directory (no `.`/`..`), or null when it cannot be read. */
  readdir(dir: string): readonly string[] | null;
  /** The filesystem holding `dir`: statfs(2), and stat(2)'s st_dev of `dir`. Only the
   * `minfree` budget asks; without it that budget cannot be planned (and says so). */
  statfs?(dir: string): SpaceFact;
}

/** Free space as `df` shows it: `free` is what unprivileged writers may still use
 * (f_bavail, df's Avail), `total` the filesystem's size (f_blocks), both in bytes. */
export type SpaceFact =
  | { readonly kind: 'space'; readonly dev: number; readonly free: number; readonly total: number }
  | { readonly kind: 'error'; readonly message: string };

/** The inputs of one planning call. Nothing else is consulted. */
export interface PlanInput {
  readonly sections: readonly Section[];
  /** Last-rotation times from the state file, by exact path. */
  readonly state: ReadonlyMap<string, Date>;
  readonly fs: FsView;
  readonly now: Date;
  readonly force: boolean;
  /** Real uid is 0: enables the insecure-parent-directory refusal. */
  readonly isRoot: boolean;
}

/** Why a log does or does not rotate; rendered in logrotate's wording by the CLI. */
export type Verdict =
  /** `norename`: the application rotated it; its finished files are compressed and purged. */
  | { readonly kind: 'rotate'; readonly why: 'force' | 'maxsize' | 'size' | 'time' | 'future' | 'norename' }
  | {
      readonly kind: 'skip';
      readonly why:
        | 'missing' // absent and missingok
        | 'symlink'
        | 'hardlink'
        | 'not-due' // time criterion not met
        | 'already-rotated' // same hour (same minute with `minutes`)
        | 'too-small' // below `size`
        | 'minsize'
        | 'minage'
        | 'empty' // notifempty and 0 bytes
        /** Never decided: the run did nothing for the log itself (it was outside a watch
         * run's logs, or a norename group with no file to handle), only a budget removed
         * some of its rotations (src/run/result.ts addWork). */
        | 'purge-only';
    }
  | { readonly kind: 'error'; readonly message: string };

export type SkipReason = Extract<Verdict, { kind: 'skip' }>['why'];

export interface LogDecision {
  readonly path: string;
  readonly verdict: Verdict;
  /** Every "does not need rotating" check that held, in logrotate's message order: a
   * time-criterion log can be not due *and* below minsize *and* too young. The verdict
   * names the first. Empty unless the verdict is a skip past the link checks. */
  readonly reasons: readonly SkipReason[];
  /** The lstat taken at decision time; logrotate keeps it for `create` and compression. */
  readonly stat?: Extract<PathFact, { kind: 'present' }>;
  /** `last rotated in the future -- rotation forced`: printed at error level, yet not
   * an error for the exit status. */
  readonly future: boolean;
  /** missingok and the parent directory is missing: skipped without any message. */
  readonly parentMissing: boolean;
  /** The state time this log has after the decision (new entries: this hour). */
  readonly lastRotated: Date;
  readonly newStateEntry: boolean;
}

/** One filesystem or process step. Paths are absolute. Hook scripts are not actions:
 * the executor runs them around the phases below, per log or once per section
 * (sharedscripts), from the section's options. */
export type Action =
  /** `shift` is set when an old rotation moves up one index: a missing source is then
   * normal (debug `old log X does not exist`), and logrotate's debug line names the counters. */
  | { readonly kind: 'rename'; readonly from: string; readonly to: string; readonly shift?: ShiftIndex }
  | { readonly kind: 'create'; readonly path: string; readonly attrs: Required<FileAttributes>; readonly aclFrom?: string }
  /** `skipCopy`: `rotate 0` without `mail` (main): nothing is copied, but copytruncate
   * still truncates the log. */
  | { readonly kind: 'copy'; readonly from: string; readonly to: string; readonly truncate: boolean; readonly skipCopy?: boolean }
  | { readonly kind: 'compress'; readonly from: string; readonly to: string; readonly attrsFrom: string }
  /** `rule`: the budget (or norename's count or age) that decided the removal, with its
   * figures, for the progress line. */
  | { readonly kind: 'remove'; readonly path: string; readonly reason: RemoveReason; readonly rule?: PurgeRule }
  | { readonly kind: 'mail'; readonly path: string; readonly address: string; readonly subject: string; readonly uncompress: boolean }
  /** Indices `top` down to `bottom` of the shift of numbered rotations hold no file:
   * nothing to do, but logrotate walks them one by one, and -v/-d print a line or two for
   * each (describe.ts). Index i names `${prefix}${i}${suffix}`. */
  | {
      readonly kind: 'shift-gap';
      readonly prefix: string;
      readonly suffix: string;
      readonly top: number;
      readonly bottom: number;
      readonly rotateCount: number;
      readonly logStart: number;
    }
  | { readonly kind: 'stamp'; readonly log: string; readonly time: Date }
  /** `signal SIGNAL PIDFILE` (logrotor extension): first of the finishing steps, right
   * after postrotate; once per section with sharedscripts. */
  | { readonly kind: 'signal'; readonly signal: string; readonly pidFile: string }
  /** `archive`: the rotation just made at `path` is recorded with its instant, so that
   * whenever it is archived (compressed, maybe runs later) it is named by them. */
  | { readonly kind: 'track'; readonly path: string; readonly log: string; readonly rotatedAt: Date }
  /** `archive`: `path`, final now, copied to the section's archive and verified there;
   * `factsOf` is the file whose recorded rotation names it (a compressed file's source). */
  | { readonly kind: 'archive'; readonly path: string; readonly log: string; readonly factsOf: string };

/** Why a rotated file goes: the rotation count (`rotate-0`: the log just rotated), its
 * age, a budget; or it is no rotation at all (compression's input, renamecopy's copy). */
export type RemoveReason = 'rotate-count' | 'maxage' | 'compressed' | 'rotate-0' | 'renamecopy-tmp' | 'maxtotalsize' | 'minfree' | 'archived';

/** A step that keeps a log's rotations within their budgets, whether or not it rotated:
 * planned once the section's rotations are done (see purge-steps.ts). */
export interface UpkeepStep {
  readonly log: string;
  readonly action: Action;
}

/** The counters logrotate prints with each shift rename. */
export interface ShiftIndex {
  readonly rotateCount: number;
  readonly logStart: number;
  readonly index: number;
}

/** The steps of one log's rotation, in phases that sharedscripts interleaves: all a
 * killed run's journal needs to finish it. */
export interface RotationSteps {
  readonly log: string;
  /** State stamp, delaycompress of the previous rotation, expiry and the shift of old logs. */
  readonly prepare: readonly Action[];
  /** rename / create / copy / copytruncate. */
  readonly rotate: readonly Action[];
  /** The name the log got ($2 of a non-shared postrotate), without compression extension. */
  readonly finalName: string;
  /** renamecopy's copy, compression, mail and removal of the log that falls out. */
  readonly finish: readonly Action[];
}

/** Everything that happens to one rotating log: its steps, and what the planner found
 * on the way that logrotate prints. */
export interface LogRotation extends RotationSteps {
  /** Set when preparing found the rotation impossible (e.g. a dateext destination that
   * already exists): the prepare actions up to that point still run, then this error. */
  readonly failure: string | null;
  /** strftime result that dateext names use (computed even without dateext, as logrotate
   * does); empty when an over-long dateformat made it fail. */
  readonly dateSuffix: string;
  /** The glob (logrotate's notation) that finds dated rotations. */
  readonly globPattern: string;
  /** The dateformat after escaping unknown specifiers, when `dateformat` was given. */
  readonly convertedFormat: string | null;
  /** The old rotation `finish` mails and removes (after `rotate 0` made it the log itself). */
  readonly disposeName: string | null;
  /** The rotation logrotate would have disposed of, had it existed (debug line only). */
  readonly disposeMissing: string | null;
  /** Non-fatal warnings printed while preparing (delaycompress without compress). */
  readonly warnings: readonly string[];
  /** dateext found no earlier dated rotation; logrotate says its glob failed (debug line). */
  readonly noDatedRotations: boolean;
}

export interface SectionPlan {
  readonly section: Section;
  readonly options: LogOptions;
  readonly decisions: readonly LogDecision[];
  readonly rotations: readonly LogRotation[];
  /** sharedscripts and a decision error: no log of the section is prepared, rotated or
   * finished (main), although firstaction/lastaction still run when a log was due. */
  readonly blocked: boolean;
  /** A `norename` section: its groups and what each gets (its rotations are that work). */
  readonly noRename: NoRenamePlan | null;
}

export interface Plan {
  readonly now: Date;
  readonly sections: readonly SectionPlan[];
}
