// A deterministic list of rotation scenarios for the differential test: each one a config,
// a file tree and old state dates, built from a seeded PRNG so a failure is reproducible
// by its number. Themes rotate so every directive of issue 3 is covered; random extras
// combine them. Combinations where logrotate 3.21 and main are known to act differently
// are not generated (listed in avoid-comments below).
import { spawnSync } from 'node:child_process';
import { Dice } from '../helpers/random.js';
import { hookScript, type EntrySpec, type StateEntry, type TreeSpec } from '../helpers/tree.js';

export interface Scenario {
  readonly title: string;
  readonly spec: TreeSpec;
  readonly args: readonly string[];
  readonly runs: number;
}

const DAY = 86_400;

/** What one scenario is mainly about; the rest is random. */
type Theme =
  | 'create'
  | 'nocreate'
  | 'copy'
  | 'copytruncate'
  | 'renamecopy'
  | 'olddir'
  | 'createolddir'
  | 'rotate-count'
  | 'start'
  | 'maxage'
  | 'sizes'
  | 'dateext'
  | 'extension'
  | 'compress'
  | 'compresscmd'
  | 'delaycompress'
  | 'empty'
  | 'missingok'
  | 'sharedscripts'
  | 'hooks'
  | 'shred'
  | 'mail'
  | 'include';

const THEMES: readonly Theme[] = [
  'create', 'nocreate', 'copy', 'copytruncate', 'renamecopy', 'olddir', 'createolddir', 'rotate-count',
  'start', 'maxage', 'sizes', 'dateext', 'extension', 'compress', 'compresscmd', 'delaycompress',
  'empty', 'missingok', 'sharedscripts', 'hooks', 'shred', 'mail', 'include',
];

const COMPRESSORS = [
  { cmd: '/usr/bin/xz', ext: '.xz' },
  { cmd: '/usr/bin/bzip2', ext: '.bz2' },
  { cmd: '/usr/bin/zstd', ext: '.zst' },
  { cmd: '/bin/gzip', ext: '.gz' },
] as const;

// Seconds-resolution specifiers would differ between the two runs, so none are used.
const DATE_FORMATS = ['-%Y%m%d', '.%Y-%m-%d', '_%Y_%m_%d', '-%Y%m%d%H'] as const;
const HOOKS = ['firstaction', 'prerotate', 'postrotate', 'lastaction', 'preremove'] as const;

export function generateScenarios(count: number, nowSeconds: number): Scenario[] {
  return Array.from({ length: count }, (_, index) => generate(index, THEMES[index % THEMES.length] ?? 'create', nowSeconds));
}

function generate(index: number, theme: Theme, now: number): Scenario {
  const dice = new Dice(index + 1);
  const features: string[] = [theme];
  const directives: string[] = [];
  const entries: EntrySpec[] = [{ kind: 'dir', path: 'logs' }];
  const state: StateEntry[] = [];
  const want = (t: Theme, p: number): boolean => theme === t || dice.chance(p);
  const lines = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag} line ${i}\n`).join('');

  // The logs: one to three, in one section; a glob sometimes.
  const extensionTheme = theme === 'extension';
  const names = extensionTheme ? ['app.txt'] : ['app.log', 'b.log', 'c.log'].slice(0, dice.int(1, 3));
  const empty = want('empty', 0.15);
  for (const [i, name] of names.entries()) {
    const size = empty && i === 0 ? 0 : dice.int(1, 60);
    entries.push({ kind: 'file', path: `logs/${name}`, content: lines(size, name), mode: dice.pick([0o644, 0o640, 0o600]), mtime: now - dice.int(1, 30) * DAY });
    if (dice.chance(0.85)) state.push({ path: `@ROOT@/logs/${name}`, time: now - dice.pick([2, 8, 40, 400]) * DAY - dice.int(0, 3600) });
  }
  const fileList = !extensionTheme && names.length > 1 && dice.chance(0.3) ? ['@ROOT@/logs/*.log'] : names.map((n) => `@ROOT@/logs/${n}`);
  if (want('missingok', 0.1)) {
    // Always with missingok: in a sharedscripts group, 3.21 still shifts the other
    // logs' old files when one is missing and main does not.
    fileList.push('@ROOT@/logs/gone.log');
    directives.push('missingok');
    features.push('missing file');
  }

  // Criterion.
  const criterion = theme === 'sizes' ? 'sizes' : dice.pick(['daily', 'weekly', 'monthly', 'yearly', 'size', 'none']);
  switch (criterion) {
    case 'size':
      directives.push(`size ${dice.pick(['100', '1k', '2k'])}`);
      break;
    case 'sizes':
      directives.push(dice.pick(['daily', 'weekly']), `minsize ${dice.pick(['100', '1k'])}`);
      if (dice.chance(0.5)) directives.push(`maxsize ${dice.pick(['200', '1k'])}`);
      break;
    case 'none':
      break;
    default:
      directives.push(criterion);
  }

  // How many, from where.
  const rotate = theme === 'rotate-count' ? ([-1, 0, 1, 5][Math.floor(index / THEMES.length) % 4] ?? 0) : dice.pick([1, 2, 3, 4]);
  directives.push(`rotate ${rotate}`);
  if (want('start', 0.05)) directives.push(`start ${dice.pick([0, 5])}`);

  // What stays at the log's name.
  const method = theme === 'copy' || theme === 'copytruncate' || theme === 'renamecopy' ? theme : dice.pick(['rename', 'rename', 'rename', 'copy', 'copytruncate']);
  if (method !== 'rename') directives.push(method);
  if (theme === 'nocreate') directives.push('nocreate');
  else if (want('create', 0.3)) directives.push(dice.pick(['create', 'create 0600', 'create 0640 root adm', 'create 0664 nobody nogroup']));

  // Names of rotated logs.
  const dateext = want('dateext', 0.2);
  if (dateext) {
    directives.push('dateext');
    if (dice.chance(0.6)) directives.push(`dateformat ${dice.pick(DATE_FORMATS)}`);
    if (dice.chance(0.3)) directives.push('dateyesterday');
  }
  if (extensionTheme) directives.push(dice.chance(0.5) ? 'extension .txt' : 'addextension .txt');

  // Compression.
  const compressor = theme === 'compresscmd' ? dice.pick(COMPRESSORS.slice(0, 3)) : COMPRESSORS[3];
  const compress = want('compress', 0.35) || theme === 'compresscmd' || theme === 'delaycompress';
  if (compress) {
    directives.push('compress');
    if (theme === 'compresscmd') directives.push(`compresscmd ${compressor.cmd}`);
    if (dice.chance(0.3)) directives.push(`compressoptions ${dice.pick(['-9', '-1'])}`);
    if (want('delaycompress', 0.2)) directives.push('delaycompress');
  }

  // Old logs lying around from earlier rotations (numbered ones only: dated names of
  // the past are covered by dateext's own expiry through the glob).
  const base = names[0] ?? 'app.log';
  if (!dateext) {
    for (let n = 1; n <= dice.int(0, 3); n++) {
      const plain = lines(3, `${base}.${n}`);
      const name = extensionTheme ? `app.${n}.txt` : `${base}.${n}`;
      const compressed = compress && (n > 1 || !directives.includes('delaycompress'));
      entries.push({
        kind: 'file',
        path: `logs/${name}${compressed ? compressor.ext : ''}`,
        content: compressed ? compressWith(compressor.cmd, plain) : plain,
        mtime: now - n * 10 * DAY,
      });
    }
  } else {
    entries.push({ kind: 'file', path: `logs/${base}-20200101${compress ? compressor.ext : ''}`, content: 'dated\n', mtime: now - 300 * DAY });
  }
  if (want('maxage', 0.1)) directives.push(`maxage ${dice.pick([5, 15, 100])}`);

  // Where they go.
  if (want('olddir', 0.1)) {
    entries.push({ kind: 'dir', path: 'logs/old' });
    directives.push(dice.pick(['olddir old', 'olddir @ROOT@/logs/old']));
  } else if (theme === 'createolddir') {
    directives.push('olddir archive', dice.pick(['createolddir 0750 root root', 'createolddir 0700', 'createolddir']));
  }

  // Empty logs.
  if (dice.chance(0.4)) directives.push(dice.pick(['notifempty', 'ifempty']));

  // Scripts. A failing prerotate is never generated: 3.21 shifts old logs before it runs.
  // renamecopy always has a preremove: its `.tmp` is unlinked without running it.
  const hooks =
    theme === 'hooks' || theme === 'sharedscripts'
      ? HOOKS.filter(() => dice.chance(0.7))
      : HOOKS.filter((hook) => dice.chance(0.1) || (theme === 'renamecopy' && hook === 'preremove'));
  if (want('sharedscripts', 0.1)) directives.push('sharedscripts');
  for (const hook of hooks) directives.push(`${hook}${hookScript(hook)}  endscript`);

  if (want('shred', 0.05)) directives.push('shred', ...(dice.chance(0.5) ? ['shredcycles 1'] : []));

  // Mail. rotate 0 with copy and mail is avoided: main mails one run late, 3.21 never.
  if (want('mail', 0.1) && !(rotate === 0 && method !== 'rename')) {
    directives.push('mail ops@example.invalid', dice.pick(['mailfirst', 'maillast']));
  }

  const section = `${fileList.join(' ')} {\n${directives.map((d) => `  ${d}\n`).join('')}}\n${missingArgument(index, entries, features)}`;
  let config = section;
  if (theme === 'include' || dice.chance(0.05)) {
    features.push('include dir');
    entries.push(
      { kind: 'file', path: 'conf.d/main.conf', content: section },
      { kind: 'file', path: 'conf.d/skipped.bak', content: '@ROOT@/logs/*.log {\n  rotate 9\n}\n' },
      { kind: 'file', path: 'conf.d/other.keep', content: '@ROOT@/logs/never.log {\n  missingok\n}\n' },
    );
    config = `tabooext + .keep\ninclude @ROOT@/conf.d\n`;
  }

  const force = dice.chance(0.2);
  const runs = dice.chance(0.2) ? 2 : 1;
  const args = force ? ['-f'] : [];
  if (force) features.push('-f');
  if (runs === 2) features.push('2 runs');
  return {
    title: `#${index} ${features.join(', ')}: ${directives.map((d) => d.split('\n')[0]).join('; ')}`,
    spec: { entries, state, config },
    args,
    runs,
  };
}

/** Every directive that takes an argument, left without it after the scenario's own
 * section in three of four scenarios (the log is named so that no `*.log` glob of the
 * scenario claims it first). */
export const WITHOUT_ARGUMENT = [
  'size', 'minsize', 'maxsize', 'dateformat', 'rotate', 'start', 'minage', 'maxage', 'mail', 'include', 'olddir',
  'extension', 'addextension', 'compresscmd', 'uncompresscmd', 'compressext', 'shredcycles', 'compressoptions', 'su',
  'tabooext', 'taboopat',
] as const;

export const LINE_ARGUMENT: ReadonlySet<string> = new Set(['su', 'compressoptions']);

/** In a section of its own (never right before its `}`: logrotate would swallow that
 * `}`, a deliberate difference), alone after the section, or as the last line of a file
 * that ends inside a section. Uses no dice, so the scenarios' own draws do not move. */
function missingArgument(index: number, entries: EntrySpec[], features: string[]): string {
  if (index % 4 === 0) return '';
  const k = index - Math.floor(index / 4) - 1;
  const keyword = WITHOUT_ARGUMENT[k % WITHOUT_ARGUMENT.length] ?? 'size';
  const placed = (['section', 'global', 'end'] as const)[Math.floor(k / WITHOUT_ARGUMENT.length) % 3] ?? 'section';
  // su and compressoptions read the rest of the line even when it is empty: at the end of
  // a file logrotate then says it skips the section and rotates it all the same (logrotor
  // skips it: a deliberate difference).
  const where = placed === 'end' && LINE_ARGUMENT.has(keyword) ? 'section' : placed;
  features.push(`${keyword} without argument (${where})`);
  entries.push({ kind: 'file', path: 'logs/extra-log', content: 'extra\n' });
  switch (where) {
    case 'section':
      return `@ROOT@/logs/extra-log {\n  ${keyword}\n  missingok\n}\n`;
    case 'global':
      return `${keyword}\n`;
    case 'end':
      return `@ROOT@/logs/extra-log {\n  missingok\n  ${keyword}\n`;
  }
}

function compressWith(command: string, text: string): Uint8Array {
  const result = spawnSync(command, ['-c'], { input: text });
  if (result.status !== 0) throw new Error(`${command} -c failed while generating a fixture`);
  return result.stdout;
}
