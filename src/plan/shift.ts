// The shift of numbered rotations. logrotate walks every index from the top of the rotate
// count down to `start`, renaming each old log one index up, with a line or two of -v
// output per index; with `rotate 2147483647` that walk takes hours. The planner asks the
// directory which indices hold a file and plans only those: the runs of indices between
// them become one `shift-gap` action each, which -v and -d describe as logrotate would.
import { globInDir } from './glob.js';
import type { Action, FsView } from './model.js';

/** C `int` arithmetic, as logrotate's counters: `start + rotate` wraps past 2^31 - 1. */
export function int32(n: number): number {
  return n | 0;
}

/** The counters logrotate prints with each index of the walk. */
export interface Walk {
  readonly rotateCount: number;
  readonly logStart: number;
}

type Gap = Extract<Action, { kind: 'shift-gap' }>;

const DECIMAL = /^(?:0|-?[1-9][0-9]*)$/;
/** More indices than this in a directory that cannot be listed are not tried one by one. */
const UNLISTED_WALK_LIMIT = 100_000;
/** A gap of more indices than this is described by its first and last index and one line
 * for those between, instead of a line or two for each. logrotate (about 100,000 indices
 * a second with -v) prints them all; below this limit, so does logrotor. */
export const GAP_LINES_LIMIT = 100_000;

/** The indices from `high` down to `low` that `names` (a directory's entries, given by
 * their base names) hold, highest first. */
export function heldIndices(names: readonly string[], base: string, suffix: string, low: number, high: number): number[] {
  const held: number[] = [];
  const head = `${base}.`;
  for (const name of names) {
    if (name.length <= head.length + suffix.length || !name.startsWith(head) || !name.endsWith(suffix)) continue;
    const digits = name.slice(head.length, name.length - suffix.length);
    if (!DECIMAL.test(digits)) continue;
    const index = Number(digits);
    if (index >= low && index <= high) held.push(index);
  }
  return held.sort((a, b) => b - a);
}

/** The indices of the walk from `high` down to `low` that hold a file in `dir`, highest
 * first, or why they cannot be known. A missing directory holds none (under -d the olddir
 * createolddir would make is missing). A directory that cannot be listed may still hold
 * rotations (searchable but not readable, under su): every index is then tried, as
 * logrotate does, unless there are too many to try. */
export function indicesToWalk(fs: FsView, dir: string, base: string, suffix: string, low: number, high: number): number[] | string {
  const names = fs.readdir(dir);
  if (names !== null) return heldIndices(names, base, suffix, low, high);
  if ((fs.stat?.(dir) ?? fs.lstat(dir)).kind === 'absent') return [];
  if (high - low >= UNLISTED_WALK_LIMIT) return `cannot list ${dir} to find the old logs among ${high - low + 1} indices`;
  return Array.from({ length: Math.max(0, high - low + 1) }, (_, k) => high - k);
}

/** The largest N of `BASE.N SUFFIX` in `dir` (0 when none): `rotate -1` takes it as the
 * count. N is read as sscanf("%d%c") == 1 does: an integer, leading blanks and a sign
 * allowed, and nothing after it. */
export function highestIndex(fs: FsView, dir: string, base: string, suffix: string): number {
  const prefix = dir.length + 1 + base.length + 1;
  let last = 0;
  for (const path of globInDir(fs, dir, `${base}.*${suffix}`)) {
    if (path.length <= prefix + suffix.length) continue;
    const index = /^\s*([+-]?\d+)$/.exec(path.slice(prefix, path.length - suffix.length));
    if (index !== null) last = Math.max(last, Number(index[1]));
  }
  return last;
}

/** logrotate's -v/-d line for index `index` of the walk. */
export function shiftLine(from: string, to: string, walk: Walk, index: number): string {
  return `renaming ${from} to ${to} (rotatecount ${walk.rotateCount}, logstart ${walk.logStart}, i ${index}), `;
}

/** What logrotate prints while it walks the indices of a gap: under -d the renaming line
 * of each index, in a real run also that the old log does not exist; with maxage only the
 * latter (it stats each index before renaming). */
export function describeGap(gap: Gap, maxAge: boolean, dryRun: boolean): string[] {
  const name = (index: number): string => `${gap.prefix}${index}${gap.suffix}`;
  const at = (index: number): string[] => {
    const missing = `old log ${name(index)} does not exist`;
    if (maxAge) return [missing];
    const renaming = shiftLine(name(index), name(int32(index + 1)), gap, index);
    return dryRun ? [renaming] : [renaming, missing];
  };
  const count = gap.top - gap.bottom + 1;
  if (count > GAP_LINES_LIMIT) {
    const between = `old logs ${name(gap.top - 1)} down to ${name(gap.bottom + 1)} do not exist (${count - 2} indices, not walked one by one)`;
    return [...at(gap.top), between, ...at(gap.bottom)];
  }
  const lines: string[] = [];
  for (let index = gap.top; index >= gap.bottom; index--) lines.push(...at(index));
  return lines;
}
