// The result of one executor step. Failures carry logrotate's one-line error text
// (without the `error: ` prefix); the phase runner decides when to print it.

/** `nothing`: the step had nothing to act on (an old rotation that does not exist), or
 * did not act (a file kept back: `warning` says why). `notes`: what the step found out
 * that its announcement could not say (an archive's remote name). `problem`: an error
 * that fails the log (exit 1) but stops none of its later steps (an upload that failed:
 * the file stays, queued). */
export type Outcome =
  | { readonly ok: true; readonly nothing?: true; readonly notes?: readonly string[]; readonly warning?: string; readonly problem?: string }
  | { readonly ok: false; readonly error: string };

export const OK: Outcome = { ok: true };
export const NOTHING_TO_DO: Outcome = { ok: true, nothing: true };

export function failure(error: string): Outcome {
  return { ok: false, error };
}

/** The step failed, but what follows it may go on. */
export function setBack(problem: string): Outcome {
  return { ok: true, nothing: true, problem };
}

/** The step was not done on purpose: a file kept back. */
export function keptBack(warning: string): Outcome {
  return { ok: true, nothing: true, warning };
}
