// What happened to one log in a run: the executor writes it, the run collects it, the
// CLI (`--json`), the daemon (one line per action) and watch mode read it.
import type { Verdict } from '../plan/model.js';

export interface LogReport {
  readonly path: string;
  readonly pattern: string;
  readonly verdict: Verdict;
  /** Human-readable steps actually done (or, with -d, that would be done). */
  readonly actions: readonly string[];
  readonly error?: string;
}
