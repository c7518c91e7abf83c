// `status` in words: sizes as `7.2M`, spans as `3 h`, the rule that rotates a log next
// and the verdict now. Pure; `now` and the calendar are given.
import type { LogOptions } from '../config/model.js';
import { zone } from '../plan/calendar.js';
import type { LogDecision } from '../plan/model.js';
import type { NotDueReason, Outlook, Standing } from '../plan/outlook.js';

const UNITS = ['K', 'M', 'G', 'T', 'P'];

/** Sizes in logrotate's units (powers of 1024): `512B`, `7.2M`, `12M`. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 9.95 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown}${UNITS[unit] ?? ''}`;
}

/** A span of time in one unit: `40 s`, `12 min`, `3 h`, `5 d`. */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** `YYYY-MM-DD HH:MM` in local time, as logrotate prints state times. */
export function stamp(date: Date): string {
  return zone().minuteStamp(date.getTime());
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function ruleName(options: LogOptions): string {
  const c = options.criterion;
  switch (c.kind) {
    case 'size':
      return `size ${humanSize(c.bytes)}`;
    case 'minutes':
      return `every ${c.minutes} min`;
    case 'weekly':
      return c.weekday === 7 ? 'weekly (every 7 days)' : `weekly (${WEEKDAYS[c.weekday] ?? c.weekday})`;
    case 'monthly':
      return c.day === 0 ? 'monthly' : `monthly (day ${c.day})`;
    case 'hourly':
    case 'daily':
    case 'yearly':
      return c.kind;
  }
}

/** What makes the log rotate next, and when: `daily: next after 2026-12-03 00:00`,
 * `size 10M: 7.2M now`, with the size and age conditions that also apply. */
export function nextText(options: LogOptions, outlook: Outlook, size: number | null, now: Date): string {
  const at = outlook.timeRuleMetAt;
  const rule = ruleName(options);
  const when =
    options.criterion.kind === 'size' ? (size === null ? '' : `: ${humanSize(size)} now`)
    : at === null ? ''
    : at > now ? `: next after ${stamp(at)}`
    : `: since ${stamp(at)}`;
  const also = [
    ...(options.maxSize > 0 ? [`or when over ${humanSize(options.maxSize)} (maxsize)`] : []),
    ...(options.minSize > 0 ? [`once at least ${humanSize(options.minSize)} (minsize)`] : []),
    ...(options.minAge > 0 ? [`once older than ${options.minAge} d (minage)`] : []),
  ];
  return [rule + when, ...also].join(', ');
}

/** The verdict now: `due: size 12M > 10M`, `not due: rotated 3 h ago`, `refused: …`, `missing …`. */
export function standingText(standing: Standing, options: LogOptions, decision: LogDecision, now: Date): string {
  switch (standing.kind) {
    case 'due':
      return `due: ${dueText(standing.why, options, decision, now)}`;
    case 'not-due':
      return `not due: ${standing.reasons.map((reason) => notDueText(reason, options, decision, now)).join('; ')}`;
    case 'refused':
      return `refused: ${refusedText(standing)}`;
    case 'missing': {
      const what = standing.path === decision.path ? 'missing' : `missing: directory ${standing.path} does not exist`;
      return `${what} (${standing.missingOk ? 'missingok' : 'no missingok'})`;
    }
    case 'error':
      return `error: ${standing.message}`;
  }
}

function dueText(why: Extract<Standing, { kind: 'due' }>['why'], options: LogOptions, decision: LogDecision, now: Date): string {
  const size = decision.stat?.size ?? 0;
  switch (why) {
    case 'size': {
      const bytes = options.criterion.kind === 'size' ? options.criterion.bytes : 0;
      return `size ${humanSize(size)} ${size > bytes ? '>' : '>='} ${humanSize(bytes)}`;
    }
    case 'maxsize':
      return `size ${humanSize(size)} > maxsize ${humanSize(options.maxSize)}`;
    case 'time':
      return `${ruleName(options)}, ${rotatedAgo(decision, now)}`;
    case 'future':
      return `the state file's last rotation, ${stamp(decision.lastRotated)}, is in the future`;
    case 'force':
      return 'forced';
    case 'norename':
      return 'norename: finished files to compress or remove';
  }
}

function refusedText(standing: Extract<Standing, { kind: 'refused' }>): string {
  switch (standing.why) {
    case 'insecure-parent':
      return `parent directory ${standing.dir} is ${standing.writable}-writable`;
    case 'symlink':
      return 'symbolic link';
    case 'hardlink':
      return `${standing.links} hard links (no allowhardlink)`;
  }
}

function rotatedAgo(decision: LogDecision, now: Date): string {
  // A log the state file does not know is judged as if rotated at the start of this hour.
  if (decision.newStateEntry) return 'not in the state file yet';
  return `rotated ${span(now.getTime() - decision.lastRotated.getTime())} ago`;
}

function notDueText(reason: NotDueReason, options: LogOptions, decision: LogDecision, now: Date): string {
  const size = decision.stat?.size ?? 0;
  switch (reason) {
    case 'not-due':
    case 'already-rotated':
      return rotatedAgo(decision, now);
    case 'too-small':
      return `size ${humanSize(size)} < ${options.criterion.kind === 'size' ? humanSize(options.criterion.bytes) : '?'}`;
    case 'minsize':
      return `size ${humanSize(size)} < minsize ${humanSize(options.minSize)}`;
    case 'minage':
      return `modified ${span(now.getTime() - (decision.stat?.mtimeMs ?? now.getTime()))} ago, minage ${options.minAge} d`;
    case 'empty':
      return 'empty (notifempty)';
    case 'purge-only':
      return 'nothing to rotate';
  }
}
