// Every directive logrotate knows, by keyword (create/createolddir/su in
// owner-directives.ts; logrotor's own in extension-directives.ts). Messages, argument
// rules and quirks follow logrotate's main branch.
import { posix } from 'node:path';
import { scanWholeUnsigned, strtol, strtoull, toInt } from './cnumbers.js';
import { flag, missing, NOTHING, optional, required, sectionError, set, type Directive, type DirectiveInput, type Effect, type Note, type OptionsPatch } from './directive.js';
import { EXTENSION_DIRECTIVES } from './extension-directives.js';
import type { Criterion } from './model.js';
import { ownerDirective, suDirective } from './owner-directives.js';
import { parseSize } from './sizes.js';
import type { KeywordShape } from './statements.js';
import { splitWords } from './words.js';

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

  ...EXTENSION_DIRECTIVES,
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
