// Which entries survive a state write. logrotate forgets a log only when this run's
// config no longer names it and it has not been rotated for a solar year, so that
// state for logs that come and go (or configs that are briefly disabled) is kept.
import type { Diagnostic } from '../config/model.js';

/** One solar year, the age logrotate uses (not a calendar year). */
export const SECONDS_IN_YEAR = 31556926;

export function retainEntries(
  entries: ReadonlyMap<string, Date>,
  used: ReadonlySet<string>,
  now: Date,
): { kept: Map<string, Date>; diagnostics: Diagnostic[] } {
  const kept = new Map<string, Date>();
  const diagnostics: Diagnostic[] = [];
  // Whole seconds on both sides, as in the file, so a sub-second `now` cannot tip it.
  const nowSeconds = Math.floor(now.getTime() / 1000);
  for (const [path, time] of entries) {
    const age = nowSeconds - Math.floor(time.getTime() / 1000);
    if (!used.has(path) && age > SECONDS_IN_YEAR) {
      diagnostics.push({
        severity: 'debug',
        text: `Removing ${path} from state file, because it does not exist and has not been rotated for one year`,
      });
    } else {
      kept.set(path, time);
    }
  }
  return { kept, diagnostics };
}
