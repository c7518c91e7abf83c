// logrotate's state file format (see docs/state.md): a header line, then one
// `"path" Y-M-D-h:m:s` line per log, times in local time without zero padding.
// Reading is lenient where logrotate is not: every bad line is reported and skipped,
// and the readable entries around it are kept instead of being lost.
import type { Diagnostic } from '../config/model.js';
import { splitWords } from '../config/words.js';

const STATE_HEADER = 'logrotate state -- version 2';
const ACCEPTED_HEADERS: ReadonlySet<string> = new Set(['logrotate state -- version 1', STATE_HEADER]);

/** logrotate reads lines into a 2·PATH_MAX+16 buffer with fgets(buf, size - 1): a line
 * (newline included) longer than this is cut, and it reports the line as too long. */
const MAX_LINE_BYTES = 2 * 4096 + 16 - 2;

export interface ParsedState {
  readonly entries: Map<string, Date>;
  readonly diagnostics: Diagnostic[];
}

/** Parse the text of a state file; `statePath` only names it in messages. */
export function parseState(text: string, statePath: string): ParsedState {
  const entries = new Map<string, Date>();
  const diagnostics: Diagnostic[] = [];
  if (text === '') return { entries, diagnostics };

  const lines = text.split('\n');
  // A final newline leaves an empty last element; anything else there is a cut line.
  const lastIsCut = lines[lines.length - 1] !== '';
  if (!lastIsCut) lines.pop();

  // No `location`: logrotate's messages already name the state file (and mostly the
  // line), and scripts grep them verbatim, so a `F:L` prefix must not be rendered.
  const report = (severity: Diagnostic['severity'], message: string): void => {
    diagnostics.push({ severity, text: message });
  };

  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const isCut = lastIsCut && index === lines.length - 1;
    if (Buffer.byteLength(line) + 1 > MAX_LINE_BYTES) {
      report('error', `line ${lineNo} too long in state file ${statePath}`);
      return;
    }
    if (index === 0) {
      if (ACCEPTED_HEADERS.has(line)) {
        if (isCut) report('warning', cutLineWarning(lineNo, statePath));
        return;
      }
      report('error', `bad top line in state file ${statePath}`);
      // The header may have been lost with the entry still intact: keep it if it reads.
      const entry = parseEntryLine(line, statePath);
      if (entry.kind === 'entry') entries.set(entry.path, entry.time);
      return;
    }
    const entry = parseEntryLine(line, statePath);
    switch (entry.kind) {
      case 'blank':
        return;
      case 'bad':
        report('error', entry.message(lineNo));
        return;
      case 'entry':
        entries.set(entry.path, entry.time);
        if (isCut) report('warning', cutLineWarning(lineNo, statePath));
        return;
    }
  });
  return { entries, diagnostics };
}

function cutLineWarning(lineNo: number, statePath: string): string {
  return `line ${lineNo} has no trailing newline in state file ${statePath} (kept, as it is complete)`;
}

type EntryLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'bad'; readonly message: (lineNo: number) => string }
  | { readonly kind: 'entry'; readonly path: string; readonly time: Date };

/** Accepted ranges, checked in this order, as logrotate does (1900 is a year some
 * old versions wrote by mistake). */
const FIELD_CHECKS: readonly { readonly name: string; readonly ok: (v: number) => boolean }[] = [
  { name: 'year', ok: (v) => v === 1900 || (v >= 1970 && v <= 2100) },
  { name: 'month', ok: (v) => v >= 1 && v <= 12 },
  { name: 'day', ok: (v) => v >= 0 && v <= 31 },
  { name: 'hour', ok: (v) => v >= 0 && v <= 23 },
  { name: 'minute', ok: (v) => v >= 0 && v <= 59 },
  { name: 'second', ok: (v) => v >= 0 && v <= 59 },
];

function parseEntryLine(line: string, statePath: string): EntryLine {
  if (line === '') return { kind: 'blank' };
  if (line.includes('\0')) {
    return { kind: 'bad', message: (n) => `line ${n} not parsable in state file ${statePath}` };
  }
  const badLine: EntryLine = { kind: 'bad', message: (n) => `bad line ${n} in state file ${statePath}` };
  const words = splitWords(line);
  if (words === null || words.length !== 2) return badLine;
  const [rawPath, stamp] = words as [string, string];
  const fields = scanTimestamp(stamp);
  if (fields.length < 3) return badLine;
  const values = [0, 1, 2, 3, 4, 5].map((i) => fields[i] ?? 0);
  for (const [i, check] of FIELD_CHECKS.entries()) {
    const value = values[i] ?? 0;
    if (!check.ok(value)) {
      return {
        kind: 'bad',
        message: () => `bad ${check.name} ${value} for file ${rawPath} in state file ${statePath}`,
      };
    }
  }
  const [year, month, day, hour, minute, second] = values as [number, number, number, number, number, number];
  // Day 0 and other overflows normalise like mktime(3): day 0 is the month's eve.
  const time = new Date(year, month - 1, day, hour, minute, second);
  return { kind: 'entry', path: unescapePath(rawPath), time };
}

/** `\n` becomes a newline and `\\` a backslash; any other backslash stays. */
function unescapePath(raw: string): string {
  return raw.replace(/\\([n\\])/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** The integers of `Y-M-D-h:m:s` as sscanf("%d-%d-%d-%d:%d:%d") reads them: each
 * number may have leading blanks and a sign, the separators must match exactly, and
 * scanning stops at the first mismatch (trailing text is ignored). */
function scanTimestamp(stamp: string): number[] {
  const separators = ['-', '-', '-', ':', ':'];
  const fields: number[] = [];
  let pos = 0;
  for (;;) {
    const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(stamp.slice(pos));
    if (match === null || match[1] === undefined) return fields;
    fields.push(Number.parseInt(match[1], 10));
    pos += match[0].length;
    const separator = separators[fields.length - 1];
    if (separator === undefined || stamp[pos] !== separator) return fields;
    pos += 1;
  }
}

/** A path as logrotate writes it: quoted, with `"` and `\` escaped and newlines as `\n`. */
export function quotePath(path: string): string {
  return `"${path.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\n')}"`;
}

/** Local time as `Y-M-D-h:m:s`, no zero padding. */
export function formatStateTime(time: Date): string {
  return (
    `${time.getFullYear()}-${time.getMonth() + 1}-${time.getDate()}` +
    `-${time.getHours()}:${time.getMinutes()}:${time.getSeconds()}`
  );
}

/** The whole file, version 2 header, entries sorted by path so that output is stable. */
export function serializeState(entries: ReadonlyMap<string, Date>): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = sorted.map(([path, time]) => `${quotePath(path)} ${formatStateTime(time)}\n`);
  return `${STATE_HEADER}\n${lines.join('')}`;
}
