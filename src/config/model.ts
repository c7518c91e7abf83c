// The config model: what a logrotate configuration means once parsed, includes
// resolved and globals merged. Everything downstream (planner, executor, CLI)
// reads these types and never the raw text.
import type { NameTemplate } from '../archive/names.js';
import type { ArchiveTarget } from '../archive/target.js';

/** Where a directive, section or error came from. `file` is the name as logrotate
 * prints it (a bare entry name for files read from an included directory). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

export type Severity = 'error' | 'warning' | 'debug';

/** A message produced while reading configuration or state. Errors are values
 * until the CLI renders them; `text` is the message without its `error: ` prefix. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly text: string;
  readonly location?: SourceLocation;
}

/** The rotation criterion. The last one given wins; with none given logrotate
 * rotates by size at 1 MiB. */
export type Criterion =
  | { readonly kind: 'size'; readonly bytes: number }
  | { readonly kind: 'minutes'; readonly minutes: number }
  | { readonly kind: 'hourly' }
  | { readonly kind: 'daily' }
  /** weekday 0 = Sunday … 6 = Saturday; 7 = every 7 days whatever the weekday. */
  | { readonly kind: 'weekly'; readonly weekday: number }
  /** day 0 = first run in a new month; 1–31 = that day of the month (main branch). */
  | { readonly kind: 'monthly'; readonly day: number }
  | { readonly kind: 'yearly' };

export type ScriptKind = 'firstaction' | 'prerotate' | 'postrotate' | 'lastaction' | 'preremove';

export interface Script {
  /** Verbatim text from right after the keyword up to the `endscript` line. */
  readonly text: string;
  readonly location: SourceLocation;
}

/** Owner/group/mode for `create` and `createolddir`; an absent field means
 * "take it from the old log" (create) or "leave it as mkdir made it". */
export interface FileAttributes {
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** `minfree`: free space the filesystem holding a section's rotations must keep
 * (logrotor extension, docs/budgets.md). */
export type FreeSpace =
  | { readonly kind: 'bytes'; readonly bytes: number }
  /** 1–99: that share of the filesystem's size. */
  | { readonly kind: 'percent'; readonly percent: number };

/** `signal SIGNAL PIDFILE` (logrotor extension): sent where postrotate runs. */
export interface PidSignal {
  /** As Node names it: SIGUSR1. */
  readonly signal: string;
  /** Absolute. */
  readonly pidFile: string;
}

export interface SuIdentity {
  readonly uid: number;
  readonly gid: number;
  readonly user: string;
  readonly group: string;
}

/** Effective options of one section (globals merged in). Sizes in bytes, ages in days;
 * 0 means "off" for minsize/maxsize/minage/maxage as in logrotate. */
export interface LogOptions {
  readonly criterion: Criterion;
  readonly minSize: number;
  readonly maxSize: number;
  readonly minAge: number;
  readonly maxAge: number;
  /** −1 keeps every rotation; 0 removes the rotated log right away. */
  readonly rotate: number;
  readonly start: number;

  readonly compress: boolean;
  readonly compressCmd: string;
  readonly uncompressCmd: string;
  readonly compressExt: string;
  /** null: no options were given, so none are passed to the compressor. */
  readonly compressOptions: readonly string[] | null;
  readonly delayCompress: boolean;

  readonly copy: boolean;
  readonly copyTruncate: boolean;
  readonly renameCopy: boolean;
  /** null: nocreate. */
  readonly create: FileAttributes | null;
  readonly createOldDir: FileAttributes | null;
  /** As written (may be relative to the log's directory); null: noolddir. */
  readonly oldDir: string | null;

  readonly dateExt: boolean;
  /** null: the default for the criterion (-%Y%m%d, hourly -%Y%m%d%H, minutes -%Y%m%d%H%M). */
  readonly dateFormat: string | null;
  readonly dateYesterday: boolean;
  readonly dateHourAgo: boolean;
  readonly extension: string | null;
  readonly addExtension: string | null;

  readonly ifEmpty: boolean;
  readonly missingOk: boolean;
  readonly mail: string | null;
  readonly mailFirst: boolean;
  readonly shred: boolean;
  readonly shredCycles: number;
  readonly allowHardlink: boolean;
  readonly sharedScripts: boolean;
  readonly ignoreDuplicates: boolean;
  readonly su: SuIdentity | null;
  readonly scripts: Readonly<Partial<Record<ScriptKind, Script>>>;

  /** logrotor extension `archive`: where final rotations are copied; null: noarchive. */
  readonly archive: ArchiveTarget | null;
  /** logrotor extension `archivename`: the remote name of each rotation. */
  readonly archiveName: NameTemplate;
  /** logrotor extension `archivedelete`: remove a rotation once its archive is verified. */
  readonly archiveDelete: boolean;

  // logrotor extensions (docs/budgets.md); the defaults leave logrotate's behaviour as is.
  /** Bytes the rotations of each log may add up to; 0: no budget. */
  readonly maxTotalSize: number;
  /** null: no free-space budget. */
  readonly minFree: FreeSpace | null;
  /** maxage applies on every run, not only when the log rotates. */
  readonly purgeAlways: boolean;
  /** The application rotates its logs itself; logrotor only compresses and removes. */
  readonly noRename: boolean;

  /** logrotor extension; null: none. */
  readonly signal: PidSignal | null;
}

/** One `files… { … }` block after glob expansion. */
export interface Section {
  /** The file list as written (main branch: trailing whitespace stripped); `$1` of shared scripts. */
  readonly pattern: string;
  /** Expanded, de-duplicated paths in glob order; literal words that matched nothing stay as written. */
  readonly files: readonly string[];
  /** For each of `files`, which word of `pattern` (0-based) it was matched by: norename
   * tells one application's files from another's by it. Absent: all from one word. */
  readonly fileWords?: readonly number[];
  readonly options: LogOptions;
  readonly location: SourceLocation;
}

export interface LoadedConfig {
  readonly sections: readonly Section[];
  readonly diagnostics: readonly Diagnostic[];
  /** True when any error makes logrotate exit 1 (a skipped section, a bad include, …). */
  readonly failed: boolean;
}
