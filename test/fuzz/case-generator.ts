// One fuzzed rotation case from a seed: a log tree whose every line is unique (the
// ledger), a config built from realistic sections with random and invalid values, and a
// state file with old, future and broken dates. Paths are written with @ROOT@ (the case
// directory, the only writable place when it runs) and @OUTSIDE@ (a read-only neighbour
// that a few cases name on purpose); nothing else outside the case is ever named.
import { Dice } from '../helpers/random.js';

export const ROOT = '@ROOT@';
export const OUTSIDE = '@OUTSIDE@';

/** Compression a pre-existing rotation was written with (by magic number, not by name). */
export type Packing = 'plain' | 'gzip' | 'xz' | 'zstd' | 'bzip2';

export type Entry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number; readonly gid: number }
  | {
      readonly kind: 'file';
      readonly path: string;
      /** Index into `FuzzCase.ledger`: the lines this file holds. */
      readonly ledger: number;
      readonly packing: Packing;
      readonly mode: number;
      readonly uid: number;
      readonly ageDays: number;
    }
  | { readonly kind: 'hardlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'fifo'; readonly path: string };

export interface ConfigFile {
  /** Relative to the case root. */
  readonly path: string;
  readonly text: string;
  readonly mode: number;
  readonly uid: number;
}

export interface FuzzCase {
  readonly index: number;
  readonly seed: number;
  /** Relative paths under the case root; directories before what they hold. */
  readonly entries: readonly Entry[];
  /** The unique lines of each file, by ledger index. */
  readonly ledger: readonly (readonly string[])[];
  /** The main config is the first. */
  readonly configs: readonly ConfigFile[];
  /** State file text, or null for no state file. */
  readonly state: string | null;
  readonly stateValid: boolean;
  readonly statePath: string;
  readonly force: boolean;
  /** The config names @OUTSIDE@ (or climbs out of the case): writes there are expected
   * to be tried, and to fail with EROFS. */
  readonly namesOutside: boolean;
}

export const META = 'meta';
export const MAIN_CONFIG = `${META}/logrotate.conf`;
export const HOOK_RECORD = `${META}/hooks.log`;
export const MAILER = `${META}/mailer.sh`;
export const FAILING_COMPRESSOR = `${META}/failing-compress.sh`;
export const OUTPUT_DIR = `${META}/out`;

const DAY = 86_400_000;

const DIRS: readonly { readonly path: string; readonly mode: number; readonly gid: number }[] = [
  { path: 'logs/app', mode: 0o755, gid: 0 },
  { path: 'logs/odd dir', mode: 0o755, gid: 0 },
  { path: 'logs/world', mode: 0o777, gid: 0 }, // insecure parent: refused
  { path: 'logs/group', mode: 0o775, gid: 4 }, // group-writable, not root's group: refused
  { path: 'logs/rootgroup', mode: 0o775, gid: 0 }, // group-writable by root's group: fine
  { path: 'logs/private', mode: 0o700, gid: 0 },
  { path: 'logs/sticky', mode: 0o1755, gid: 0 },
  { path: 'logs/archive', mode: 0o755, gid: 0 },
];

const NAMES = [
  'a.log', 'b.log', 'app.log', 'with space.log', 'quote".log', "it's.log", 'new\nline.log', 'star*.log',
  'brack[1].log', 'tab\t.log', 'é.log', '.hidden.log', 'noext', 'x.log.1', 'c.txt', 'back\\slash.log',
];

/** Rotation suffixes that may already lie next to a log, with how they were packed. */
const ROTATIONS: readonly { readonly suffix: string; readonly packing: Packing }[] = [
  { suffix: '.1', packing: 'plain' },
  { suffix: '.2', packing: 'plain' },
  { suffix: '.0', packing: 'plain' },
  { suffix: '.1.gz', packing: 'gzip' },
  { suffix: '.2.gz', packing: 'gzip' },
  { suffix: '.3.gz', packing: 'gzip' },
  { suffix: '.4.gz', packing: 'plain' }, // named .gz, not gzip
  { suffix: '.1.xz', packing: 'xz' },
  { suffix: '.2.zst', packing: 'zstd' },
  { suffix: '.1.bz2', packing: 'bzip2' },
  { suffix: '-20260101', packing: 'plain' },
  { suffix: '-20260102.gz', packing: 'gzip' },
  { suffix: '-20250615', packing: 'plain' },
  { suffix: '.1.backup', packing: 'plain' },
];

const FLAGS = [
  'compress', 'nocompress', 'delaycompress', 'nodelaycompress', 'copy', 'nocopy', 'copytruncate', 'nocopytruncate',
  'renamecopy', 'norenamecopy', 'nocreate', 'daily', 'hourly', 'yearly', 'ifempty', 'notifempty', 'missingok',
  'nomissingok', 'ignoreduplicates', 'noolddir', 'createolddir', 'nocreateolddir', 'mailfirst', 'maillast', 'nomail',
  'dateext', 'nodateext', 'dateyesterday', 'nodateyesterday', 'datehourago', 'nodatehourago', 'shred', 'noshred',
  'allowhardlink', 'noallowhardlink', 'sharedscripts', 'nosharedscripts', 'monthly', 'weekly',
];

/** Per valued directive: values logrotate accepts, then values it rejects. */
const VALUES: Readonly<Record<string, readonly [readonly string[], readonly string[]]>> = {
  rotate: [['0', '1', '2', '3', '5', '-1', '0x2', '010'], ['-2', 'x', '2 extra']],
  start: [['0', '1', '5'], ['-1', 'x']],
  size: [['0', '1', '10', '1k', '100k', '1M', '0x10', '+7'], ['1m', '-5', '1.5', '5 }']],
  minsize: [['1', '1k', '1G'], ['q']],
  maxsize: [['1', '100', '1k', '1M'], ['-1']],
  minage: [['0', '1', '30'], ['5x']],
  maxage: [['0', '1', '7', '30', '400'], ['5x']],
  weekly: [['0', '3', '7', ''], ['9', 'x']],
  monthly: [['0', '1', '15', '31', ''], ['32']],
  minutes: [['1', '5', '60'], ['0', '-3', 'x']],
  create: [['', '0640', '0600 root root', '0644 nobody nogroup', 'root root', ':1234 :1234'], ['0999', '0640 nosuchuser root', '1 2 3 4']],
  createolddir: [['', '0755', '0700 root root', '0750 nobody nogroup'], ['nosuchuser nosuchgroup', '0999']],
  su: [['root root', '0 0', 'nobody nogroup'], ['root', 'nosuchuser nosuchgroup', 'root root extra']],
  compresscmd: [['gzip', '/bin/gzip', 'xz', 'zstd', 'bzip2', `${ROOT}/${FAILING_COMPRESSOR}`, 'no-such-compressor'], ['gzip -9']],
  uncompresscmd: [['gunzip', '/bin/gunzip', 'cat'], ['xz -d']],
  compressext: [['.gz', '.xz', '.zst', '.bz2', '.weird', 'gz'], []],
  compressoptions: [['-9', '-1', '--bogus-option', '-T0'], ['"unterminated']],
  dateformat: [['-%Y%m%d', '-%Y%m%d%H%M%S', '.%s', '-%Y-%m-%d', '-%Y%m%d%z', '-%Q', '-%Y/%m'], ['x'.repeat(70), '']],
  extension: [['.log', '.txt', 'log', '.1'], []],
  addextension: [['.log', '.txt', '.gz'], []],
  mail: [['fuzz@example.invalid', 'fail@example.invalid'], ['two words', '']],
  shredcycles: [['1', '0'], ['x']],
  errors: [[], ['root', '']],
  frobnicate: [[], ['keyword', '']],
};

const HOOKS = ['prerotate', 'postrotate', 'firstaction', 'lastaction', 'preremove'];

/** olddir values: inside the case, relative, missing, not a directory; a few climb out. */
const OLDDIRS = [
  `${ROOT}/logs/archive`, 'old', 'archive', `${ROOT}/logs/new/deep`, `${ROOT}/logs/app/a.log`, `${ROOT}/logs/oldlink`,
  '~/old', '../archive', `"${ROOT}/logs/archive"`, 'with space',
];
const OLDDIRS_OUTSIDE = [`${OUTSIDE}/old`, '../../..'];

/** Lines with a fixed, unique shape: `case-C file-F line-L`. */
export function ledgerLine(caseIndex: number, file: number, line: number): string {
  return `case-${caseIndex} file-${file} line-${line}`;
}
export const LEDGER_LINE = /^case-\d+ file-\d+ line-\d+$/;

function quoteWord(path: string): string {
  return /[\s"'\\*?[\]]/.test(path) ? `"${path.replace(/["\\]/g, (c) => `\\${c}`)}"` : path;
}

class Builder {
  readonly entries: Entry[] = [];
  readonly ledger: string[][] = [];
  /** Regular files a section may name, by directory. */
  readonly logs: string[] = [];
  namesOutside = false;

  constructor(
    readonly dice: Dice,
    readonly index: number,
    /** A clean case holds no invalid value and no broken text, so that it gets as far
     * as rotating; the others test how bad input is survived. */
    readonly clean: boolean,
  ) {}

  file(path: string, packing: Packing, lines: number): void {
    const id = this.ledger.length;
    this.ledger.push(Array.from({ length: lines }, (_, i) => ledgerLine(this.index, id, i)));
    const { dice } = this;
    this.entries.push({
      kind: 'file',
      path,
      ledger: id,
      packing,
      mode: dice.pick([0o644, 0o644, 0o600, 0o640, 0o444, 0o000]),
      uid: dice.chance(0.1) ? 65534 : 0,
      ageDays: dice.chance(0.3) ? dice.int(0, 3) : dice.int(0, 500),
    });
  }

  tree(): void {
    const { dice } = this;
    for (const dir of DIRS) this.entries.push({ kind: 'dir', ...dir });
    this.entries.push({ kind: 'dir', path: 'home', mode: 0o755, gid: 0 });
    // Refused parents make a whole run exit 1: only now and then.
    const risky = (mode: number, gid: number): boolean => (mode & 0o002) !== 0 || ((mode & 0o020) !== 0 && gid !== 0);
    for (const dir of dice.some(DIRS, 5).filter((d) => !risky(d.mode, d.gid) || (!this.clean && dice.chance(0.25)))) {
      for (const name of dice.some(NAMES, 4)) {
        const path = `${dir.path}/${name}`;
        // Mostly small; sometimes past the 1 MiB default size criterion.
        const lines = dice.chance(0.04) ? 45_000 : dice.chance(0.15) ? 0 : dice.int(1, 120);
        this.file(path, 'plain', lines);
        this.logs.push(path);
        for (const rotation of dice.some(ROTATIONS, 3)) this.file(`${path}${rotation.suffix}`, rotation.packing, dice.int(0, 30));
      }
    }
    const first = this.logs[0];
    if (first !== undefined && dice.chance(0.3)) {
      this.entries.push({ kind: 'hardlink', path: `${first}.hardlink`, target: first });
      this.logs.push(`${first}.hardlink`);
    }
    if (first !== undefined && dice.chance(0.3)) {
      this.entries.push({ kind: 'symlink', path: `${first}.symlink`, target: `${ROOT}/${first}` });
      this.logs.push(`${first}.symlink`);
    }
    if (dice.chance(0.3)) this.entries.push({ kind: 'symlink', path: 'logs/linkdir', target: 'app' });
    if (dice.chance(0.3)) this.entries.push({ kind: 'symlink', path: 'logs/oldlink', target: `${ROOT}/logs/archive` });
    if (dice.chance(0.05)) this.entries.push({ kind: 'fifo', path: 'logs/app/fifo.log' });
    if (dice.chance(0.05)) {
      // A link out of the case: following it would rotate a read-only neighbour.
      this.entries.push({ kind: 'symlink', path: 'logs/app/outside.log', target: `${OUTSIDE}/victim.log` });
      this.namesOutside = true;
    }
  }

  /** Logs no section of a clean case has named yet: duplicates are an error. */
  private unnamed: string[] | null = null;

  word(): string {
    const { dice } = this;
    if (this.clean) {
      this.unnamed ??= [...this.logs];
      const log = this.unnamed.splice(dice.int(0, this.unnamed.length - 1), 1)[0] ?? `logs/app/none-${this.ledger.length}-${dice.int(0, 1e9)}.log`;
      return quoteWord(`${ROOT}/${log}`);
    }
    const log = this.logs.length > 0 ? dice.pick(this.logs) : 'logs/app/none.log';
    switch (dice.int(0, 9)) {
      case 0:
        return `${ROOT}/logs/app/*.log`;
      case 1:
        return `${ROOT}/logs/*/*.log`;
      case 2:
        return `${ROOT}/logs/app/*`;
      case 3:
        return quoteWord(`${ROOT}/logs/odd dir/*`);
      case 4:
        return `${ROOT}/logs/missing*.log`;
      case 5:
        return dice.pick(['~/home.log', `${ROOT}/logs/app/[ab].log`, `${ROOT}/logs/linkdir/*.log`, `'${ROOT}/logs/app/a.log'`]);
      default:
        return quoteWord(`${ROOT}/${log}`);
    }
  }

  directive(global: boolean): string {
    const { dice } = this;
    const roll = dice.int(0, 19);
    if (roll < 7) return dice.pick(FLAGS);
    if (roll < 9) return this.hook();
    if (roll < 11) {
      if (dice.chance(0.08)) {
        this.namesOutside = true;
        return `olddir ${dice.pick(OLDDIRS_OUTSIDE)}`;
      }
      if (this.clean) {
        return dice.chance(0.5)
          ? `olddir ${dice.pick([`${ROOT}/logs/archive`, '../archive'])}`
          : `createolddir\n  olddir ${dice.pick(['old', '~/old', `${ROOT}/logs/new/deep`])}`;
      }
      return `olddir ${dice.pick(OLDDIRS)}`;
    }
    if (global && roll === 11) return dice.pick(['tabooext + .log', 'taboopat *.conf', 'tabooext .x,.y']);
    if (!global && roll === 11 && !this.clean && dice.chance(0.3)) return dice.pick(['tabooext + .log', 'include']); // section errors
    const key = dice.pick(Object.keys(VALUES));
    const [valid, invalid] = VALUES[key] ?? [[], []];
    const value = dice.pick(valid.length === 0 || (invalid.length > 0 && !this.clean && dice.chance(0.12)) ? invalid : valid);
    return dice.chance(0.1) ? `${key} = ${value}` : `${key} ${value}`.trimEnd();
  }

  hook(): string {
    const { dice } = this;
    const kind = dice.pick(HOOKS);
    const fail = dice.chance(0.15) ? '\n    exit 1' : '';
    return `${kind}\n    echo "${kind} $1 $2" >> ${ROOT}/${HOOK_RECORD}${fail}\n  endscript`;
  }

  section(): string {
    const { dice } = this;
    const words = Array.from({ length: dice.int(1, 3) }, () => this.word());
    if (dice.chance(0.1)) return `${words.join(' ')} { ${dice.some(FLAGS, 4).join(' ')} }`;
    const body = Array.from({ length: dice.int(1, 9) }, () => `  ${this.directive(false)}`);
    if (this.clean || dice.chance(0.5)) body.push('  missingok');
    const list = dice.chance(0.15) ? words.join('\n') : words.join(' ');
    return `${list} {\n${body.join('\n')}\n}`;
  }

  /** `includes`: whether conf.d exists for the main config to include. */
  config(sections: number, includes: boolean): string {
    const { dice } = this;
    const parts = Array.from({ length: dice.int(0, 5) }, () => this.directive(true));
    const targets = [`${ROOT}/conf.d`, `${ROOT}/conf.d/extra.conf`];
    if (!this.clean) targets.push(`${ROOT}/conf.d/missing`, `${ROOT}/${MAIN_CONFIG}`);
    if ((includes || !this.clean) && dice.chance(0.5)) parts.push(`include ${dice.pick(targets)}`);
    for (let i = 0; i < sections; i++) parts.push(this.section());
    const text = `${parts.join('\n')}\n`;
    return !this.clean && dice.chance(0.25) ? mutate(text, dice) : text;
  }
}

/** Line-level damage only: a path is never cut, so nothing can come to name a place
 * outside the case. */
function mutate(text: string, dice: Dice): string {
  const lines = text.split('\n');
  for (let edits = dice.int(1, 3); edits > 0; edits--) {
    const at = dice.int(0, Math.max(0, lines.length - 1));
    switch (dice.int(0, 3)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, lines[dice.int(0, lines.length - 1)] ?? '');
        break;
      case 2: {
        const other = dice.int(0, lines.length - 1);
        const here = lines[at] ?? '';
        lines[at] = lines[other] ?? '';
        lines[other] = here;
        break;
      }
      default:
        lines.length = at;
    }
  }
  return lines.join('\n');
}

function stamp(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}-${d.getHours()}:${d.getMinutes()}:${d.getSeconds()}`;
}

function stateText(builder: Builder, now: number): { text: string | null; valid: boolean } {
  const { dice } = builder;
  if (dice.chance(0.1)) return { text: null, valid: true };
  const lines: string[] = [];
  for (const log of builder.logs) {
    if (dice.chance(0.2)) continue;
    const when = dice.chance(0.1) ? now + dice.int(1, 30) * DAY : now - dice.int(0, 800) * (DAY / 24);
    const quoted = `${ROOT}/${log}`.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
    lines.push(`"${quoted}" ${stamp(when)}`);
  }
  const damage = dice.chance(0.08) ? dice.int(0, 4) : -1;
  switch (damage) {
    case 0:
      lines.splice(dice.int(0, lines.length), 0, `"${ROOT}/logs/app/a.log" 2026-13-1-0:0:0`);
      break;
    case 1:
      lines.splice(dice.int(0, lines.length), 0, 'not a state line at all');
      break;
    case 2:
      return { text: `logrotate state -- version 3\n${lines.join('\n')}\n`, valid: false };
    case 3:
      return { text: `logrotate state -- version 2\n${lines.join('\n')}`, valid: lines.length === 0 };
    case 4:
      return { text: '', valid: true };
  }
  const header = dice.chance(0.1) ? 'logrotate state -- version 1' : 'logrotate state -- version 2';
  return { text: `${header}\n${lines.map((l) => `${l}\n`).join('')}`, valid: damage === -1 };
}

export function generateCase(index: number, seed: number, now: number): FuzzCase {
  const dice = new Dice(seed);
  const builder = new Builder(dice, index, dice.chance(0.4));
  builder.tree();
  const confD = dice.chance(0.4);
  const configs: ConfigFile[] = [{ path: MAIN_CONFIG, text: builder.config(dice.int(1, 4), confD), mode: 0o644, uid: 0 }];
  if (confD) {
    configs.push({ path: 'conf.d/extra.conf', text: builder.config(dice.int(1, 2), false), mode: 0o644, uid: 0 });
    // logrotate ignores configs writable by others or owned by someone else.
    configs.push({ path: 'conf.d/unsafe', text: builder.config(1, false), mode: dice.pick([0o664, 0o644]), uid: dice.pick([0, 65534]) });
    configs.push({ path: 'conf.d/skipped.bak', text: builder.config(1, false), mode: 0o644, uid: 0 });
  }
  const state = stateText(builder, now);
  return {
    index,
    seed,
    entries: builder.entries,
    ledger: builder.ledger,
    configs,
    state: state.text,
    stateValid: state.valid,
    statePath: dice.chance(0.03) ? `${META}/state-dir` : `${META}/state`,
    force: dice.chance(0.4),
    namesOutside: builder.namesOutside,
  };
}
