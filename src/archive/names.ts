// The name a rotated file gets on the archive side: an `archivename` template filled from
// facts fixed when the log was rotated. Pure.
//
// Names must be unique and stable. Unique: the template must hold the host, the log and
// the rotation's instant. Stable: a numbered rotation is renamed locally on every run
// (app.log.1.gz becomes app.log.2.gz), so no variable may depend on where the file is
// now; `{file}` is the name the rotation got when it was made.
import { posix } from 'node:path';
import type { Parsed } from './target.js';

export type Variable = 'host' | 'path' | 'dir' | 'log' | 'file' | 'stamp' | 'ext' | 'year' | 'month' | 'day' | 'hour';

const VARIABLES: readonly Variable[] = ['host', 'path', 'dir', 'log', 'file', 'stamp', 'ext', 'year', 'month', 'day', 'hour'];

export type TemplatePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'var'; readonly name: Variable };

export interface NameTemplate {
  /** As written in `archivename`. */
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

/** `web01/var/log/nginx/access.log-20261202T031500Z.gz`: the host's tree of logs, each
 * log's rotations side by side in time order. */
export const DEFAULT_ARCHIVE_NAME = '{host}/{path}-{stamp}{ext}';

/** DEFAULT_ARCHIVE_NAME parsed (a test checks that it is what the parser makes of it). */
export const DEFAULT_NAME_TEMPLATE: NameTemplate = {
  source: DEFAULT_ARCHIVE_NAME,
  parts: [
    { kind: 'var', name: 'host' },
    { kind: 'text', text: '/' },
    { kind: 'var', name: 'path' },
    { kind: 'text', text: '-' },
    { kind: 'var', name: 'stamp' },
    { kind: 'var', name: 'ext' },
  ],
};

/** What is known about a rotation when it is made; none of it changes afterwards. */
export interface RotationFacts {
  /** This machine's name (hostname(2) unless the caller gives another). */
  readonly host: string;
  /** The log's absolute path. */
  readonly log: string;
  /** The rotated file's path as the rotation named it (before any compression). */
  readonly file: string;
  /** The rotation's instant: the run's clock reading when the log was rotated. */
  readonly rotatedAt: Date;
  /** 0; n for the n-th further rotation of the same log within the same UTC second. The
   * journal knows the names it has already given; this is how they stay apart. */
  readonly serial: number;
  /** The compression extension of the file that is archived (`.gz`), or ''. */
  readonly ext: string;
}

const LITERAL = /^[A-Za-z0-9._=+@,/-]*$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** S3's limit on a key, in UTF-8 bytes; rsync and local names stay well within it too. */
const MAX_NAME_BYTES = 1024;

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** The template of `archivename`; the error says what to change. */
export function parseNameTemplate(source: string): Parsed<NameTemplate> {
  const result = parseParts(source);
  return result.ok ? result : fail(`bad archivename '${source}': ${result.error}`);
}

function parseParts(source: string): Parsed<NameTemplate> {
  const parts: TemplatePart[] = [];
  const pattern = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (const match of source.matchAll(pattern)) {
    const [, name, text, brace] = match;
    if (brace !== undefined) return fail(`unmatched '${brace}' (variables are written {host}, {path}, …)`);
    if (text !== undefined) {
      if (!LITERAL.test(text)) return fail(`'${text}' may only hold letters, digits, '/' and . _ = + @ , -`);
      parts.push({ kind: 'text', text });
      continue;
    }
    const variable = VARIABLES.find((v) => v === name);
    if (variable === undefined) return fail(`unknown variable {${name ?? ''}} (use ${VARIABLES.map((v) => `{${v}}`).join(' ')})`);
    parts.push({ kind: 'var', name: variable });
  }
  const literal = parts.map((p) => (p.kind === 'text' ? p.text : 'x')).join('');
  if (literal.startsWith('/') || literal.endsWith('/') || literal.includes('//') || /(^|\/)\.\.?(\/|$)/.test(literal)) {
    return fail("it must be a relative name without empty, '.' or '..' components");
  }
  const has = (v: Variable): boolean => parts.some((p) => p.kind === 'var' && p.name === v);
  const names = has('path') || (has('dir') && (has('log') || has('file')));
  if (!has('host') || !has('stamp') || !names) {
    return fail("it must contain {host}, {stamp} and the log's path ({path}, or {dir} with {log} or {file}), or two rotations could get the same name");
  }
  return { ok: true, value: { source, parts } };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The rotation's instant in UTC (`20261202T031500Z`): a local time repeats when the
 * clocks go back; `-n` follows for the n-th further rotation in the same second. */
export function rotationStamp(at: Date, serial: number): string {
  const date = `${at.getUTCFullYear()}${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}`;
  const time = `${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}`;
  return `${date}T${time}Z${serial > 0 ? `-${serial}` : ''}`;
}

/** A path without its leading `/`, `.`/`..` resolved, so it nests under the host. */
function relative(path: string): string {
  return posix.normalize(path).replace(/^\/+/, '').replace(/\/+$/, '');
}

function value(name: Variable, facts: RotationFacts): string {
  switch (name) {
    case 'host':
      return facts.host;
    case 'path':
      return relative(facts.log);
    case 'dir':
      return relative(posix.dirname(posix.normalize(facts.log)));
    case 'log':
      return posix.basename(facts.log);
    case 'file':
      return posix.basename(facts.file);
    case 'stamp':
      return rotationStamp(facts.rotatedAt, facts.serial);
    case 'ext':
      return facts.ext;
    case 'year':
      return String(facts.rotatedAt.getUTCFullYear());
    case 'month':
      return two(facts.rotatedAt.getUTCMonth() + 1);
    case 'day':
      return two(facts.rotatedAt.getUTCDate());
    case 'hour':
      return two(facts.rotatedAt.getUTCHours());
  }
}

/** The remote name of one rotation: `template` filled from `facts`. */
export function remoteName(template: NameTemplate, facts: RotationFacts): Parsed<string> {
  if (!HOST.test(facts.host)) return fail(`host name '${facts.host}' cannot be part of an archive name (letters, digits, '.', '_' and '-')`);
  if (facts.ext.includes('/')) return fail(`compression extension '${facts.ext}' cannot be part of an archive name`);
  if (!posix.isAbsolute(facts.log)) return fail(`log path '${facts.log}' is not absolute`);
  if (!Number.isInteger(facts.serial) || facts.serial < 0) return fail(`serial ${facts.serial} is not a count`);
  const filled = template.parts.map((part) => (part.kind === 'text' ? part.text : value(part.name, facts))).join('');
  // {dir} of a log in / is empty: its slashes fold together rather than make an empty component.
  const name = filled.replace(/\/{2,}/g, '/').replace(/^\//, '');
  if (/[\p{C}]/u.test(name)) return fail(`the name for ${facts.log} would hold control characters`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return fail(`the name for ${facts.log} would be longer than ${MAX_NAME_BYTES} bytes`);
  return { ok: true, value: name };
}
