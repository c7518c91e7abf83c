// Mutated real-world configs for config-mutation.test.ts: one to three files of the
// real-world set and the corpus, installed as Debian does (a main config including
// etc/logrotate.d) with the logs they name, then damaged by a few seeded mutations of the
// kinds that broke logrotor before: lines dropped, repeated, swapped or cut, a file cut
// off, arguments taken away, huge or odd numbers, directives and includes dropped in
// (the config's own directory among them), stray characters. Case N of a seed is always
// the same case. Every path a mutation writes lies under @ROOT@.
import { readFileSync, readdirSync } from 'node:fs';
import { hookScript, ROOT_TOKEN, type EntrySpec, type StateEntry, type TreeSpec } from '../helpers/tree.js';
import { installConfig, rewriteConfig, type LogShape } from '../helpers/real-configs.js';
import { Dice } from '../helpers/random.js';

const REAL_WORLD = new URL('../../../test/diff/real-world-configs/', import.meta.url);
const CORPUS = new URL('../../../test/diff/corpus/', import.meta.url);
const DEBIAN_MAIN = 'debian-logrotate.conf';
const KIB = 1024;
// Real runs copy and compress what they rotate: small logs.
const SHAPE: LogShape = { sizes: [0, 20, 3 * KIB, 150 * KIB], rotated: true };

interface Seed {
  readonly name: string;
  readonly text: string;
}

function seeds(): Seed[] {
  const read = (dir: URL, skip: (name: string) => boolean): Seed[] =>
    readdirSync(dir)
      .filter((name) => !skip(name))
      .sort()
      .map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));
  return [...read(REAL_WORLD, (n) => n === DEBIAN_MAIN), ...read(CORPUS, (n) => n === 'MANIFEST.tsv')];
}

const SEEDS = seeds();
const DEBIAN_MAIN_TEXT = rewriteConfig(readFileSync(new URL(DEBIAN_MAIN, REAL_WORLD), 'utf8')).config;

/** Values that stress number parsing and counters. */
const ODD_NUMBERS = ['2147483647', '0x7fffffff', '2147483648', '4294967296', '-1', '-2', '0', '99999999999999999999', '08', '0x', '1e3', '+5', ' '];

/** Lines a mutation may insert, some of them several lines long; @ROOT@ paths only. */
const INSERTS: readonly string[] = [
  'rotate 0x7fffffff',
  'rotate 2147483647',
  'rotate 2147483648',
  'start 2147483647',
  'compressoptions -1',
  'olddir o',
  `olddir ${ROOT_TOKEN}/var/archive/deep`,
  'createolddir 0750 root root',
  'createolddir',
  'noolddir',
  `include ${ROOT_TOKEN}/etc`,
  `include ${ROOT_TOKEN}/etc/logrotate.d`,
  `include ${ROOT_TOKEN}/meta/logrotate.conf`,
  'create 600 r',
  'create 0640 root adm',
  'su nobody nogroup',
  'su root root',
  'tabooext + .x',
  'taboopat *',
  'size',
  'size =',
  'dateformat %s',
  'dateext',
  'maxage 0',
  'minage 1',
  'shred',
  'copytruncate',
  'renamecopy',
  'missingok',
  'nomissingok',
  'sharedscripts',
  'delaycompress',
  'compresscmd /bin/false',
  'mail root',
  'rotatee 2',
  'ld',
  '}',
  '{',
  '=',
  `${ROOT_TOKEN}/var/log/mutated.log {`,
  `${ROOT_TOKEN}/var/log/*.log {`,
  `preremove${hookScript('preremove')}endscript`,
  `postrotate${hookScript('postrotate')}endscript`,
  'prerotate',
  'endscript',
];

const STRAY = ['{', '}', '"', "'", '\\', '#', '=', '\n', '\t', ' ', 'x', '*'];

type Mutation = (lines: string[], dice: Dice) => string;

const at = (lines: readonly string[], dice: Dice): number => dice.int(0, Math.max(0, lines.length - 1));

/** Each mutation changes `lines` in place and names what it did. */
const MUTATIONS: readonly Mutation[] = [
  (lines, dice) => {
    const i = at(lines, dice);
    return `drop line ${i + 1}: ${JSON.stringify(lines.splice(i, 1)[0] ?? '')}`;
  },
  (lines, dice) => {
    const i = at(lines, dice);
    lines.splice(i, 0, lines[i] ?? '');
    return `repeat line ${i + 1}`;
  },
  (lines, dice) => {
    const i = at(lines, dice);
    const [a, b] = [lines[i] ?? '', lines[i + 1] ?? ''];
    lines[i] = b;
    lines[i + 1] = a;
    return `swap lines ${i + 1} and ${i + 2}`;
  },
  (lines, dice) => {
    const i = at(lines, dice);
    const line = lines[i] ?? '';
    lines[i] = line.slice(0, dice.int(0, line.length));
    return `cut line ${i + 1} to ${JSON.stringify(lines[i])}`;
  },
  (lines, dice) => {
    const i = at(lines, dice);
    const keyword = /^(\s*[a-z]+)\s+\S/.exec(lines[i] ?? '')?.[1];
    if (keyword === undefined) return 'no argument to take away';
    lines[i] = keyword + dice.pick(['', ' ', '   ', ' =', '=']);
    return `line ${i + 1} without its argument: ${JSON.stringify(lines[i])}`;
  },
  (lines, dice) => {
    const numbered = lines.flatMap((line, i) => (/\b\d+\b/.test(line) && !line.includes(ROOT_TOKEN) ? [i] : []));
    if (numbered.length === 0) return 'no number to change';
    const i = dice.pick(numbered);
    lines[i] = (lines[i] ?? '').replace(/\b\d+\b/, dice.pick(ODD_NUMBERS));
    return `odd number on line ${i + 1}: ${JSON.stringify(lines[i])}`;
  },
  (lines, dice) => {
    const i = dice.int(0, lines.length);
    const text = dice.pick(INSERTS);
    lines.splice(i, 0, ...text.split('\n'));
    return `insert at line ${i + 1}: ${JSON.stringify(text)}`;
  },
  (lines, dice) => {
    const i = at(lines, dice);
    const line = lines[i] ?? '';
    const p = dice.int(0, line.length);
    const c = dice.pick(STRAY);
    lines[i] = `${line.slice(0, p)}${c}${line.slice(p)}`;
    return `stray ${JSON.stringify(c)} on line ${i + 1}`;
  },
  (lines, dice) => {
    const i = at(lines, dice);
    const line = lines[i] ?? '';
    // Never inside @ROOT@: a path must not turn absolute outside the tree.
    const p = dice.int(0, line.length - 1);
    if (line.slice(Math.max(0, p - 5), p + 6).includes('@')) return 'no character deleted';
    lines[i] = `${line.slice(0, p)}${line.slice(p + 1)}`;
    return `delete a character of line ${i + 1}`;
  },
];

export interface MutatedCase {
  readonly index: number;
  readonly spec: TreeSpec;
  readonly force: boolean;
  /** The seeds used and what was done to them, for the failure report. */
  readonly story: readonly string[];
  /** Every config text of the case, after the mutations. */
  readonly configs: readonly string[];
}

/** Case `index` of series `seed`; `now` in seconds. */
export function mutatedCase(index: number, seed: number, now: number): MutatedCase {
  const dice = new Dice((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0 || 1);
  const counter = { next: 0 };
  const entries: EntrySpec[] = [{ kind: 'dir', path: 'etc/logrotate.d' }, { kind: 'dir', path: 'home' }];
  const state: StateEntry[] = [];
  const story: string[] = [];
  const files: { path: string; lines: string[] }[] = [];
  const chosen = new Set<Seed>();
  for (let n = dice.int(1, 3); n > 0; n--) chosen.add(dice.pick(SEEDS));
  for (const seedFile of chosen) {
    const installed = installConfig(seedFile.text, `${ROOT_TOKEN}/${seedFile.name}`, SHAPE, counter, now);
    files.push({ path: `etc/logrotate.d/${seedFile.name}`, lines: installed.config.split('\n') });
    entries.push(...installed.entries);
    state.push(...installed.state);
    story.push(`seed ${seedFile.name}`);
  }
  const main = { path: '', lines: DEBIAN_MAIN_TEXT.split('\n') };
  const targets = [main, ...files];
  for (let n = dice.int(1, 4); n > 0; n--) {
    const target = dice.chance(0.2) ? main : dice.pick(targets);
    const mutation = dice.pick(MUTATIONS);
    story.push(`${target.path || 'main config'}: ${mutation(target.lines, dice)}`);
  }
  // Now and then the file ends without its newline, or in the middle of a line.
  for (const target of targets) {
    if (dice.chance(0.1)) {
      const text = target.lines.join('\n');
      const cut = dice.int(Math.floor(text.length / 2), text.length);
      target.lines = text.slice(0, cut).split('\n');
      story.push(`${target.path || 'main config'}: cut off after byte ${cut}`);
    }
  }
  const text = (target: { lines: string[] }): string => target.lines.join('\n');
  for (const file of files) entries.push({ kind: 'file', path: file.path, content: text(file), mtime: Math.floor(now) - 3600 });
  return {
    index,
    spec: { config: text(main), entries, state },
    force: dice.chance(0.5),
    story,
    configs: targets.map(text),
  };
}
