// Local-calendar arithmetic the way glibc's mktime/localtime do it for logrotate. The
// time zone is the process's (TZ), like localtime(3); nothing else is read.

/** A broken-down local time (struct tm without the derived fields). */
export interface LocalFields {
  readonly year: number;
  /** 0–11 */
  readonly month: number;
  /** Day of month; out-of-range values normalize like mktime (0 = last day of previous month). */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export interface LocalTime extends LocalFields {
  /** 0 = Sunday */
  readonly weekday: number;
  readonly isDst: boolean;
}

const MEMO_LIMIT = 4096;

/**
 * Remembers `compute` per key (an instant, a year) for the current time zone. Local-time
 * Date calls are slow, and a big config asks for the same few instants (now, this hour,
 * the run's state stamps) thousands of times. Tests change TZ within one process, so a
 * table is emptied when TZ differs from the one its entries were computed under; it is
 * also emptied when full, which bounds it in long-running modes.
 */
export function perZone<T>(compute: (key: number) => T): (key: number) => T {
  const table = new Map<number, T>();
  let zone: string | undefined;
  return (key) => {
    const current = process.env['TZ'];
    if (current !== zone || table.size >= MEMO_LIMIT) {
      table.clear();
      zone = current;
    }
    let value = table.get(key);
    if (value === undefined) {
      value = compute(key);
      table.set(key, value);
    }
    return value;
  };
}

export const localTime: (ms: number) => LocalTime = perZone((ms) => {
  const d = new Date(ms);
  return {
    year: d.getFullYear(),
    month: d.getMonth(),
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    weekday: d.getDay(),
    isDst: -d.getTimezoneOffset() > offsetsOfYear(d.getFullYear()).standard,
  };
});

/** UTC offset in minutes east of Greenwich at instant `ms`. */
export function utcOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

interface YearOffsets {
  readonly standard: number;
  readonly summer: number;
}

const offsetsOfYear: (year: number) => YearOffsets = perZone((year) => {
  const january = utcOffsetMinutes(new Date(year, 0, 1).getTime());
  const july = utcOffsetMinutes(new Date(year, 6, 1).getTime());
  return { standard: Math.min(january, july), summer: Math.max(january, july) };
});

/**
 * mktime(3) with a tm_isdst hint. glibc reads the fields with the offset the hint asks
 * for even when the zone is on the other offset at that moment, so logrotate's "midnight
 * of today" taken with today's DST flag can land an hour off on a transition day; the
 * decisions depend on that. `null` is tm_isdst = -1: let the zone decide.
 */
export function mktime(fields: LocalFields, dstHint: boolean | null): number {
  const { year, month, day, hour, minute, second } = fields;
  if (dstHint === null) return new Date(year, month, day, hour, minute, second).getTime();
  const offsets = offsetsOfYear(new Date(year, month, day).getFullYear());
  const offset = dstHint ? offsets.summer : offsets.standard;
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(year, month, day);
  asUtc.setUTCHours(hour, minute, second, 0);
  return asUtc.getTime() - offset * 60_000;
}

/** Whole days between the local midnights of two instants, as logrotate's weekly and
 * `monthly N` rules count them (each midnight taken with its own instant's DST flag). */
export function daysElapsed(nowMs: number, lastMs: number): number {
  return Math.trunc(Math.trunc((localMidnight(nowMs) - localMidnight(lastMs)) / 1000) / 86_400);
}

const localMidnight: (ms: number) => number = perZone((ms) => {
  const t = localTime(ms);
  return mktime({ ...t, hour: 0, minute: 0, second: 0 }, t.isDst);
});

export function isLastDayOfMonth(t: LocalFields): boolean {
  return new Date(t.year, t.month, t.day + 1, 12).getMonth() !== new Date(t.year, t.month, t.day, 12).getMonth();
}

/** The state time of a log seen for the first time: this hour, minutes and seconds zero. */
export const startOfHour: (nowMs: number) => number = perZone((nowMs) => {
  const t = localTime(nowMs);
  return mktime({ ...t, minute: 0, second: 0 }, t.isDst);
});

/** Whole seconds, as time(2) gives them. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
