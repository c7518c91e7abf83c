// The result of one executor step. Failures carry logrotate's one-line error text
// (without the `error: ` prefix); the phase runner decides when to print it.

/** `nothing`: the step had nothing to act on (an old rotation that does not exist). */
export type Outcome = { readonly ok: true; readonly nothing?: true } | { readonly ok: false; readonly error: string };

export const OK: Outcome = { ok: true };
export const NOTHING_TO_DO: Outcome = { ok: true, nothing: true };

export function failure(error: string): Outcome {
  return { ok: false, error };
}
