// The metrics as data: what one run reports (RunOutcome), what is kept across runs and
// restarts (Counters, in `<statefile>.metrics.json`) and what is exposed (a snapshot of
// both plus the logs' current facts). Rendering and storage live beside this file.
import type { RotationsOnDisk } from '../plan/rotated-names.js';

/** Why a rotated file was deleted: `rotate` (beyond the count, or `rotate 0`), `maxage`,
 * and the space rules `maxtotalsize` and `minfree`. */
export type RemovalReason = 'rotate' | 'maxage' | 'maxtotalsize' | 'minfree';

export const REMOVAL_REASONS: readonly RemovalReason[] = ['rotate', 'maxage', 'maxtotalsize', 'minfree'];

/** What one run did, as the metrics count it. The run (src/run.ts) hands this over
 * once it has finished, failed runs included. */
export interface RunOutcome {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The run's exit status was 0. */
  readonly success: boolean;
  /** Every log the run considered, with what became of it. */
  readonly logs: readonly LogOutcome[];
  /** The run considered every log of the configuration (not a watch trigger's few): the
   * stored figures of logs it did not consider belong to logs no longer configured. */
  readonly complete: boolean;
  /** Bytes of the compressed files this run wrote. */
  readonly compressedBytes: number;
  /** Each rotated file this run deleted (not compression's own removal of its input). */
  readonly removed: readonly RemovedFile[];
  /** The run's uploads and what waits after it; absent when it touched no archive. */
  readonly archive?: ArchiveOutcome;
}

export type LogOutcome =
  /** Rotated, and every step of its rotation succeeded. */
  | { readonly path: string; readonly result: 'rotated' }
  /** Something failed for this log (a step, a script, a refusal); `error` is the message. */
  | { readonly path: string; readonly result: 'failed'; readonly error: string }
  | { readonly path: string; readonly result: 'skipped' };

export interface RemovedFile {
  readonly path: string;
  readonly reason: RemovalReason;
}

/** One run's archive work, and what is left queued after it. */
export interface ArchiveOutcome {
  readonly archivedFiles: number;
  readonly archivedBytes: number;
  readonly failedFiles: number;
  readonly failedBytes: number;
  readonly queuedFiles: number;
  readonly queuedBytes: number;
}

export interface RunTimes {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly success: boolean;
}

export interface LogCounters {
  readonly rotations: number;
  readonly failures: number;
  readonly lastRotatedAt: Date | null;
  readonly lastFailure: { readonly at: Date; readonly error: string } | null;
}

/** Kept across runs and restarts. Counters only grow (until the file is deleted). */
export interface Counters {
  readonly lastRun: RunTimes | null;
  readonly lastSuccessAt: Date | null;
  readonly runs: { readonly succeeded: number; readonly failed: number };
  readonly compressedBytes: number;
  readonly removedFiles: Readonly<Record<RemovalReason, number>>;
  /** Null until a run reported archive work. The queue figures are the last run's. */
  readonly archive: ArchiveOutcome | null;
  readonly logs: ReadonlyMap<string, LogCounters>;
}

export const NO_COUNTERS: Counters = {
  lastRun: null,
  lastSuccessAt: null,
  runs: { succeeded: 0, failed: 0 },
  compressedBytes: 0,
  removedFiles: { rotate: 0, maxage: 0, maxtotalsize: 0, minfree: 0 },
  archive: null,
  logs: new Map(),
};

/** A managed log as it is now: its size (null when it is missing), its rotations on disk
 * and the state file's time for it (null when the state file has none). */
export interface LogFacts {
  readonly size: number | null;
  readonly rotations: RotationsOnDisk;
  readonly lastRotation: Date | null;
}

export interface MetricsSnapshot {
  readonly counters: Counters;
  /** The logs the configuration manages, by path. */
  readonly logs: ReadonlyMap<string, LogFacts>;
}
