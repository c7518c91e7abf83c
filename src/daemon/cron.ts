// Cron expressions for `logrotor daemon --schedule`: the syntax node-cron 4 accepted, read
// into a spec, and the next matching second in the process's local time zone. Pure: the
// caller says from when to search. Only Date's local getters and setters are used, never
// Intl, whose formatting maps megabytes of ICU locale data into an otherwise idle daemon.

/** Day-of-month tokens beyond plain days. */
export type DayOfMonthRule =
  /** `L` (before 0) or `L-n`: n days before the month's last day. */
  | { readonly kind: 'last'; readonly before: number }
  /** `nW` or `LW`: the weekday (Monday to Friday) nearest that day, within its month. */
  | { readonly kind: 'nearest-weekday'; readonly day: number | 'last' };

/** Day-of-week tokens beyond plain weekdays (0 = Sunday). */
export type DayOfWeekRule =
  /** `dL`: the month's last such weekday. */
  | { readonly kind: 'last'; readonly weekday: number }
  /** `d#k`: the month's k-th such weekday. */
  | { readonly kind: 'nth'; readonly weekday: number; readonly nth: number };

export interface CronSpec {
  /** Ascending, as the search walks them in order. */
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** 1 = January. */
  readonly months: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly dayRules: readonly DayOfMonthRule[];
  /** 0 = Sunday (7 is read as 0). */
  readonly weekdays: ReadonlySet<number>;
  readonly weekdayRules: readonly DayOfWeekRule[];
}

export type CronParse =
  | { readonly ok: true; readonly spec: CronSpec }
  | { readonly ok: false; readonly field: string; readonly reason: string };

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Field {
  readonly label: string;
  readonly min: number;
  /** The largest value a range wraps at (`22-2` in hours is 22, 23, 0, 1, 2). */
  readonly max: number;
  /** The largest value that may be written (7 for Sunday in day of week). */
  readonly writable: number;
  /** Names of min, min + 1, … (three letters, then in full). */
  readonly names: readonly (readonly string[])[];
  /** What else the field takes, for the message about a token it does not. */
  readonly extra: string;
}

const field = (label: string, min: number, max: number, more: Partial<Field> = {}): Field => ({ label, min, max, writable: max, names: [], extra: '', ...more });
const SECOND = field('second', 0, 59);
const MINUTE = field('minute', 0, 59);
const HOUR = field('hour', 0, 23);
const DAY = field('day of month', 1, 31, { extra: ', L, L-n, nW or LW' });
const MONTH = field('month', 1, 12, { names: [MONTHS, MONTH_NAMES], extra: ' (or jan-dec)' });
const WEEKDAY = field('day of week', 0, 6, { writable: 7, names: [WEEKDAYS, WEEKDAY_NAMES], extra: ' (or sun-sat), nL or n#k' });

class FieldError {
  constructor(
    readonly field: Field,
    readonly reason: string,
  ) {}
}

/** Reads `expression`: 5 fields, or 6 with seconds first, or a nickname such as `@daily`. */
export function parseCron(expression: string): CronParse {
  // Fields are separated by spaces only (a tab was an illegal character to node-cron).
  const text = NICKNAMES[expression.trim().toLowerCase()] ?? expression.replace(/^ +| +$/g, '');
  const fields = text === '' ? [] : text.split(/ +/);
  if (fields.length !== 5 && fields.length !== 6) return { ok: false, field: 'expression', reason: `expected 5 or 6 fields (seconds first), got ${fields.length}` };
  const [second, minute, hour, day, month, weekday] = (fields.length === 5 ? ['0', ...fields] : fields) as [string, string, string, string, string, string];
  try {
    const days = dayOfMonth(day);
    const spec: CronSpec = {
      seconds: sorted(plain(second, SECOND)),
      minutes: sorted(plain(minute, MINUTE)),
      hours: sorted(plain(hour, HOUR)),
      months: new Set(plain(month, MONTH)),
      days: new Set(days.plain),
      dayRules: days.rules,
      ...dayOfWeek(weekday),
    };
    const impossible = impossibleDays(spec);
    return impossible === null ? { ok: true, spec } : { ok: false, field: DAY.label, reason: `${impossible} in month ${month}` };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, field: error.field.label, reason: error.reason };
    throw error;
  }
}

const sorted = (values: number[]): number[] => [...new Set(values)].sort((a, b) => a - b);

/** The items of a comma list, each given to `read`. */
function items<T>(text: string, f: Field, read: (item: string) => T[]): T[] {
  return text.split(',').flatMap((item) => {
    if (item === '') throw new FieldError(f, `empty list item in '${text}'`);
    return read(item);
  });
}

/** `*`, `n`, `a-b`, `*\/s`, `a-b/s` (a > b wraps around), and lists of them. */
function plain(text: string, f: Field): number[] {
  return items(text, f, (item) => range(item, f));
}

function range(item: string, f: Field): number[] {
  const match = /^(?:(\*)|([^-/]+)(?:-([^-/]+))?)(?:\/(\d+))?$/.exec(item);
  if (match === null) throw new FieldError(f, `'${item}' is not a number, a range a-b or a step */s or a-b/s${f.extra}`);
  const [, star, from, to, stepText] = match;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (step < 1) throw new FieldError(f, `'${item}': the step must be 1 or more`);
  if (star !== undefined) return walk(f.min, f.max, step, f);
  const first = value(from ?? '', item, f);
  if (to === undefined && stepText !== undefined) throw new FieldError(f, `'${item}': a step needs * or a range before it (*/${stepText} or ${first}-${f.max}/${stepText})`);
  return walk(first, to === undefined ? first : value(to, item, f), step, f);
}

/** from, from + step, … up to `to`, past `max` round to `min` when from > to. */
function walk(from: number, to: number, step: number, f: Field): number[] {
  const size = f.max - f.min + 1;
  const span = from <= to ? to - from : to - from + size;
  const values: number[] = [];
  for (let offset = 0; offset <= span; offset += step) {
    const v = from + offset;
    values.push(v > f.max ? v - size : v);
  }
  return values;
}

function value(text: string, item: string, f: Field): number {
  const lower = text.toLowerCase();
  for (const names of f.names) {
    const index = names.indexOf(lower);
    if (index >= 0) return f.min + index;
  }
  if (!/^\d+$/.test(text)) throw new FieldError(f, `'${item}' is not a number, a range a-b or a step */s or a-b/s${f.extra}`);
  const n = Number(text);
  if (n < f.min || n > f.writable) throw new FieldError(f, `'${text}' is out of range ${f.min}-${f.writable}`);
  return n;
}

function dayOfMonth(text: string): { plain: number[]; rules: DayOfMonthRule[] } {
  if (text === '?') return { plain: walk(DAY.min, DAY.max, 1, DAY), rules: [] };
  const read = items(text, DAY, (item): (number | DayOfMonthRule)[] => {
    const upper = item.toUpperCase();
    if (upper === 'L') return [{ kind: 'last', before: 0 }];
    const before = /^L-(\d{1,2})$/.exec(upper);
    if (before !== null) {
      const n = Number(before[1]);
      if (n < 1 || n > 30) throw new FieldError(DAY, `'${item}': n in L-n must be 1-30`);
      return [{ kind: 'last', before: n }];
    }
    const nearest = /^(\d{1,2}|L)W$/.exec(upper);
    if (nearest !== null) return [{ kind: 'nearest-weekday', day: nearest[1] === 'L' ? 'last' : value(nearest[1] ?? '', item, DAY) }];
    return range(item, DAY);
  });
  return { plain: read.filter((x) => typeof x === 'number'), rules: read.filter((x) => typeof x !== 'number') };
}

function dayOfWeek(text: string): { weekdays: Set<number>; weekdayRules: DayOfWeekRule[] } {
  const read =
    text === '?'
      ? walk(WEEKDAY.min, WEEKDAY.max, 1, WEEKDAY)
      : items(text, WEEKDAY, (item): (number | DayOfWeekRule)[] => {
          const last = /^(.+)L$/i.exec(item);
          if (last !== null) return [{ kind: 'last', weekday: special(last[1] ?? '', item) }];
          const nth = /^(.+)#(\d+)$/.exec(item);
          if (nth === null) return range(item, WEEKDAY);
          const k = Number(nth[2]);
          if (nth[2]?.length !== 1 || k < 1 || k > 5) throw new FieldError(WEEKDAY, `'${item}': k in n#k must be 1-5`);
          return [{ kind: 'nth', weekday: special(nth[1] ?? '', item), nth: k }];
        });
  return { weekdays: new Set(read.filter((x) => typeof x === 'number').map((d) => d % 7)), weekdayRules: read.filter((x) => typeof x !== 'number') };
}

/** The weekday of `nL` and `n#k`: one digit 0-7 or a name. */
function special(text: string, item: string): number {
  if (/^\d{2,}$/.test(text)) throw new FieldError(WEEKDAY, `'${item}': the weekday is one digit 0-7 or a name`);
  return value(text, item, WEEKDAY) % 7;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** When plain days are all the day field holds and none occurs in the chosen months (30 in
 * February), the days written; null otherwise. */
function impossibleDays(spec: CronSpec): string | null {
  if (spec.dayRules.length > 0) return null;
  const days = [...spec.days];
  const possible = [...spec.months].some((m) => days.some((d) => d <= (MONTH_DAYS[m - 1] ?? 0)));
  return possible ? null : `day ${sorted(days).join(',')} never occurs`;
}

/** How far ahead `nextMatch` looks: the rarest days that do recur (29 February on a given
 * weekday) are up to 40 years apart, and node-cron looked 100 years ahead as well. */
export const SEARCH_YEARS = 100;

/**
 * The first whole second strictly after `after` that matches, in the local time zone, or
 * null when none does within SEARCH_YEARS.
 *
 * Day of month and day of week must both match (AND, as node-cron 4 did; Vixie cron ORs
 * them when both are restricted).
 *
 * Daylight saving time: a local time that does not exist (the hour skipped in spring) does
 * not fire, since the clock never shows it. A local time that occurs twice (the hour
 * repeated in autumn) fires once, at its first occurrence: as soon as the clock shows it;
 * the repeat shows a time already served. (`new Date(y, m, d, h, …)` gives the earlier of
 * the two instants and moves a missing time forward, which the read-back check sees.)
 * node-cron 4 also took the first occurrence west of Greenwich, but east of it the second.
 */
export function nextMatch(spec: CronSpec, after: Date): Date | null {
  const start = new Date((Math.floor(after.getTime() / 1000) + 1) * 1000);
  // Seconds of the first day before this wall-clock time are already past.
  let floor: number | null = start.getHours() * 3600 + start.getMinutes() * 60 + start.getSeconds();
  let [year, month, day] = [start.getFullYear(), start.getMonth() + 1, start.getDate()];
  const end = year + SEARCH_YEARS;
  while (year < end) {
    if (spec.months.has(month) && dayMatches(spec, year, month, day)) {
      const found = firstTimeOfDay(spec, year, month, day, floor, start.getTime());
      if (found !== null) return found;
    }
    floor = null;
    if (spec.months.has(month) && day < daysIn(year, month)) day += 1;
    else [year, month, day] = month === 12 ? [year + 1, 1, 1] : [year, month + 1, 1];
  }
  return null;
}

function firstTimeOfDay(spec: CronSpec, year: number, month: number, day: number, floor: number | null, startMs: number): Date | null {
  for (const hour of spec.hours) {
    if (floor !== null && hour * 3600 + 3599 < floor) continue;
    for (const minute of spec.minutes) {
      if (floor !== null && hour * 3600 + minute * 60 + 59 < floor) continue;
      for (const second of spec.seconds) {
        if (floor !== null && hour * 3600 + minute * 60 + second < floor) continue;
        const candidate = new Date(year, month - 1, day, hour, minute, second);
        const exists = candidate.getDate() === day && candidate.getHours() === hour && candidate.getMinutes() === minute;
        if (exists && candidate.getTime() >= startMs) return candidate;
      }
    }
  }
  return null;
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekdayOf = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

function dayMatches(spec: CronSpec, year: number, month: number, day: number): boolean {
  const last = daysIn(year, month);
  const weekday = weekdayOf(year, month, day);
  const dayOk = spec.days.has(day) || spec.dayRules.some((rule) => dayRuleMatches(rule, year, month, day, last));
  return dayOk && (spec.weekdays.has(weekday) || spec.weekdayRules.some((rule) => weekdayRuleMatches(rule, day, weekday, last)));
}

function dayRuleMatches(rule: DayOfMonthRule, year: number, month: number, day: number, last: number): boolean {
  switch (rule.kind) {
    case 'last':
      return day === last - rule.before;
    case 'nearest-weekday': {
      const target = rule.day === 'last' ? last : rule.day;
      if (target > last) return false;
      // Saturday moves to Friday and Sunday to Monday, unless that leaves the month.
      switch (weekdayOf(year, month, target)) {
        case 6:
          return day === (target === 1 ? 3 : target - 1);
        case 0:
          return day === (target === last ? target - 2 : target + 1);
        default:
          return day === target;
      }
    }
  }
}

function weekdayRuleMatches(rule: DayOfWeekRule, day: number, weekday: number, last: number): boolean {
  if (weekday !== rule.weekday) return false;
  switch (rule.kind) {
    case 'last':
      return day + 7 > last;
    case 'nth':
      return Math.ceil(day / 7) === rule.nth;
  }
}
