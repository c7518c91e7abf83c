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

/** Results by key (an instant, a year); emptied when full, which bounds it in
 * long-running modes. */
class Memo<T> {
  private readonly table = new Map<number, T>();

  constructor(private readonly compute: (key: number) => T) {}

  get(key: number): T {
    let value = this.table.get(key);
    if (value === undefined) {
      if (this.table.size >= MEMO_LIMIT) this.table.clear();
      value = this.compute(key);
      this.table.set(key, value);
    }
    return value;
  }
}

interface YearOffsets {
  readonly standard: number;
  readonly summer: number;
}

/**
 * Local-calendar results for one time zone, remembered per instant. Local-time Date
 * calls are slow, and a big config asks for the same few instants (now, this hour, the
 * run's state stamps) thousands of times.
 */
export class Zone {
  private readonly years = new Memo<YearOffsets>((year) => {
    const january = utcOffsetMinutes(new Date(year, 0, 1).getTime());
    const july = utcOffsetMinutes(new Date(year, 6, 1).getTime());
    return { standard: Math.min(january, july), summer: Math.max(january, july) };
  });

  private readonly times = new Memo<LocalTime>((ms) => {
    const d = new Date(ms);
    return {
      year: d.getFullYear(),
      month: d.getMonth(),
      day: d.getDate(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      second: d.getSeconds(),
      weekday: d.getDay(),
      isDst: -d.getTimezoneOffset() > this.years.get(d.getFullYear()).standard,
    };
  });

  private readonly hourStarts = new Memo<number>((ms) => {
    const t = this.localTime(ms);
    return this.mktime({ ...t, minute: 0, second: 0 }, t.isDst);
  });

  private readonly midnights = new Memo<number>((ms) => {
    const t = this.localTime(ms);
    return this.mktime({ ...t, hour: 0, minute: 0, second: 0 }, t.isDst);
  });

  private readonly stamps = new Memo<string>((ms) => {
    const t = this.localTime(ms);
    return `${t.year}-${pad2(t.month + 1)}-${pad2(t.day)} ${pad2(t.hour)}:${pad2(t.minute)}`;
  });

  localTime(ms: number): LocalTime {
    return this.times.get(ms);
  }

  /**
   * mktime(3) with a tm_isdst hint. glibc reads the fields with the offset the hint asks
   * for even when the zone is on the other offset at that moment, so logrotate's
   * "midnight of today" taken with today's DST flag can land an hour off on a transition
   * day; the decisions depend on that. `null` is tm_isdst = -1: let the zone decide.
   */
  mktime(fields: LocalFields, dstHint: boolean | null): number {
    const { year, month, day, hour, minute, second } = fields;
    if (dstHint === null) return new Date(year, month, day, hour, minute, second).getTime();
    const offsets = this.years.get(new Date(year, month, day).getFullYear());
    const offset = dstHint ? offsets.summer : offsets.standard;
    const asUtc = new Date(0);
    asUtc.setUTCFullYear(year, month, day);
    asUtc.setUTCHours(hour, minute, second, 0);
    return asUtc.getTime() - offset * 60_000;
  }

  /** The state time of a log seen for the first time: this hour, minutes and seconds zero. */
  startOfHour(nowMs: number): number {
    return this.hourStarts.get(nowMs);
  }

  /** Whole days between the local midnights of two instants, as logrotate's weekly and
   * `monthly N` rules count them (each midnight taken with its own instant's DST flag). */
  daysElapsed(nowMs: number, lastMs: number): number {
    return Math.trunc(Math.trunc((this.midnights.get(nowMs) - this.midnights.get(lastMs)) / 1000) / 86_400);
  }

  /** `YYYY-MM-DD HH:MM`, as logrotate prints state times. */
  minuteStamp(ms: number): string {
    return this.stamps.get(ms);
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

let current: { readonly tz: string | undefined; readonly zone: Zone } | undefined;

/** The calendar of the current TZ. Tests change TZ within one process, and reading it is
 * not free, so callers that need several dates take the zone once. */
export function zone(): Zone {
  const tz = process.env['TZ'];
  if (current === undefined || current.tz !== tz) current = { tz, zone: new Zone() };
  return current.zone;
}

/** Forgets the remembered local times, so that a long-running process keeps none of a
 * run's instants after it: the next run starts a fresh zone. */
export function forgetLocalTimes(): void {
  current = undefined;
}

export function localTime(ms: number): LocalTime {
  return zone().localTime(ms);
}

/** UTC offset in minutes east of Greenwich at instant `ms`. */
export function utcOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

export function mktime(fields: LocalFields, dstHint: boolean | null): number {
  return zone().mktime(fields, dstHint);
}

export function isLastDayOfMonth(t: LocalFields): boolean {
  return new Date(t.year, t.month, t.day + 1, 12).getMonth() !== new Date(t.year, t.month, t.day, 12).getMonth();
}

/** Whole days from `mtimeMs` to `nowMs`, counted in whole seconds as logrotate's maxage does. */
export function ageInDays(nowMs: number, mtimeMs: number): number {
  return Math.trunc((wholeSeconds(nowMs) - wholeSeconds(mtimeMs)) / 86_400);
}

/** Whole seconds, as time(2) gives them. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The instant a dateext suffix describes: dateyesterday takes yesterday at 12 (minutes
 * and seconds of now, to dodge DST), datehourago one hour back. */
export function dateInstant(nowMs: number, yesterday: boolean, hourAgo: boolean): number {
  let ms = nowMs;
  if (yesterday) {
    const t = localTime(ms);
    ms = mktime({ ...t, day: t.day - 1, hour: 12 }, t.isDst);
  }
  if (hourAgo) {
    const t = localTime(ms);
    ms = mktime({ ...t, hour: t.hour - 1 }, t.isDst);
  }
  return ms;
}
