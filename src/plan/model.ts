// The plan: plain data that the pure planner produces and the executor carries out.
// `-d` renders it instead of executing it; `-d --json` prints it.

import type { FileAttributes, LogOptions, Section } from '../config/model.js';

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
      readonly mtimeMs: number;
    }
  | { readonly kind: 'absent' }
  /** lstat failed with something other than ENOENT/ENOTDIR. */
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/** A read-only view of the filesystem, injected into the planner. In production it is
 * backed by lstat/readdir (see src/exec/fs-view.ts); in tests by an in-memory tree. */
export interface FsView {
  lstat(path: string): PathFact;
  /** Entry names of a directory (no `.`/`..`), or null when it cannot be read. */
  readdir(dir: string): readonly string[] | null;
}

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
  | { readonly kind: 'rotate'; readonly why: 'force' | 'maxsize' | 'size' | 'time' | 'future' }
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
        | 'empty'; // notifempty and 0 bytes
    }
  | { readonly kind: 'error'; readonly message: string };

export interface LogDecision {
  readonly path: string;
  readonly verdict: Verdict;
  /** The state time this log has after the decision (new entries: this hour). */
  readonly lastRotated: Date;
  readonly newStateEntry: boolean;
}

/** One filesystem or process step. Paths are absolute. Hook scripts are not actions:
 * the executor runs them around the phases below, per log or once per section
 * (sharedscripts), from the section's options. */
export type Action =
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  | { readonly kind: 'create'; readonly path: string; readonly attrs: Required<FileAttributes>; readonly aclFrom?: string }
  | { readonly kind: 'copy'; readonly from: string; readonly to: string; readonly truncate: boolean }
  | { readonly kind: 'compress'; readonly from: string; readonly to: string; readonly attrsFrom: string }
  | { readonly kind: 'remove'; readonly path: string; readonly reason: 'rotate-count' | 'maxage' | 'compressed' | 'rotate-0' | 'renamecopy-tmp' }
  | { readonly kind: 'mail'; readonly path: string; readonly address: string; readonly subject: string; readonly uncompress: boolean }
  | { readonly kind: 'stamp'; readonly log: string; readonly time: Date };

/** Everything that happens to one rotating log, in phases that sharedscripts interleaves. */
export interface LogRotation {
  readonly log: string;
  /** State stamp, delaycompress of the previous rotation, expiry and the shift of old logs. */
  readonly prepare: readonly Action[];
  /** rename / create / copy / copytruncate. */
  readonly rotate: readonly Action[];
  /** The name the log got ($2 of a non-shared postrotate), without compression extension. */
  readonly finalName: string;
  /** renamecopy's copy, compression, mail and removal of the log that falls out. */
  readonly finish: readonly Action[];
  /** Set when preparing found the rotation impossible (e.g. a dateext destination that
   * already exists): the prepare actions up to that point still run, then this error. */
  readonly failure?: string;
}

export interface SectionPlan {
  readonly section: Section;
  readonly options: LogOptions;
  readonly decisions: readonly LogDecision[];
  readonly rotations: readonly LogRotation[];
}

export interface Plan {
  readonly now: Date;
  readonly sections: readonly SectionPlan[];
}
