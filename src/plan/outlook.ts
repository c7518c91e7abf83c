// Where a log stands, for `logrotor status`: the planner's own decision for `now`
// (decide.ts, never a second set of rules), sorted into what a person asks about —
// due, not due and why, refused, missing — and the first instant its time criterion is
// met, found by asking the same rule about the instants where it can change.
// Pure: the state, the file facts and `now` are given.
import type { Criterion, LogOptions } from '../config/model.js';
import { wholeSeconds, zone, type Zone } from './calendar.js';
import { decide, insecureParent, timeRuleMet, type DecisionContext } from './decide.js';
import type { LogDecision, SkipReason, Verdict } from './model.js';
import { dirname } from './paths.js';

export type OutlookContext = Omit<DecisionContext, 'force'>;

/** Why a log present on disk is not due: the planner's reasons, in its order. */
export type NotDueReason = Exclude<SkipReason, 'missing' | 'symlink' | 'hardlink'>;

export type Standing =
  | { readonly kind: 'due'; readonly why: Extract<Verdict, { kind: 'rotate' }>['why'] }
  | { readonly kind: 'not-due'; readonly reasons: readonly NotDueReason[] }
  /** Running as root without `su`, logrotate will not rotate in a directory others can write to. */
  | { readonly kind: 'refused'; readonly why: 'insecure-parent'; readonly dir: string; readonly writable: 'world' | 'group' }
  | { readonly kind: 'refused'; readonly why: 'symlink' }
  | { readonly kind: 'refused'; readonly why: 'hardlink'; readonly links: number }
  /** `path` is the log, or its directory when that is what is missing. */
  | { readonly kind: 'missing'; readonly path: string; readonly missingOk: boolean }
  | { readonly kind: 'error'; readonly message: string };

export interface Outlook {
  readonly path: string;
  readonly decision: LogDecision;
  readonly standing: Standing;
  /** A run now reports an error for this log (and exits 1). */
  readonly failsNow: boolean;
  /** When the time criterion is next met, judged from the state time the next run uses
   * (this hour for a log the state file does not know yet); in the past when it is met
   * already. Null for `size` logs. */
  readonly timeRuleMetAt: Date | null;
}

export function outlook(path: string, options: LogOptions, ctx: OutlookContext): Outlook {
  const decision = decide(path, options, { ...ctx, force: false });
  const at = nextTimeRule(options, decision.lastRotated.getTime(), zone());
  return {
    path,
    decision,
    standing: standing(decision, options, ctx),
    failsNow: decision.verdict.kind === 'error',
    timeRuleMetAt: at === null ? null : new Date(at),
  };
}

function standing(decision: LogDecision, options: LogOptions, ctx: OutlookContext): Standing {
  const verdict = decision.verdict;
  switch (verdict.kind) {
    case 'rotate':
      return { kind: 'due', why: verdict.why };
    case 'error':
      return failure(decision.path, options, ctx, verdict.message);
    case 'skip':
      switch (verdict.why) {
        case 'missing':
          return { kind: 'missing', path: decision.parentMissing === true ? dirname(decision.path) : decision.path, missingOk: true };
        case 'symlink':
          return { kind: 'refused', why: 'symlink' };
        case 'hardlink':
          return { kind: 'refused', why: 'hardlink', links: decision.stat?.nlink ?? 0 };
        case 'not-due':
        case 'already-rotated':
        case 'too-small':
        case 'minsize':
        case 'minage':
        case 'empty':
        case 'purge-only':
          return { kind: 'not-due', reasons: (decision.reasons ?? [verdict.why]).filter(isNotDueReason) };
      }
  }
}

function isNotDueReason(reason: SkipReason): reason is NotDueReason {
  return reason !== 'missing' && reason !== 'symlink' && reason !== 'hardlink';
}

/** The planner's error says it in logrotate's words; the facts it was drawn from (the
 * same views, looked at in the same order) say which kind of trouble it is. */
function failure(path: string, options: LogOptions, ctx: OutlookContext, message: string): Standing {
  if (ctx.isRoot && options.su === null) {
    const dir = dirname(path);
    const fact = ctx.fs.stat ? ctx.fs.stat(dir) : ctx.fs.lstat(dir);
    if (fact.kind === 'absent') return { kind: 'missing', path: dir, missingOk: false };
    const writable = fact.kind === 'present' ? insecureParent(fact) : null;
    if (writable !== null) return { kind: 'refused', why: 'insecure-parent', dir, writable };
  }
  if (ctx.fs.lstat(path).kind === 'absent') return { kind: 'missing', path, missingOk: false };
  return { kind: 'error', message };
}

/** Results by zone, criterion and state time: a state file holds few distinct times
 * (a run stamps every log it rotates with the same `now`). Emptied when full. */
const remembered = new WeakMap<Zone, Map<string, number | null>>();
const MEMO_LIMIT = 4096;

function nextTimeRule(options: LogOptions, lastMs: number, calendar: Zone): number | null {
  const criterion = options.criterion;
  if (criterion.kind === 'size') return null;
  let memo = remembered.get(calendar);
  if (memo === undefined) remembered.set(calendar, (memo = new Map()));
  const key = `${JSON.stringify(criterion)}@${lastMs}`;
  let at = memo.get(key);
  if (at === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    const then = calendar.localTime(lastMs);
    at = candidates(criterion, lastMs, calendar).find((ms) => timeRuleMet(options, calendar.localTime(ms), then, ms, lastMs, calendar)) ?? null;
    memo.set(key, at);
  }
  return at;
}

/** The instants after `lastMs` at which the time rule can turn from unmet to met, in
 * order: the rules compare local dates, hours or elapsed whole minutes. */
function candidates(criterion: Exclude<Criterion, { kind: 'size' }>, lastMs: number, calendar: Zone): number[] {
  const t = calendar.localTime(lastMs);
  const midnight = (year: number, month: number, day: number): number =>
    calendar.mktime({ year, month, day, hour: 0, minute: 0, second: 0 }, null);
  const range = (n: number, at: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => at(i + 1));
  switch (criterion.kind) {
    case 'minutes':
      return [(wholeSeconds(lastMs) + (criterion.minutes + 1) * 60) * 1000];
    // Three, not one: the next local hour may not exist on a DST change.
    case 'hourly':
      return range(3, (i) => calendar.mktime({ ...t, hour: t.hour + i, minute: 0, second: 0 }, null));
    case 'daily':
      return range(2, (i) => midnight(t.year, t.month, t.day + i));
    case 'weekly':
      return range(8, (i) => midnight(t.year, t.month, t.day + i));
    case 'monthly':
      return criterion.day === 0 ? range(2, (i) => midnight(t.year, t.month + i, 1)) : range(32, (i) => midnight(t.year, t.month, t.day + i));
    case 'yearly':
      return range(2, (i) => midnight(t.year + i, 0, 1));
  }
}
