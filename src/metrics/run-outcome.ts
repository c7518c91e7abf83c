// A RunOutcome from what a run reports today (RunResult: each log's verdict and error,
// and the plan it carried out). Until the run reports the steps it did, a rotation that
// went through is taken to have done its planned removals, and compressed bytes are
// the sizes of its compressed files after the run (one removed again in the same run,
// as with `rotate 0`, counts nothing). Pure: sizes are looked up through `sizeOf`.
import type { Action, LogRotation } from '../plan/model.js';
import type { RunResult } from '../run/result.js';
import type { LogOutcome, RemovalReason, RemovedFile, RunOutcome } from './model.js';

export interface FinishedRun {
  /** Undefined when the run threw before producing a result. */
  readonly result: RunResult | undefined;
  readonly exitCode: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** False for runs limited to a few logs (watch triggers). */
  readonly complete: boolean;
}

export function outcomeOfRun(run: FinishedRun, sizeOf: (path: string) => number | null): RunOutcome {
  const reports = run.result?.logs ?? [];
  const logs = reports.map((report): LogOutcome => {
    if (report.error !== undefined) return { path: report.path, result: 'failed', error: report.error };
    return { path: report.path, result: report.verdict.kind === 'rotate' ? 'rotated' : 'skipped' };
  });
  const rotated = new Set(logs.filter((log) => log.result === 'rotated').map((log) => log.path));
  const steps = (run.result?.plan?.sections ?? [])
    .flatMap((section) => section.rotations)
    .filter((rotation) => rotated.has(rotation.log))
    .flatMap(stepsOf);
  let compressedBytes = 0;
  const removed: RemovedFile[] = [];
  for (const step of steps) {
    if (step.kind === 'compress') compressedBytes += sizeOf(step.to) ?? 0;
    if (step.kind !== 'remove') continue;
    const reason = removalReason(step.reason);
    if (reason !== null) removed.push({ path: step.path, reason });
  }
  return {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    success: run.exitCode === 0,
    logs,
    complete: run.complete && covered(run.result),
    compressedBytes,
    removed,
  };
}

/** Whether the run saw the whole configuration: not when it threw or found the state
 * locked (no plan), nor when the configuration or state had errors (a config file that
 * could not be read would otherwise look like every log leaving it). */
function covered(result: RunResult | undefined): boolean {
  return result?.plan !== undefined && !result.diagnostics.some((d) => d.severity === 'error');
}

function stepsOf(rotation: LogRotation): Action[] {
  return [...rotation.prepare, ...rotation.rotate, ...rotation.finish];
}

function removalReason(reason: Extract<Action, { kind: 'remove' }>['reason']): RemovalReason | null {
  switch (reason) {
    case 'rotate-count':
    case 'rotate-0':
      return 'rotate';
    case 'maxage':
    case 'maxtotalsize':
    case 'minfree':
      return reason;
    // Compression's own input and renamecopy's temporary copy are not rotated files going away.
    case 'compressed':
    case 'renamecopy-tmp':
      return null;
  }
}
