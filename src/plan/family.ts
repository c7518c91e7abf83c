// A log's rotations on disk, its "family": what maxtotalsize, purgealways and minfree
// count and remove. Names are those the rotation planner gives (names.ts), numbered and
// dated alike and with or without the compression extension, because switching
// `dateext` or `compress` leaves the other kind behind. The log's own part of the name
// is compared literally, never as a glob: these are files to delete.
import type { LogOptions } from '../config/model.js';
import { compileDateFormat, dateSortKey, type DateFormat } from './dateformat.js';
import { byteOrder, globMatcher } from './glob.js';
import type { FsView } from './model.js';
import { rotationNames, type RotationNames } from './names.js';
import { dirname } from './paths.js';
import type { RotatedFile } from './purge-model.js';

interface Member {
  readonly file: RotatedFile;
  /** Among rotations of one kind with the same mtime, the older comes first by this:
   * the higher index, or the earlier date of a custom dateformat. null: by name. */
  readonly kind: 'numbered' | 'dated';
  readonly order: number | null;
}

/** The directories a log's rotations are in: the rotation directory, and with olddir
 * the log's own directory too, where rotations made before olddir was set stay. */
export function familyDirs(log: string, options: LogOptions): string[] {
  const dir = rotationNames(log, options).dir;
  return options.oldDir === null ? [dir] : [...new Set([dir, dirname(log)])];
}

/** The directory listings of one planning step, sorted so that the names sharing a
 * prefix sit together: a directory of a thousand logs is read once, not once a log. */
export class Listings {
  private readonly sorted = new Map<string, readonly string[]>();

  constructor(private readonly fs: FsView) {}

  startingWith(dir: string, prefix: string): string[] {
    let names = this.sorted.get(dir);
    if (names === undefined) {
      names = [...(this.fs.readdir(dir) ?? [])].sort();
      this.sorted.set(dir, names);
    }
    let low = 0;
    let high = names.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((names[middle] ?? '') < prefix) low = middle + 1;
      else high = middle;
    }
    const found: string[] = [];
    for (let i = low; i < names.length && (names[i] ?? '').startsWith(prefix); i++) found.push(names[i] ?? '');
    return found;
  }
}

/** `log`'s rotations, oldest first: regular files only, never a path in `protect` (the
 * live logs of the run). `listings` may be shared by the calls of one planning step,
 * while the tree does not change. */
export function familyOf(
  log: string,
  options: LogOptions,
  fs: FsView,
  protect: ReadonlySet<string>,
  listings = new Listings(fs),
): RotatedFile[] {
  const names = rotationNames(log, options);
  const format = compileDateFormat(options.dateFormat, options.criterion);
  const dated = typeof format === 'string' ? null : { format, matches: globMatcher(format.globPattern) };
  const members: Member[] = [];
  for (const dir of familyDirs(log, options)) {
    for (const name of listings.startingWith(dir, names.base)) {
      const tail = rotationTail(name, names, options.compressExt);
      if (tail === null) continue;
      const numbered = /^\.[0-9]+$/.test(tail);
      if (!numbered && dated?.matches(tail) !== true) continue;
      const path = `${dir}/${name}`;
      if (protect.has(path)) continue;
      const fact = fs.lstat(path);
      if (fact.kind !== 'present' || fact.type !== 'file') continue;
      const file = { path, size: fact.size, mtimeMs: fact.mtimeMs, nlink: fact.nlink };
      if (numbered) members.push({ file, kind: 'numbered', order: -Number(tail.slice(1)) });
      else members.push({ file, kind: 'dated', order: datedOrder(dated?.format, tail) });
    }
  }
  return members.sort(oldestFirst).map((member) => member.file);
}

/** What stands between BASE and EXT in `name` (after taking off CEXT), or null when the
 * name is not BASE…EXT[CEXT]. */
function rotationTail(name: string, names: RotationNames, cext: string): string | null {
  const plain = cext !== '' && name.endsWith(cext) ? name.slice(0, name.length - cext.length) : name;
  if (plain.length < names.base.length + names.ext.length) return null;
  if (!plain.startsWith(names.base) || !plain.endsWith(names.ext)) return null;
  return plain.slice(names.base.length, plain.length - names.ext.length);
}

/** A custom dateformat need not sort by name; logrotate orders those by the parsed date. */
function datedOrder(format: DateFormat | undefined, tail: string): number | null {
  return format?.custom === true ? dateSortKey(format, tail) : null;
}

function oldestFirst(a: Member, b: Member): number {
  if (a.file.mtimeMs !== b.file.mtimeMs) return a.file.mtimeMs - b.file.mtimeMs;
  if (a.kind === b.kind && a.order !== null && b.order !== null && a.order !== b.order) return a.order - b.order;
  return byteOrder(a.file.path, b.file.path);
}

/** Oldest first for files of no particular naming (norename's finished files, minfree's
 * candidates across sections): by mtime, then by name. */
export function byAge(a: RotatedFile, b: RotatedFile): number {
  return a.mtimeMs - b.mtimeMs || byteOrder(a.path, b.path);
}
