// Whether one log rotates: logrotate's findNeedRotating, check for check and in its order.
import type { LogOptions } from '../config/model.js';
import { strerror } from '../strerror.js';
import { isLastDayOfMonth, wholeSeconds, zone, type LocalTime, type Zone } from './calendar.js';
import type { FsView, LogDecision, PathFact, SkipReason, Verdict } from './model.js';
import { dirname } from './paths.js';

export interface DecisionContext {
  readonly state: ReadonlyMap<string, Date>;
  readonly fs: FsView;
  readonly now: Date;
  readonly force: boolean;
  readonly isRoot: boolean;
}

type Present = Extract<PathFact, { kind: 'present' }>;

const DAY = 86_400;
// "25 hours allows for DST changes as well as geographical moves" (logrotate).
const FUTURE_SLACK = 25 * 3600;

export function errorText(fact: Exclude<PathFact, { kind: 'present' }>): string {
  if (fact.kind === 'absent') return 'No such file or directory';
  return strerror(Object.assign(new Error(fact.message), { code: fact.code }));
}

export type ParentCheck = { readonly kind: 'ok' | 'missing' } | { readonly kind: 'error'; readonly message: string };

// Shared results: this runs once per log of every section.
const PARENT_OK: ParentCheck = { kind: 'ok' };
const PARENT_MISSING: ParentCheck = { kind: 'missing' };

/** As root and without `su`, a log's parent directory must not be writable by others;
 * 'missing': it is absent and the section says missingok. */
export function checkParent(path: string, options: LogOptions, ctx: Pick<DecisionContext, 'fs' | 'isRoot'>): ParentCheck {
  if (!ctx.isRoot || options.su !== null) return PARENT_OK;
  const dir = dirname(path);
  const fact = ctx.fs.stat ? ctx.fs.stat(dir) : ctx.fs.lstat(dir);
  if (fact.kind !== 'present') {
    if (fact.kind === 'absent' && options.missingOk) return PARENT_MISSING;
    return { kind: 'error', message: `stat of ${dir} failed: ${errorText(fact)}` };
  }
  if (insecureParent(fact) !== null) {
    return {
      kind: 'error',
      message:
        `skipping "${path}" because parent directory has insecure permissions` +
        ` (It's world writable or writable by group which is not "root")` +
        ` Set "su" directive in config file to tell logrotate which user/group` +
        ` should be used for rotation.`,
    };
  }
  return PARENT_OK;
}

export function decide(path: string, options: LogOptions, ctx: DecisionContext): LogDecision {
  const known = ctx.state.get(path);
  const calendar = zone();
  const lastRotated = known ?? new Date(calendar.startOfHour(ctx.now.getTime()));
  const newStateEntry = known === undefined;
  // Literals rather than spreads of a shared base: this runs once per log, and V8 builds
  // spread objects much more slowly.
  const error = (message: string): LogDecision => ({
    path,
    lastRotated,
    newStateEntry,
    verdict: { kind: 'error', message },
    reasons: [],
    future: false,
    parentMissing: false,
  });
  const skipped = (why: SkipReason, extra: { stat?: Present; parentMissing?: boolean } = {}): LogDecision => ({
    path,
    lastRotated,
    newStateEntry,
    verdict: { kind: 'skip', why },
    reasons: [],
    future: false,
    parentMissing: false,
    ...extra,
  });

  const parent = checkParent(path, options, ctx);
  if (parent.kind === 'missing') return skipped('missing', { parentMissing: true });
  if (parent.kind === 'error') return error(parent.message);

  const fact = ctx.fs.lstat(path);
  if (fact.kind !== 'present') {
    if (fact.kind === 'absent' && options.missingOk) return skipped('missing');
    return error(`stat of ${path} failed: ${errorText(fact)}`);
  }
  if (fact.type === 'symlink') return skipped('symlink', { stat: fact });
  if (!options.allowHardlink && fact.nlink !== 1) return skipped('hardlink', { stat: fact });

  const judged = judge(fact, lastRotated, options, ctx, calendar);
  const emptyBlocks = judged.rotate && !options.ifEmpty && fact.size === 0;
  const verdict: Verdict = emptyBlocks
    ? { kind: 'skip', why: 'empty' }
    : judged.rotate
      ? { kind: 'rotate', why: judged.why }
      : { kind: 'skip', why: judged.reasons[0] ?? 'not-due' };
  return {
    path,
    lastRotated,
    newStateEntry,
    verdict,
    reasons: emptyBlocks ? ['empty'] : judged.rotate ? [] : judged.reasons,
    stat: fact,
    future: judged.rotate && judged.why === 'future',
    parentMissing: false,
  };
}

/** Why logrotate refuses a log in this directory when running as root without `su`:
 * others may write to it (world), or a group other than root may (group). */
export function insecureParent(fact: Present): 'world' | 'group' | null {
  if ((fact.mode & 0o002) !== 0) return 'world';
  if (fact.gid !== 0 && (fact.mode & 0o020) !== 0) return 'group';
  return null;
}

type Judgement =
  | { readonly rotate: true; readonly why: Extract<Verdict, { kind: 'rotate' }>['why'] }
  | { readonly rotate: false; readonly reasons: readonly SkipReason[] };

function judge(fact: Present, last: Date, options: LogOptions, ctx: DecisionContext, calendar: Zone): Judgement {
  if (ctx.force) return { rotate: true, why: 'force' };
  if (options.maxSize > 0 && fact.size > options.maxSize) return { rotate: true, why: 'maxsize' };
  const criterion = options.criterion;
  if (criterion.kind === 'size') {
    return fact.size >= criterion.bytes ? { rotate: true, why: 'size' } : { rotate: false, reasons: ['too-small'] };
  }
  const nowSec = wholeSeconds(ctx.now.getTime());
  const lastSec = wholeSeconds(last.getTime());
  if (lastSec - nowSec > FUTURE_SLACK) return { rotate: true, why: 'future' };
  const now = calendar.localTime(ctx.now.getTime());
  const then = calendar.localTime(last.getTime());
  // main also compares the minute, so a second run in the same hour reaches the rules.
  const sameMinute =
    now.year === then.year && now.month === then.month && now.day === then.day && now.hour === then.hour && now.minute === then.minute;
  if (sameMinute) return { rotate: false, reasons: ['already-rotated'] };

  const reasons: SkipReason[] = [];
  if (!timeRuleMet(options, now, then, ctx.now.getTime(), last.getTime(), calendar)) reasons.push('not-due');
  if (options.minSize > 0 && fact.size < options.minSize) reasons.push('minsize');
  if (options.minAge > 0 && options.minAge * DAY >= nowSec - wholeSeconds(fact.mtimeMs)) reasons.push('minage');
  return reasons.length === 0 ? { rotate: true, why: 'time' } : { rotate: false, reasons };
}

/** The time criterion alone (not minsize, minage or the same-minute rule): whether a log
 * last rotated at `then` is due at `now`. `status` asks it about future instants. */
export function timeRuleMet(options: LogOptions, now: LocalTime, then: LocalTime, nowMs: number, lastMs: number, calendar: Zone): boolean {
  const criterion = options.criterion;
  const sameDate = now.year === then.year && now.month === then.month && now.day === then.day;
  switch (criterion.kind) {
    case 'hourly':
      return !sameDate || now.hour !== then.hour;
    case 'daily':
      return !sameDate;
    case 'weekly': {
      const days = calendar.daysElapsed(nowMs, lastMs);
      return days >= 7 || (days >= 1 && now.weekday === criterion.weekday);
    }
    case 'monthly': {
      if (criterion.day === 0) return now.month !== then.month || now.year !== then.year;
      const days = calendar.daysElapsed(nowMs, lastMs);
      return days >= 31 || (days >= 1 && (now.day === criterion.day || isLastDayOfMonth(now)));
    }
    case 'yearly':
      return now.year !== then.year;
    case 'minutes':
      return Math.trunc((wholeSeconds(nowMs) - wholeSeconds(lastMs)) / 60) > criterion.minutes;
    case 'size':
      return false;
  }
}
