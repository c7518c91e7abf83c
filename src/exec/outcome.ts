// The result of one executor step. Failures carry logrotate's one-line error text
// (without the `error: ` prefix); the phase runner decides when to print it.

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

export const OK: Outcome = { ok: true };

export function failure(error: string): Outcome {
  return { ok: false, error };
}
