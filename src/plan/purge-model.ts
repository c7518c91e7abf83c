// The purge plan: which rotated files the budgets (`maxtotalsize`, `minfree`,
// `purgealways`) and `norename` remove or compress, each with the rule and the figures
// that decided it. Plain data like the plan: `-d` and `--json` print it, the executor
// carries it out (docs/budgets.md).
import type { FreeSpace, Section } from '../config/model.js';
import type { MessageLine } from './message.js';

/** A rotation (under norename: a finished file) as the purge sees it. */
export interface RotatedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** More than 1: other links keep the data, so removing the file frees nothing. */
  readonly nlink: number;
}

/** Why a file goes, with the figures as they stood right before it went. */
export type PurgeRule =
  /** norename: the group has `count` finished files, more than `rotate` keeps. */
  | { readonly kind: 'rotate'; readonly keep: number; readonly count: number }
  /** Older than `maxAge` days: with purgealways on every run, and always under norename. */
  | { readonly kind: 'maxage'; readonly maxAge: number; readonly ageDays: number }
  /** The log's rotations add up to `total` bytes (this one included), over `limit`. */
  | { readonly kind: 'maxtotalsize'; readonly limit: number; readonly total: number }
  /** `free` of `total` bytes are free on the file's filesystem, `wanted` are asked for. */
  | { readonly kind: 'minfree'; readonly minFree: FreeSpace; readonly wanted: number; readonly free: number; readonly total: number };

export interface Removal {
  readonly kind: 'remove';
  /** The log the file is a rotation of (norename: the group's live log). */
  readonly log: string;
  readonly file: RotatedFile;
  readonly rule: PurgeRule;
}

/** norename: a finished file the application left uncompressed. */
export interface Compression {
  readonly kind: 'compress';
  readonly log: string;
  readonly from: string;
  /** `from` + compressext. */
  readonly to: string;
}

export type PurgeStep = Removal | Compression;

/** norename: the files one word of the file list matches in one directory, plus those
 * names with the compression extension. */
export interface NoRenameGroup {
  /** The word as written in the file list. */
  readonly word: string;
  readonly dir: string;
  /** The group's first file in the section's list. */
  readonly first: string;
  /** The newest uncompressed matches (several when their mtimes tie): the application
   * writes there, so they are never touched. */
  readonly live: readonly string[];
  /** Every other member, compressed or not, oldest first. */
  readonly finished: readonly RotatedFile[];
}

/** What a norename group gets on this run; scripts run around it as around a rotation. */
export interface NoRenameWork {
  readonly group: NoRenameGroup;
  /** `$1` of non-shared scripts: the live log (the first listed file when there is none). */
  readonly log: string;
  /** `$2` of postrotate: the newest finished file that stays, as named before compression. */
  readonly finalName: string | null;
  /** By `rotate` and then `maxage`, oldest first; they come before the compressions. */
  readonly removals: readonly Removal[];
  readonly compressions: readonly Compression[];
}

export interface NoRenamePlan {
  readonly section: Section;
  /** Groups with something to do, in file-list order. */
  readonly work: readonly NoRenameWork[];
  /** Files skipped or refused, in logrotate's words; an error line fails the run. */
  readonly messages: readonly MessageLine[];
}

/** A section whose `minfree` stays unmet once every rotation it may remove is gone. */
export interface Shortfall {
  readonly section: Section;
  readonly dir: string;
  readonly wanted: number;
  /** Free bytes once every removal of this plan is done. */
  readonly free: number;
  readonly total: number;
}

/** `minfree` on one filesystem: removals oldest first across the sections there. */
export interface FilesystemPurge {
  /** The first directory of rotations found on this filesystem (for messages). */
  readonly dir: string;
  readonly dev: number;
  readonly free: number;
  readonly total: number;
  readonly removals: readonly Removal[];
  readonly shortfalls: readonly Shortfall[];
}

export interface FreeSpacePlan {
  readonly filesystems: readonly FilesystemPurge[];
  /** Directories whose free space could not be read: their sections' minfree is not planned. */
  readonly messages: readonly MessageLine[];
}

/** Everything the purge does on one run, for `-d` and `--json`. */
export interface PurgePlan {
  readonly sections: readonly {
    readonly section: Section;
    /** Set for norename sections: their own work, in the section's turn. */
    readonly noRename: NoRenamePlan | null;
    /** maxage under purgealways, and maxtotalsize: after the section's work. */
    readonly budgets: readonly Removal[];
  }[];
  /** minfree, across sections: after every section's work and budgets. */
  readonly freeSpace: FreeSpacePlan;
}
