// Every directive logrotate knows: how much text it takes and what it does to the
// options. Messages, argument rules and quirks follow logrotate's main branch.
import { posix } from 'node:path';
import { parseNameTemplate } from '../archive/names.js';
import { parseArchiveUrl } from '../archive/target.js';
import type { Accounts } from './accounts.js';
import { resolveGroup, resolveUser } from './accounts.js';
import type { BudgetValue } from './budgets.js';
import { parseMaxTotalSize, parseMinFree } from './budgets.js';
import { scanWholeUnsigned, strtol, strtoull, toInt } from './cnumbers.js';
import type { Criterion, FileAttributes, LogOptions } from './model.js';
import { parseSize } from './sizes.js';
import type { KeywordShape } from './statements.js';
import { parseSignal } from './signal-directive.js';
import { splitWords } from './words.js';

/** A message that does not by itself fail the section. */
export interface Note {
  readonly severity: 'debug' | 'warning' | 'error';
  readonly text: string;
  /** logrotate writes this one's place as `F: L: ` in the text instead of the `F:L` prefix. */
  readonly spacedLocation?: boolean;
}

/** The options a directive changes; the reader applies it to the scope it is read in.
 * Directives describe changes rather than build whole option sets, so a section's
 * options are copied once when it opens, not once per directive. */
export type OptionsPatch = Partial<LogOptions>;

export type Effect =
  | { readonly kind: 'set'; readonly patch: OptionsPatch; readonly notes: readonly Note[] }
  /** fatal: stops the file even inside a section; otherwise a section error (fatal in
   * global scope). `patch` is what logrotate had already stored before failing. */
  | { readonly kind: 'error'; readonly text: string; readonly fatal: boolean; readonly patch?: OptionsPatch }
  | { readonly kind: 'include'; readonly path: string; readonly notes: readonly Note[] }
  | { readonly kind: 'taboo'; readonly patterns: readonly string[]; readonly append: boolean };

export interface DirectiveInput {
  readonly keyword: string;
  /** null: the directive is a flag, or its argument is missing. */
  readonly value: string | null;
  /** The options so far, for directives that build on earlier values. */
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

const set = (patch: OptionsPatch, ...notes: Note[]): Effect => ({ kind: 'set', patch, notes });
const sectionError = (text: string, patch?: OptionsPatch): Effect =>
  patch === undefined ? { kind: 'error', text, fatal: false } : { kind: 'error', text, fatal: false, patch };
const missing = (what: string): Note => ({ severity: 'error', text: `argument expected after ${what}` });
const NOTHING: OptionsPatch = {};

function flag(patch: OptionsPatch): Directive {
  const effect = set(patch);
  return { shape: 'flag', apply: () => effect };
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
    apply: (input) => (input.value === null ? set(NOTHING, missing(what)) : parse(input.value, input)),
  };
}

// The reader builds scripts itself (it has the text and the location); the table only
// says that these keywords start a script block.
const scriptDirective: Directive = { shape: 'script', apply: () => set(NOTHING) };

// --- sizes and counts -------------------------------------------------------------

function sizeDirective(store: (bytes: number) => OptionsPatch, keyword: string): Directive {
  return optional(keyword, (value) => {
    const size = parseSize(value);
    return size.ok ? set(store(size.bytes)) : sectionError(size.text);
  });
}

/** logrotor's budget values: every bad one is a section error, as a bad `rotate` is. */
const budget = (parsed: BudgetValue): Effect => (parsed.ok ? set(parsed.patch) : sectionError(parsed.text));

/** Counts read with `(int)strtoul(…, 0)`: the whole value, not negative once cast. */
function countDirective(what: string, message: string, store: (n: number) => OptionsPatch, echoRest = false): Directive {
  return required(what, (value) => {
    const n = strtoull(value);
    const count = toInt(n.value);
    const stored = store(count);
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
  // Built up rather than spread together: this runs for every `create` of a big config.
  const resolved: { mode?: number; uid?: number; gid?: number } = {};
  if (mode !== undefined) resolved.mode = mode;
  if (uid !== undefined) resolved.uid = uid;
  if (gid !== undefined) resolved.gid = gid;
  return resolved;
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
      if (directive === 'create') return set({ create: attrs });
      return set({ createOldDir: { mode: 0o755, ...attrs } });
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
    return set({ su: { uid, gid, user, group } });
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

function pathDirective(what: string, store: (path: string, input: DirectiveInput) => Effect): Directive {
  return required(what, (value, input) => (isPathLike(value) ? store(value, input) : sectionError(`bad ${what} path ${value}`)));
}

const COMPRESS_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['gzip', '.gz'],
  ['bzip2', '.bz2'],
  ['xz', '.xz'],
  ['zstd', '.zst'],
  ['compress', '.Z'],
  ['zip', '.zip'],
]);

/** weekly/monthly: an optional day number up to `max` (0 without one); anything else
 * is fatal, even inside a section. */
function dayCriterion(keyword: 'weekly' | 'monthly', max: number, criterion: (day: number) => Criterion): Directive {
  return {
    shape: 'line',
    apply: ({ value }) => {
      const text = value ?? '';
      const day = text === '' ? 0 : scanWholeUnsigned(text);
      if (day === null || day > max) return { kind: 'error', text: `bad ${keyword} directive '${text}'`, fatal: true };
      return set({ criterion: criterion(day) });
    },
  };
}

/** tabooext/taboopat items: a leading `+` appends, otherwise the list is replaced. */
function tabooDirective(keyword: 'tabooext' | 'taboopat'): Directive {
  return {
    shape: 'value',
    globalOnly: true,
    apply: ({ value }) => {
      if (value === null) return set(NOTHING, missing(keyword));
      const append = value.startsWith('+');
      const items = (append ? value.slice(1) : value).split(/[\s,]+/);
      const patterns = items.filter((item) => item !== '').map((item) => (keyword === 'tabooext' ? `*${item}` : item));
      return { kind: 'taboo', patterns, append };
    },
  };
}

const TABLE: Readonly<Record<string, Directive>> = {
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
    apply: () => set(NOTHING, { severity: 'warning', text: 'the errors directive is deprecated and no longer used.', spacedLocation: true }),
  },

  dateformat: {
    shape: 'value',
    apply: ({ value }) => (value === null ? set({ dateFormat: null }, missing('dateformat')) : set({ dateFormat: value })),
  },
  su: suDirective,
  create: ownerDirective('create'),
  createolddir: ownerDirective('createolddir'),
  size: sizeDirective((bytes) => ({ criterion: { kind: 'size', bytes } }), 'size'),
  minsize: sizeDirective((minSize) => ({ minSize }), 'minsize'),
  maxsize: sizeDirective((maxSize) => ({ maxSize }), 'maxsize'),
  shredcycles: countDirective('shred cycles', 'bad shred cycles', (shredCycles) => ({ shredCycles })),
  start: countDirective('start count', 'bad start count', (start) => ({ start })),
  minage: countDirective('minage count', 'bad minimum age', (minAge) => ({ minAge }), true),
  maxage: countDirective('maxage count', 'bad maximum age', (maxAge) => ({ maxAge }), true),
  minutes: optional('minutes', (value) => {
    const n = strtoull(value);
    const minutes = Number(BigInt.asUintN(32, n.value));
    if (n.rest.length > 0 || minutes === 0) return sectionError(`bad minutes '${value}'`);
    return set({ criterion: { kind: 'minutes', minutes } });
  }),
  weekly: dayCriterion('weekly', 7, (weekday) => ({ kind: 'weekly', weekday })),
  monthly: dayCriterion('monthly', 31, (day) => ({ kind: 'monthly', day })),
  rotate: required('rotate count', (value) => {
    const n = strtol(value);
    const rotate = toInt(n.value);
    const stored = { rotate };
    return n.rest.length > 0 || rotate < -1 ? sectionError(`bad rotation count '${value}'`, stored) : set(stored);
  }),
  mail: required('mail', (value) =>
    /^[\x21-\x7e]*$/.test(value) ? set({ mail: value }) : sectionError(`bad mail address  ${value}`),
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
  olddir: pathDirective('olddir', (path, { home }) => {
    const expanded = expandHome(path, home);
    return set({ oldDir: expanded.path }, ...expanded.notes, { severity: 'debug', text: `olddir is now ${expanded.path}` });
  }),
  extension: required('extension name', (value) =>
    set({ extension: value }, { severity: 'debug', text: `extension is now ${value}` }),
  ),
  addextension: required('addextension name', (value) =>
    set({ addExtension: value }, { severity: 'debug', text: `addextension is now ${value}` }),
  ),
  compresscmd: pathDirective('compress', (path) => {
    const ext = COMPRESS_EXTENSIONS.get(posix.basename(path));
    const notes: Note[] = [{ severity: 'debug', text: `compress_prog is now ${path}` }];
    if (ext !== undefined) notes.push({ severity: 'debug', text: `compress_ext was changed to ${ext}` });
    return set(ext === undefined ? { compressCmd: path } : { compressCmd: path, compressExt: ext }, ...notes);
  }),
  uncompresscmd: pathDirective('uncompress', (path) =>
    set({ uncompressCmd: path }, { severity: 'debug', text: `uncompress_prog is now ${path}` }),
  ),
  compressext: pathDirective('compress-ext', (path) =>
    set({ compressExt: path }, { severity: 'debug', text: `compress_ext is now ${path}` }),
  ),
  compressoptions: {
    shape: 'line',
    apply: ({ value }) => {
      const words = splitWords(value ?? '');
      if (words === null) return sectionError('invalid compression options', { compressOptions: null });
      return set({ compressOptions: words }, { severity: 'debug', text: `compress_options is now ${value ?? ''}` });
    },
  },

  // logrotor extensions (docs/archive.md).
  archive: required('archive URL', (value) => {
    const target = parseArchiveUrl(value);
    return target.ok ? set({ archive: target.value }) : sectionError(target.error);
  }),
  noarchive: flag({ archive: null }),
  archivename: required('archivename', (value) => {
    const template = parseNameTemplate(value);
    return template.ok ? set({ archiveName: template.value }) : sectionError(template.error);
  }),
  archivedelete: flag({ archiveDelete: true }),
  noarchivedelete: flag({ archiveDelete: false }),
  // logrotor extensions (docs/budgets.md); logrotate knows none of these.
  maxtotalsize: required('maxtotalsize (a size such as 500M)', (value) => budget(parseMaxTotalSize(value))),
  nomaxtotalsize: flag({ maxTotalSize: 0 }),
  minfree: required('minfree (a size such as 2G, or a share such as 10%)', (value) => budget(parseMinFree(value))),
  nominfree: flag({ minFree: null }),
  purgealways: flag({ purgeAlways: true }),
  nopurgealways: flag({ purgeAlways: false }),
  norename: flag({ noRename: true }),
  rename: flag({ noRename: false }),
  // logrotor extension (docs/executor.md, signal-directive.ts).
  signal: {
    shape: 'line',
    apply: ({ value }) => {
      const parsed = parseSignal(value ?? '');
      return typeof parsed === 'string' ? sectionError(parsed) : set({ signal: parsed });
    },
  },
  nosignal: flag({ signal: null }),
};

/** A Map, not the object itself: a keyword such as `constructor` or `toString` must not
 * find Object.prototype's members. */
const DIRECTIVES: ReadonlyMap<string, Directive> = new Map(Object.entries(TABLE));

export function directiveNamed(keyword: string): Directive | undefined {
  return DIRECTIVES.get(keyword);
}

export function shapeOf(keyword: string): KeywordShape {
  return DIRECTIVES.get(keyword)?.shape ?? 'unknown';
}
