// Our cron (src/daemon/cron.ts) against node-cron 4, which `logrotor daemon` used before
// and which stays a devDependency for this comparison only: random expressions over the
// accepted syntax, hand-picked edge cases, and start times around daylight saving changes.
import assert from 'node:assert/strict';
import cron from 'node-cron';
import { nextMatch, parseCron } from '../../src/daemon/cron.js';

interface NodeCronMatcher {
  getNextMatch(after: Date): Date;
}

/** node-cron's own next-match search: the TimeMatcher its tasks schedule with. */
export function nodeCronNext(expression: string): (after: Date) => Date | null {
  const task: unknown = cron.createTask(expression, () => {});
  const matcher = (task as { timeMatcher?: Partial<NodeCronMatcher> }).timeMatcher;
  if (typeof matcher?.getNextMatch !== 'function') throw new Error('node-cron tasks no longer hold a timeMatcher: update this test for the installed node-cron');
  const search = matcher.getNextMatch.bind(matcher);
  return (after) => {
    try {
      return search(after);
    } catch (error) {
      // It gives up after 100 years with this error; ours returns null.
      if (error instanceof Error && /Could not find next matching date/.test(error.message)) return null;
      throw error;
    }
  };
}

const MONTHS = ['jan', 'FEB', 'Mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'december'];
const WEEKDAYS = ['sun', 'MON', 'Tue', 'wed', 'thursday', 'fri', 'sat'];

/** A random expression node-cron and ours should both accept. */
export function randomExpression(next: () => number): string {
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const name = (n: number, lo: number, names: readonly string[] | null): string => (names !== null && next() < 0.3 ? (names[(n - lo) % names.length] as string) : String(n));
  const plain = (lo: number, hi: number, names: readonly string[] | null = null, top = hi): string => {
    const [a, b] = [int(lo, top), int(lo, top)];
    switch (int(0, 5)) {
      case 0:
        return '*';
      case 1:
        return `*/${int(1, hi - lo + 2)}`;
      case 2:
        return name(a, lo, names);
      case 3:
        return `${name(a, lo, names)}-${name(b, lo, names)}`;
      case 4:
        return `${a}-${b}/${int(1, 9)}`;
      default:
        return String(a);
    }
  };
  const list = (item: () => string): string => (next() < 0.7 ? item() : Array.from({ length: int(2, 3) }, item).join(','));
  const day = (): string => (next() < 0.75 ? plain(1, 31) : pick(['L', `L-${int(1, 30)}`, `${int(1, 31)}W`, 'LW', 'l', `${int(1, 31)}w`]));
  const weekday = (): string => (next() < 0.75 ? plain(0, 6, WEEKDAYS, 7) : pick([`${int(0, 7)}L`, `${int(0, 7)}#${int(1, 5)}`, `${pick(WEEKDAYS)}#${int(1, 5)}`, `${pick(WEEKDAYS)}l`]));
  const fields = [
    list(() => plain(0, 59)),
    list(() => plain(0, 23)),
    next() < 0.1 ? '?' : next() < 0.4 ? '*' : list(day),
    next() < 0.5 ? '*' : list(() => plain(1, 12, MONTHS)),
    next() < 0.1 ? '?' : next() < 0.4 ? '*' : list(weekday),
  ];
  return (next() < 0.4 ? [list(() => plain(0, 59)), ...fields] : fields).join(' ');
}

/** True when the local wall-clock time of `t` occurs twice (the hour repeated in autumn). */
export function repeatedWallTime(t: Date): boolean {
  const wall = (d: Date): string => `${d.getDate()} ${d.getHours()}:${d.getMinutes()}:${d.getSeconds()}`;
  return wall(new Date(t.getTime() - 3_600_000)) === wall(t) || wall(new Date(t.getTime() + 3_600_000)) === wall(t);
}

/** Compares the next match after each start; returns how many comparisons were skipped
 * because `skip` said so. */
export function compareNext(expression: string, starts: readonly Date[], skip: (start: Date, ours: Date | null, theirs: Date | null) => boolean = () => false): number {
  const parsed = parseCron(expression);
  assert.ok(parsed.ok, `ours rejects '${expression}': ${parsed.ok ? '' : `${parsed.field}: ${parsed.reason}`}`);
  const theirs = nodeCronNext(expression);
  let skipped = 0;
  for (const start of starts) {
    const a = nextMatch(parsed.spec, start);
    const b = theirs(start);
    if (skip(start, a, b)) skipped += 1;
    else assert.equal(a?.toISOString() ?? null, b?.toISOString() ?? null, `'${expression}' after ${start.toISOString()} (TZ=${process.env['TZ']})`);
  }
  return skipped;
}

/** Start times: a few random ones in 2024-2031 (with milliseconds), and each of `instants`
 * shifted by a second, a minute and an hour either way. */
export function startTimes(next: () => number, instants: readonly Date[], count: number): Date[] {
  const from = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2031, 0, 1) - from;
  const shifts = [-3_600_000, -60_000, -1000, -1, 0, 999, 60_000, 3_600_000];
  return [...Array.from({ length: count }, () => new Date(from + Math.floor(next() * span))), ...instants.flatMap((t) => shifts.map((s) => new Date(t.getTime() + s)))];
}

/** Hand-picked expressions both accept: each syntax form, nicknames, wrap-around ranges,
 * day rules, and rare days. */
export const EDGE_CASES = [
  '* * * * *', '* * * * * *', '0 * * * *', '*/2 * * * * *', '59 59 23 * * *', '0 0 0 1 1 *', '  0  0   *  * *  ',
  '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', ' @HOURLY ',
  '0 30 2 * * *', '0 0 2 * * *', '0 59 1 * * *', '30 * 2 * * *', '0 0,30 1-3 * * *', '0 */15 * * * *',
  '50-10 * * * *', '0 22-2 * * *', '0 0 25-5 * *', '0 0 1 11-2 *', '0 0 * * fri-mon', '0 0 * * 7', '0 0 * * 0-7', '0 0 * * 5-7', '0 0 * * 7-1', '0 0 * * 7-0', '0 0 * * 1-7/2',
  '0 0 * jan-mar,OCT *', '0 0 * * MON-fri', '0 0 * january,july monday', '0 0 ? * ?', '0 0 1 * ?', '0 0 ? * 1',
  '0 0 L * *', '0 0 l * *', '0 0 L-1 * *', '0 0 L-30 * *', '0 0 15W * *', '0 0 1W * *', '0 0 31W * *', '0 0 LW * *', '0 0 lw * *', '0 0 1,L * *', '0 0 L,15W,3 * *',
  '0 0 * * 5L', '0 0 * * 7L', '0 0 * * friL', '0 0 * * 1#1', '0 0 * * 1#5', '0 0 * * 7#2', '0 0 * * mon#2', '0 0 * * 1#1,5L,3',
  '0 0 29 2 *', '0 0 29 2 1', '0 0 13 * 5', '0 0 31 * *', '0 0 30 1-2 *', '0 0 L 2 *', '0 0 31W 2 *', '0 0 1 1 mon#5', '0 0 L-29 2 *',
  '05 01-03 */07 * *', '0 0 1-31/10 * *', '*/100 * * * * *', '0 0 * */3 *', '0 0 * * */2', '1,2,3,5,8,13,21,34,55 * * * * *',
];

/** Expressions node-cron rejected: ours must reject them too. */
export const INVALID = [
  '', ' ', 'every hour', '* * * *', '* * * * * * *', '@reboot', '@every 5m', '0\t0 * * *', '0 0 * * * extra words',
  '60 * * * *', '* 24 * * *', '* * 0 * *', '* * 32 * *', '* * * 0 *', '* * * 13 *', '* * * * 8', '60 * * * * *', '-1 * * * *',
  '5/15 * * * *', '*/0 * * * *', '0-59/0 * * * *', '*/ * * * *', '1-2-3 * * * *', '*-5 * * * *', '1,,2 * * * *', '1, * * * *', ',1 * * * *', '** * * * *',
  '0 0 30 2 *', '0 0 31 4,6,9,11 *', '0 0 30,31 feb *', '? * * * *', '* ? * * *', '* * * ? *', '* * 1,? * *',
  'L * * * *', '* L * * *', '* * * L *', '* * * * L', '* * L-0 * *', '* * L-31 * *', '* * L-100 * *', '* * 0W * *', '* * 32W * *', '* * W * *', '* * 1-5W * *', '* * 5L * *',
  '* * * * 8L', '* * * * 8#1', '* * * * 1#0', '* * * * 1#6', '* * * * 1#05', '* * * * 07L', '* * * * #1', '* * * * 1#', '* * 1#1 * *', '* * * 1#1 *',
  '* * * foo *', '* * * * funday', '* * * jan-foo *', '* * * * mon-', 'x * * * *', '0 0 * * 1.5', '0 0 * * +1', '0 0 @ * *', '0 0 1 jan mon tue',
];

/** What node-cron accepted by accident and we refuse: names glued together (it replaced
 * names anywhere in the field), a step after a name, out-of-range ends that its wrap-around
 * brought back into range. */
export const REFUSED_ON_PURPOSE = ['* * * janfeb *', '* * * */jan *', '61-0/60 * * * *', '* * * * sunmon'];

/** Whether our reason for refusing an expression node-cron accepted is one of those in
 * REFUSED_ON_PURPOSE: a `*` or a name glued to something, or a range end out of range. */
export function refusedOnPurpose(expression: string, reason: string): boolean {
  const glued = /^'([^']*)' is not a number/.exec(reason)?.[1];
  if (glued !== undefined) return /\d\*|[a-z]\d|\d[a-z]|[a-z]{3}[a-z]*[a-z]{3}|\*\/[a-z]/i.test(glued);
  const end = /^'(\d+)' is out of range/.exec(reason)?.[1];
  return end !== undefined && new RegExp(`(^|[ ,])${end}-|-${end}([ ,/]|$)`).test(expression);
}

/** `expression` with one or two characters inserted or deleted at random. */
export function mutate(expression: string, next: () => number): string {
  const chars = '0123456789*/-,#?LW ';
  let text = expression;
  for (let k = next() < 0.5 ? 1 : 2; k > 0; k--) {
    const at = Math.floor(next() * (text.length + 1));
    text = next() < 0.5 ? text.slice(0, at) + (chars[Math.floor(next() * chars.length)] ?? '') + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
  }
  return text;
}
