// Every directive logrotate knows: how much text it takes and what it does to the
// options. Messages, argument rules and quirks follow logrotate's main branch.
import { posix } from 'node:path';
import type { Accounts } from './accounts.js';
import { resolveGroup, resolveUser } from './accounts.js';
import { scanWholeUnsigned, strtol, strtoull, toInt } from './cnumbers.js';
import type { FileAttributes, LogOptions } from './model.js';
import type { KeywordShape } from './statements.js';
import { splitWords } from './words.js';

/** A message that does not by itself fail the section. */
export interface Note {
  readonly severity: 'debug' | 'warning' | 'error';
  readonly text: string;
}

export type Effect =
  | { readonly kind: 'set'; readonly options: LogOptions; readonly notes: readonly Note[] }
  /** fatal: stops the file even inside a section; otherwise a section error (fatal in
   * global scope). `options` is what logrotate had already stored before failing. */
  | { readonly kind: 'error'; readonly text: string; readonly fatal: boolean; readonly options?: LogOptions }
  | { readonly kind: 'include'; readonly path: string; readonly notes: readonly Note[] }
  | { readonly kind: 'taboo'; readonly patterns: readonly string[]; readonly append: boolean };

export interface DirectiveInput {
  readonly keyword: string;
  /** null: the directive is a flag, or its argument is missing. */
  readonly value: string | null;
  readonly options: LogOptions;
  readonly accounts: Accounts;
  /** $HOME for `~/` in include and olddir. */
  readonly home: string;
}

export interface Directive {
  readonly shape: Exclude<KeywordShape, 'unknown'>;
  /** tabooext/taboopat: a section error inside a section. */
  readonly globalOnly?: boolean;
  apply(input: DirectiveInput): Effect;
}

const set = (options: LogOptions, ...notes: Note[]): Effect => ({ kind: 'set', options, notes });
const sectionError = (text: string, options?: LogOptions): Effect =>
  options === undefined ? { kind: 'error', text, fatal: false } : { kind: 'error', text, fatal: false, options };
const missing = (what: string): Note => ({ severity: 'error', text: `argument expected after ${what}` });

function flag(patch: Partial<LogOptions>): Directive {
  return { shape: 'flag', apply: ({ options }) => set({ ...options, ...patch }) };
}

/** A directive whose missing argument is a section error (logrotate's RAISE_ERROR). */
function required(what: string, parse: (value: string, input: DirectiveInput) => Effect): Directive {
  return {
    shape: 'value',
    apply: (input) => (input.value === null ? sectionError(missing(what).text) : parse(input.value, input)),
  };
}

/** A directive whose missing argument only prints a message. */
function optional(what: string, parse: (value: string, input: DirectiveInput) => Effect): Directive {
  return {
    shape: 'value',
    apply: (input) => (input.value === null ? set(input.options, missing(what)) : parse(input.value, input)),
  };
}

// The reader builds scripts itself (it has the text and the location); the table only
// says that these keywords start a script block.
const scriptDirective: Directive = { shape: 'script', apply: ({ options }) => set(options) };

// --- sizes and counts -------------------------------------------------------------

type Size = { ok: true; bytes: number } | { ok: false; text: string };

function parseSize(value: string): Size {
  const unit = value.at(-1) ?? '';
  const multipliers: Record<string, bigint> = { k: 1024n, K: 1024n, M: 1024n ** 2n, G: 1024n ** 3n };
  const multiplier = multipliers[unit];
  const number = multiplier === undefined ? value : value.slice(0, -1);
  if (multiplier === undefined && !/[0-9]/.test(unit)) return { ok: false, text: `unknown unit '${unit}'` };
  const n = strtoull(number);
  const bytes = BigInt.asIntN(64, n.value * (multiplier ?? 1n));
  if (n.rest.length > 0 || bytes < 0n) return { ok: false, text: `bad size '${number}'` };
  return { ok: true, bytes: Number(bytes) };
}

function sizeDirective(store: (options: LogOptions, bytes: number) => LogOptions, keyword: string): Directive {
  return optional(keyword, (value, { options }) => {
    const size = parseSize(value);
    return size.ok ? set(store(options, size.bytes)) : sectionError(size.text);
  });
}

/** Counts read with `(int)strtoul(…, 0)`: the whole value, not negative once cast. */
function countDirective(what: string, message: string, store: (options: LogOptions, n: number) => LogOptions, echoRest = false): Directive {
  return required(what, (value, { options }) => {
    const n = strtoull(value);
    const count = toInt(n.value);
    const stored = store(options, count);
    if (n.rest.length > 0 || count < 0) {
      // minage/maxage echo from the first character the number reader left.
      return sectionError(`${message} '${echoRest ? n.rest : value}'`, stored);
    }
    return set(stored);
  });
}

// --- create / createolddir / su arguments ---------------------------------------------

interface Owner {
  readonly mode?: string;
  readonly user?: string;
  readonly group?: string;
}

/** Splits up to three arguments, each a bare word or a '…'/"…" quoted one. */
function splitOwnerArgs(text: string, directive: string, isSu: boolean): Owner | string {
  const values: string[] = [];
  let p = 0;
  const space = /[ \t\n\v\f\r]/;
  while (p < text.length && space.test(text[p] ?? '')) p++;
  if (p >= text.length) return {};
  for (;;) {
    while (p < text.length && space.test(text[p] ?? '')) p++;
    const open = text[p];
    const quote = open === '"' || open === "'" ? open : '';
    if (quote !== '') p++;
    const start = p;
    while (p < text.length && (quote !== '' ? text[p] !== quote : !space.test(text[p] ?? ''))) p++;
    if (quote !== '' && text[p] !== quote) return `invalid arguments for ${directive}`;
    values.push(text.slice(start, p));
    if (quote !== '') p++;
    if (p >= text.length) break;
    if (values.length === 3) return `extra arguments for ${directive}`;
  }
  if (values.length === 3 && isSu) return `extra arguments for ${directive}`;
  const [a, b, c] = values;
  if (values.length === 3) return { mode: a, user: b, group: c };
  if (values.length === 2) return { user: a, group: b };
  return isSu ? { user: a } : { mode: a };
}

interface Resolved {
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

function resolveOwner(owner: Owner, accounts: Accounts): Resolved | string {
  let gid: number | undefined;
  let uid: number | undefined;
  let mode: number | undefined;
  if (owner.group !== undefined) {
    gid = resolveGroup(accounts, owner.group);
    if (gid === undefined) return `unknown group '${owner.group}'`;
  }
  if (owner.user !== undefined) {
    uid = resolveUser(accounts, owner.user);
    if (uid === undefined) return `unknown user '${owner.user}'`;
  }
  if (owner.mode !== undefined) {
    const n = strtol(owner.mode, 8);
    if (owner.mode === '' || n.rest.length > 0 || n.value < 0n || n.value >= 0x7fffffffn) return `invalid mode '${owner.mode}'`;
    mode = Number(n.value);
  }
  return { ...(mode === undefined ? {} : { mode }), ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) };
}

function ownerDirective(directive: 'create' | 'createolddir'): Directive {
  return {
    shape: 'line',
    apply: ({ value, options, accounts }) => {
      const previous: FileAttributes = (directive === 'create' ? options.create : options.createOldDir) ?? {};
      const owner = splitOwnerArgs(value ?? '', directive, false);
      const resolved = typeof owner === 'string' ? owner : resolveOwner(owner, accounts);
      if (typeof resolved === 'string') return sectionError(resolved);
      const attrs: FileAttributes = { ...previous, ...resolved };
      if (directive === 'create') return set({ ...options, create: attrs });
      return set({ ...options, createOldDir: { mode: 0o755, ...attrs } });
    },
  };
}

const suDirective: Directive = {
  shape: 'line',
  apply: ({ value, options, accounts }) => {
    const owner = splitOwnerArgs(value ?? '', 'su', true);
    const resolved = typeof owner === 'string' ? owner : resolveOwner(owner, accounts);
    if (typeof resolved === 'string') return sectionError(resolved);
    const named = typeof owner === 'string' ? {} : owner;
    const uid = resolved.uid ?? options.su?.uid;
    const gid = resolved.gid ?? options.su?.gid;
    if (uid === undefined) return sectionError('no user for su');
    if (gid === undefined) return sectionError('no group for su');
    const user = named.user ?? options.su?.user ?? String(uid);
    const group = named.group ?? options.su?.group ?? String(gid);
    return set({ ...options, su: { uid, gid, user, group } });
  },
};

// --- paths ------------------------------------------------------------------------

/** Printable and without blanks, as readPath demands. */
function isPathLike(value: string): boolean {
  return /^[^\s\p{C}]*$/u.test(value);
}

function expandHome(path: string, home: string): { path: string; notes: Note[] } {
  if (!path.startsWith('~/')) return { path, notes: [] };
  const expanded = `${home}/${path.slice(2)}`;
  return { path: expanded, notes: [{ severity: 'debug', text: `replaced '${path}' with '${expanded}'` }] };
}

function pathDirective(what: string, store: (options: LogOptions, path: string, input: DirectiveInput) => Effect): Directive {
  return required(what, (value, input) =>
    isPathLike(value) ? store(input.options, value, input) : sectionError(`bad ${what} path ${value}`),
  );
}

const COMPRESS_EXTENSIONS: Readonly<Record<string, string>> = {
  gzip: '.gz',
  bzip2: '.bz2',
  xz: '.xz',
  zstd: '.zst',
  compress: '.Z',
  zip: '.zip',
};

function criterionWeekly(value: string | null, options: LogOptions): Effect {
  const text = value ?? '';
  if (text === '') return set({ ...options, criterion: { kind: 'weekly', weekday: 0 } });
  const weekday = scanWholeUnsigned(text);
  if (weekday === null || weekday > 7) return { kind: 'error', text: `bad weekly directive '${text}'`, fatal: true };
  return set({ ...options, criterion: { kind: 'weekly', weekday } });
}

function criterionMonthly(value: string | null, options: LogOptions): Effect {
  const text = value ?? '';
  if (text === '') return set({ ...options, criterion: { kind: 'monthly', day: 0 } });
  const day = scanWholeUnsigned(text);
  if (day === null || day > 31) return { kind: 'error', text: `bad monthly directive '${text}'`, fatal: true };
  return set({ ...options, criterion: { kind: 'monthly', day } });
}

/** tabooext/taboopat items: a leading `+` appends, otherwise the list is replaced. */
function tabooDirective(keyword: 'tabooext' | 'taboopat'): Directive {
  return {
    shape: 'value',
    globalOnly: true,
    apply: ({ value, options }) => {
      if (value === null) return set(options, missing(keyword));
      const append = value.startsWith('+');
      const items = (append ? value.slice(1) : value).split(/[\s,]+/);
      const patterns = items.filter((item) => item !== '').map((item) => (keyword === 'tabooext' ? `*${item}` : item));
      return { kind: 'taboo', patterns, append };
    },
  };
}

export const DIRECTIVES: Readonly<Record<string, Directive>> = {
  compress: flag({ compress: true }),
  nocompress: flag({ compress: false }),
  delaycompress: flag({ delayCompress: true }),
  nodelaycompress: flag({ delayCompress: false }),
  shred: flag({ shred: true }),
  noshred: flag({ shred: false }),
  allowhardlink: flag({ allowHardlink: true }),
  noallowhardlink: flag({ allowHardlink: false }),
  sharedscripts: flag({ sharedScripts: true }),
  nosharedscripts: flag({ sharedScripts: false }),
  copytruncate: flag({ copyTruncate: true, renameCopy: false }),
  nocopytruncate: flag({ copyTruncate: false }),
  renamecopy: flag({ renameCopy: true, copyTruncate: false }),
  norenamecopy: flag({ renameCopy: false }),
  copy: flag({ copy: true }),
  nocopy: flag({ copy: false }),
  ifempty: flag({ ifEmpty: true }),
  notifempty: flag({ ifEmpty: false }),
  dateext: flag({ dateExt: true }),
  nodateext: flag({ dateExt: false }),
  dateyesterday: flag({ dateYesterday: true }),
  nodateyesterday: flag({ dateYesterday: false }),
  datehourago: flag({ dateHourAgo: true }),
  nodatehourago: flag({ dateHourAgo: false }),
  noolddir: flag({ oldDir: null }),
  mailfirst: flag({ mailFirst: true }),
  maillast: flag({ mailFirst: false }),
  nomail: flag({ mail: null }),
  missingok: flag({ missingOk: true }),
  nomissingok: flag({ missingOk: false }),
  ignoreduplicates: flag({ ignoreDuplicates: true }),
  nocreate: flag({ create: null }),
  nocreateolddir: flag({ createOldDir: null }),
  hourly: flag({ criterion: { kind: 'hourly' } }),
  daily: flag({ criterion: { kind: 'daily' } }),
  yearly: flag({ criterion: { kind: 'yearly' } }),
  errors: {
    shape: 'flag',
    apply: ({ options }) => set(options, { severity: 'warning', text: 'the errors directive is deprecated and no longer used.' }),
  },

  dateformat: {
    shape: 'value',
    apply: ({ value, options }) => (value === null ? set({ ...options, dateFormat: null }, missing('dateformat')) : set({ ...options, dateFormat: value })),
  },
  su: suDirective,
  create: ownerDirective('create'),
  createolddir: ownerDirective('createolddir'),
  size: sizeDirective((o, bytes) => ({ ...o, criterion: { kind: 'size', bytes } }), 'size'),
  minsize: sizeDirective((o, minSize) => ({ ...o, minSize }), 'minsize'),
  maxsize: sizeDirective((o, maxSize) => ({ ...o, maxSize }), 'maxsize'),
  shredcycles: countDirective('shred cycles', 'bad shred cycles', (o, shredCycles) => ({ ...o, shredCycles })),
  start: countDirective('start count', 'bad start count', (o, start) => ({ ...o, start })),
  minage: countDirective('minage count', 'bad minimum age', (o, minAge) => ({ ...o, minAge }), true),
  maxage: countDirective('maxage count', 'bad maximum age', (o, maxAge) => ({ ...o, maxAge }), true),
  minutes: optional('minutes', (value, { options }) => {
    const n = strtoull(value);
    const minutes = Number(BigInt.asUintN(32, n.value));
    if (n.rest.length > 0 || minutes === 0) return sectionError(`bad minutes '${value}'`);
    return set({ ...options, criterion: { kind: 'minutes', minutes } });
  }),
  weekly: { shape: 'line', apply: ({ value, options }) => criterionWeekly(value, options) },
  monthly: { shape: 'line', apply: ({ value, options }) => criterionMonthly(value, options) },
  rotate: required('rotate count', (value, { options }) => {
    const n = strtol(value);
    const rotate = toInt(n.value);
    const stored = { ...options, rotate };
    return n.rest.length > 0 || rotate < -1 ? sectionError(`bad rotation count '${value}'`, stored) : set(stored);
  }),
  mail: required('mail', (value, { options }) =>
    /^[\x21-\x7e]*$/.test(value) ? set({ ...options, mail: value }) : sectionError(`bad mail address  ${value}`),
  ),
  prerotate: scriptDirective,
  postrotate: scriptDirective,
  firstaction: scriptDirective,
  lastaction: scriptDirective,
  preremove: scriptDirective,
  tabooext: tabooDirective('tabooext'),
  taboopat: tabooDirective('taboopat'),
  include: required('include', (value, { home }) => {
    const expanded = expandHome(value, home);
    return { kind: 'include', path: expanded.path, notes: expanded.notes };
  }),
  olddir: pathDirective('olddir', (options, path, { home }) => {
    const expanded = expandHome(path, home);
    return set({ ...options, oldDir: expanded.path }, ...expanded.notes, { severity: 'debug', text: `olddir is now ${expanded.path}` });
  }),
  extension: required('extension name', (value, { options }) =>
    set({ ...options, extension: value }, { severity: 'debug', text: `extension is now ${value}` }),
  ),
  addextension: required('addextension name', (value, { options }) =>
    set({ ...options, addExtension: value }, { severity: 'debug', text: `addextension is now ${value}` }),
  ),
  compresscmd: pathDirective('compress', (options, path) => {
    const ext = COMPRESS_EXTENSIONS[posix.basename(path)];
    const notes: Note[] = [{ severity: 'debug', text: `compress_prog is now ${path}` }];
    if (ext !== undefined) notes.push({ severity: 'debug', text: `compress_ext was changed to ${ext}` });
    return set({ ...options, compressCmd: path, compressExt: ext ?? options.compressExt }, ...notes);
  }),
  uncompresscmd: pathDirective('uncompress', (options, path) =>
    set({ ...options, uncompressCmd: path }, { severity: 'debug', text: `uncompress_prog is now ${path}` }),
  ),
  compressext: pathDirective('compress-ext', (options, path) =>
    set({ ...options, compressExt: path }, { severity: 'debug', text: `compress_ext is now ${path}` }),
  ),
  compressoptions: {
    shape: 'line',
    apply: ({ value, options }) => {
      const words = splitWords(value ?? '');
      if (words === null) return sectionError('invalid compression options', { ...options, compressOptions: null });
      return set({ ...options, compressOptions: words }, { severity: 'debug', text: `compress_options is now ${value ?? ''}` });
    },
  },
};

export function shapeOf(keyword: string): KeywordShape {
  return DIRECTIVES[keyword]?.shape ?? 'unknown';
}
