// dateext names: logrotate's translation of `dateformat` into a strftime format plus a
// glob that finds earlier rotations, the strftime itself, and the strptime that sorts
// those rotations by date. Unknown specifiers stay literal (`%X` in name and glob).
import type { Criterion } from '../config/model.js';
import { localTime, mktime, utcOffsetMinutes, type LocalFields } from './calendar.js';

type Part = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'spec'; readonly spec: string };

export interface DateFormat {
  readonly parts: readonly Part[];
  /** The glob (logrotate's notation) matching any suffix this format produces. */
  readonly globPattern: string;
  /** What strftime is given: the criterion's default, or `dateformat` after escaping. */
  readonly strftimeFormat: string;
  /** `dateformat` was given: shown as `Converted 'A' -> 'B'`, and rotations are then
   * sorted by the date parsed from their names rather than by name. */
  readonly custom: boolean;
}

const DIGITS: Readonly<Record<string, number>> = {
  Y: 4, G: 4, y: 2, g: 2, m: 2, d: 2, H: 2, M: 2, S: 2, V: 2, U: 2, W: 2, j: 3, u: 1, w: 1, s: 10,
};
const ZONE_GLOB = '[-+][0-9][0-9][0-9][0-9]';
// logrotate builds both strings in 128-byte buffers and gives up before overflowing them.
const BUFFER = 128;
const SUFFIX_LIMIT = 64;

function specGlob(spec: string): string | undefined {
  if (spec === 'z') return ZONE_GLOB;
  const n = DIGITS[spec];
  return n === undefined ? undefined : '[0-9]'.repeat(n);
}

function defaultFormat(criterion: Criterion): string {
  if (criterion.kind === 'hourly') return '-%Y%m%d%H';
  if (criterion.kind === 'minutes') return '-%Y%m%d%H%M';
  return '-%Y%m%d';
}

/** Translate `dateformat` (or the criterion's default); an error text when it is too long. */
export function compileDateFormat(format: string | null, criterion: Criterion): DateFormat | string {
  const custom = format !== null;
  const source = custom ? format.replace(/^ +/, '') : defaultFormat(criterion);
  const parts: Part[] = [];
  let glob = '';
  let converted = '';
  const literal = (text: string): void => {
    parts.push({ kind: 'literal', text });
    glob += text;
  };
  for (let i = 0; i < source.length; i++) {
    if (custom && (glob.length >= BUFFER - 1 || converted.length >= BUFFER - 2)) return `Date format ${format} is too long`;
    const c = source[i] as string;
    const next = source[i + 1] ?? '';
    const pattern = c === '%' ? specGlob(next) : undefined;
    if (pattern !== undefined) {
      glob += pattern;
      if (custom && glob.length >= BUFFER - 1) return `Date format ${format} is too long`;
      parts.push({ kind: 'spec', spec: next });
      converted += c + next;
      i++;
    } else if (c === '%') {
      // Escaped to `%%`; the character after it is then read as ordinary text.
      literal('%');
      converted += '%%';
    } else {
      literal(c);
      converted += c;
    }
  }
  return { parts, globPattern: glob, strftimeFormat: converted, custom };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** strftime of the compiled format at instant `ms` (C locale); an error text when the
 * result does not fit logrotate's 64-byte buffer. */
export function formatSuffix(format: DateFormat, ms: number): string | { readonly error: string } {
  const t = localTime(ms);
  const text = format.parts.map((p) => (p.kind === 'literal' ? p.text : renderSpec(p.spec, t, ms))).join('');
  if (text.length === 0 || Buffer.byteLength(text) >= SUFFIX_LIMIT) {
    return { error: `failed to apply date format '${format.strftimeFormat}'` };
  }
  return text;
}

function dayOfYear(t: LocalFields): number {
  return Math.round((Date.UTC(t.year, t.month, t.day) - Date.UTC(t.year, 0, 1)) / 86_400_000);
}

/** ISO 8601 week-based year and week number. */
function isoWeek(t: LocalFields & { readonly weekday: number }): { year: number; week: number } {
  const isoDay = (t.weekday + 6) % 7; // Monday = 0
  const thursday = new Date(Date.UTC(t.year, t.month, t.day - isoDay + 3));
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return { year, week };
}

function renderSpec(spec: string, t: ReturnType<typeof localTime>, ms: number): string {
  const yday = dayOfYear(t);
  switch (spec) {
    case 'Y': return String(t.year);
    case 'y': return pad(t.year % 100, 2);
    case 'G': return String(isoWeek(t).year);
    case 'g': return pad(isoWeek(t).year % 100, 2);
    case 'm': return pad(t.month + 1, 2);
    case 'd': return pad(t.day, 2);
    case 'H': return pad(t.hour, 2);
    case 'M': return pad(t.minute, 2);
    case 'S': return pad(t.second, 2);
    case 'V': return pad(isoWeek(t).week, 2);
    case 'U': return pad(Math.floor((yday + 7 - t.weekday) / 7), 2);
    case 'W': return pad(Math.floor((yday + 7 - ((t.weekday + 6) % 7)) / 7), 2);
    case 'u': return String(t.weekday === 0 ? 7 : t.weekday);
    case 'w': return String(t.weekday);
    case 'j': return pad(yday + 1, 3);
    case 's': return String(Math.floor(ms / 1000));
    case 'z': {
      const off = utcOffsetMinutes(ms);
      const abs = Math.abs(off);
      return `${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
    }
    default: return `%${spec}`;
  }
}

/**
 * The sort key logrotate gives a dated rotation: strptime of the name's tail with the
 * converted format into a zeroed struct tm, then mktime. Parsing stops at the first
 * mismatch, keeping what was read (so unparsable names sort as 1899-12-31). Only the
 * fields mktime uses are kept; week and weekday numbers are read and ignored.
 */
export function dateSortKey(format: DateFormat, tail: string): number {
  const f = { year: 1900, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let pos = 0;
  const number = (spec: string): number | null => {
    const m = (spec === 's' ? /^ *(-?\d{1,20})/ : new RegExp(`^ *(\\d{1,${DIGITS[spec] ?? 2}})`)).exec(tail.slice(pos));
    if (m === null) return null;
    pos += m[0].length;
    return Number(m[1]);
  };
  for (const part of format.parts) {
    if (part.kind === 'literal') {
      if (/\s/.test(part.text)) {
        while (pos < tail.length && /\s/.test(tail[pos] as string)) pos++;
        continue;
      }
      if (tail[pos] !== part.text) break;
      pos++;
      continue;
    }
    if (part.spec === 'z') {
      const m = /^[-+]\d{4}/.exec(tail.slice(pos));
      if (m === null) break;
      pos += m[0].length;
      continue;
    }
    const n = number(part.spec);
    if (n === null) break;
    if (part.spec === 's') return n * 1000;
    if (part.spec === 'Y') f.year = n;
    else if (part.spec === 'y') f.year = n < 69 ? 2000 + n : 1900 + n;
    else if (part.spec === 'm') f.month = n - 1;
    else if (part.spec === 'd') f.day = n;
    else if (part.spec === 'H') f.hour = n;
    else if (part.spec === 'M') f.minute = n;
    else if (part.spec === 'S') f.second = n;
  }
  return mktime(f, false);
}
