// A RunOutcome from what a run reports (RunResult): each log's verdict and error, and the
// figures its effects kept as they went (bytes compressed, files removed and why, uploads)
// — what really happened, not what was planned: a removal kept back for its archive or a
// compression that failed counts nothing.
import type { TallyFigures } from '../exec/tally.js';
import type { RemoveReason } from '../plan/model.js';
import type { RunResult } from '../run/result.js';
import type { ArchiveOutcome, LogOutcome, RemovalReason, RemovedFile, RunOutcome } from './model.js';

export interface FinishedRun {
  /** Undefined when the run threw before producing a result. */
  readonly result: RunResult | undefined;
  readonly exitCode: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** False for runs limited to a few logs (watch triggers). */
  readonly complete: boolean;
}

export function outcomeOfRun(run: FinishedRun): RunOutcome {
  const logs = (run.result?.logs ?? []).map((report): LogOutcome => {
    if (report.error !== undefined) return { path: report.path, result: 'failed', error: report.error };
    return { path: report.path, result: report.verdict.kind === 'rotate' ? 'rotated' : 'skipped' };
  });
  const figures = run.result?.figures;
  const archive = figures === undefined ? undefined : archiveOutcome(figures);
  return {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    success: run.exitCode === 0,
    logs,
    complete: run.complete && covered(run.result),
    compressedBytes: figures?.compressedBytes ?? 0,
    removed: (figures?.removed ?? []).flatMap(({ path, reason }): RemovedFile[] => {
      const counted = removalReason(reason);
      return counted === null ? [] : [{ path, reason: counted }];
    }),
    ...(archive === undefined ? {} : { archive }),
  };
}

/** Whether the run saw the whole configuration: not when it threw or found the state
 * locked (no plan), nor when the configuration or state had errors (a config file that
 * could not be read would otherwise look like every log leaving it). */
function covered(result: RunResult | undefined): boolean {
  return result?.plan !== undefined && !result.diagnostics.some((d) => d.severity === 'error');
}

/** Undefined when the run touched no archive (the archive metrics stay as they were). */
function archiveOutcome(figures: TallyFigures): ArchiveOutcome | undefined {
  const { archived, archiveFailed, archiveBacklog } = figures;
  if (archiveBacklog === null && archived.files === 0 && archiveFailed.files === 0) return undefined;
  return {
    archivedFiles: archived.files,
    archivedBytes: archived.bytes,
    failedFiles: archiveFailed.files,
    failedBytes: archiveFailed.bytes,
    queuedFiles: archiveBacklog?.files ?? 0,
    queuedBytes: archiveBacklog?.bytes ?? 0,
  };
}

function removalReason(reason: RemoveReason): RemovalReason | null {
  switch (reason) {
    case 'rotate-count':
    case 'rotate-0':
      return 'rotate';
    case 'maxage':
    case 'maxtotalsize':
    case 'minfree':
      return reason;
    // Compression's own input, renamecopy's temporary copy and a file the archive holds
    // (archivedelete) are not rotated files going away.
    case 'compressed':
    case 'renamecopy-tmp':
    case 'archived':
      return null;
  }
}
