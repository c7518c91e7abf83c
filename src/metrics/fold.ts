// One run's outcome folded into the counters kept across runs. Pure.
import type { ArchiveOutcome, Counters, LogCounters, RemovalReason, RunOutcome } from './model.js';

const NEW_LOG: LogCounters = { rotations: 0, failures: 0, lastRotatedAt: null, lastFailure: null };

export function foldRun(counters: Counters, outcome: RunOutcome): Counters {
  const removedFiles: Record<RemovalReason, number> = { ...counters.removedFiles };
  for (const file of outcome.removed) removedFiles[file.reason] += 1;
  const at = outcome.finishedAt;
  return {
    lastRun: { startedAt: outcome.startedAt, finishedAt: at, success: outcome.success },
    lastSuccessAt: outcome.success ? at : counters.lastSuccessAt,
    runs: {
      succeeded: counters.runs.succeeded + (outcome.success ? 1 : 0),
      failed: counters.runs.failed + (outcome.success ? 0 : 1),
    },
    compressedBytes: counters.compressedBytes + outcome.compressedBytes,
    removedFiles,
    archive: foldArchive(counters.archive, outcome.archive),
    logs: foldLogs(counters.logs, outcome, at),
  };
}

function foldLogs(logs: ReadonlyMap<string, LogCounters>, outcome: RunOutcome, at: Date): Map<string, LogCounters> {
  const considered = new Set(outcome.logs.map((log) => log.path));
  // A complete run names every configured log: the others left the configuration (a
  // glob's old match, a removed section), and keeping them would grow the file forever.
  const next = new Map([...logs].filter(([path]) => !outcome.complete || considered.has(path)));
  for (const log of outcome.logs) {
    const known = next.get(log.path) ?? NEW_LOG;
    switch (log.result) {
      case 'rotated':
        next.set(log.path, { ...known, rotations: known.rotations + 1, lastRotatedAt: at });
        break;
      case 'failed':
        next.set(log.path, { ...known, failures: known.failures + 1, lastFailure: { at, error: log.error } });
        break;
      case 'skipped':
        // Stored only once something happened to it; its counters read as zero meanwhile.
        break;
    }
  }
  return next;
}

function foldArchive(known: ArchiveOutcome | null, run: ArchiveOutcome | undefined): ArchiveOutcome | null {
  if (run === undefined) return known;
  const base = known ?? { archivedFiles: 0, archivedBytes: 0, failedFiles: 0, failedBytes: 0, queuedFiles: 0, queuedBytes: 0 };
  return {
    archivedFiles: base.archivedFiles + run.archivedFiles,
    archivedBytes: base.archivedBytes + run.archivedBytes,
    failedFiles: base.failedFiles + run.failedFiles,
    failedBytes: base.failedBytes + run.failedBytes,
    // A gauge: what is waiting now.
    queuedFiles: run.queuedFiles,
    queuedBytes: run.queuedBytes,
  };
}
