// One `status` row per managed log, from the planner's outlook, the log's facts and its
// history. Pure.
import type { LogOptions, Section, SourceLocation } from '../config/model.js';
import type { LogFacts } from '../metrics/model.js';
import type { Outlook, Standing } from '../plan/outlook.js';
import type { RotationsOnDisk } from '../plan/rotated-names.js';
import type { LastFailure, LogHistory } from './history.js';
import { nextText, standingText } from './words.js';

export interface StatusRow {
  readonly log: string;
  readonly pattern: string;
  readonly config: SourceLocation;
  /** Null while the log is missing (or not a regular file). */
  readonly size: number | null;
  /** The state file's time; null when it has none. */
  readonly lastRotation: Date | null;
  readonly next: { readonly text: string; readonly timeRuleMetAt: Date | null };
  readonly verdict: Standing & { readonly text: string };
  readonly rotations: RotationsOnDisk;
  readonly lastFailure: (LastFailure & { readonly lastAttempt: boolean }) | null;
  /** A run now reports an error for this log. */
  readonly failsNow: boolean;
  /** False when a run now would fail for this log, or its last attempt failed. */
  readonly healthy: boolean;
}

export function statusRow(section: Section, outlook: Outlook, facts: LogFacts, history: LogHistory, now: Date): StatusRow {
  const options: LogOptions = section.options;
  const failure = history.lastFailure;
  return {
    log: outlook.path,
    pattern: section.pattern,
    config: section.location,
    size: facts.size,
    lastRotation: facts.lastRotation,
    next: { text: nextText(options, outlook, facts.size, now), timeRuleMetAt: outlook.timeRuleMetAt },
    verdict: { ...outlook.standing, text: standingText(outlook.standing, options, outlook.decision, now) },
    rotations: facts.rotations,
    lastFailure: failure === null ? null : { ...failure, lastAttempt: history.lastAttemptFailed },
    failsNow: outlook.failsNow,
    healthy: !outlook.failsNow && !history.lastAttemptFailed,
  };
}
