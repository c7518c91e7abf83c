// minfree: when a filesystem holding rotations has less free space than a section asks
// for, rotations of the sections that set minfree there go, oldest first across those
// sections, until each section's figure is met. A section whose figure is met keeps its
// files even while another's is not; removals only free space, so it stays met.
import type { FreeSpace, Section } from '../config/model.js';
import type { MessageLine } from './message.js';
import { byAge } from './family.js';
import { familiesOf, type PurgeContext } from './log-budgets.js';
import type { SpaceFact } from './model.js';
import { dirname } from './paths.js';
import type { FilesystemPurge, FreeSpacePlan, Removal, RotatedFile, Shortfall } from './purge-model.js';

interface Candidate {
  readonly file: RotatedFile;
  readonly log: string;
  readonly section: Section;
}

interface Want {
  readonly minFree: FreeSpace;
  /** In bytes. */
  readonly wanted: number;
}

interface Filesystem {
  readonly dir: string;
  readonly dev: number;
  readonly free: number;
  readonly total: number;
  /** The sections that set minfree here, in config order, and what each asks for. */
  readonly wants: Map<Section, Want>;
  readonly candidates: Candidate[];
}

/** The bytes `minFree` asks for on a filesystem of `total` bytes. */
export function wantedBytes(minFree: FreeSpace, total: number): number {
  return minFree.kind === 'bytes' ? minFree.bytes : Math.ceil((total * minFree.percent) / 100);
}

export function planFreeSpace(sections: readonly Section[], ctx: PurgeContext): FreeSpacePlan {
  const spaces = new Map<string, SpaceFact>();
  const filesystems = new Map<number, Filesystem>();
  const messages: MessageLine[] = [];
  /** The filesystem holding `dir`, once its free space is known. */
  const holding = (dir: string): Filesystem | null => {
    let space = spaces.get(dir);
    if (space === undefined) {
      space = ctx.fs.statfs?.(dir) ?? { kind: 'error', message: 'free space not known' };
      spaces.set(dir, space);
      if (space.kind === 'error') messages.push({ severity: 'error', text: `cannot read the free space of ${dir}: ${space.message}` });
    }
    if (space.kind === 'error') return null;
    let fs = filesystems.get(space.dev);
    if (fs === undefined) {
      fs = { dir, dev: space.dev, free: space.free, total: space.total, wants: new Map(), candidates: [] };
      filesystems.set(space.dev, fs);
    }
    return fs;
  };
  const seen = new Set<string>();
  for (const section of sections) {
    const minFree = section.options.minFree;
    if (minFree === null) continue;
    for (const family of familiesOf(section, ctx)) {
      const home = holding(family.dir);
      if (home !== null && !home.wants.has(section)) home.wants.set(section, { minFree, wanted: wantedBytes(minFree, home.total) });
      for (const file of family.files) {
        if (seen.has(file.path)) continue;
        seen.add(file.path);
        // Only a filesystem the section watches: a leftover beside the log, on another
        // filesystem than the olddir, frees nothing there.
        const fs = holding(dirname(file.path));
        if (fs?.wants.has(section) === true && ctx.held?.(file.path, section) !== true) fs.candidates.push({ file, log: family.log, section });
      }
    }
  }
  return { filesystems: [...filesystems.values()].filter((fs) => fs.wants.size > 0).map(purgeFilesystem), messages };
}

function purgeFilesystem(fs: Filesystem): FilesystemPurge {
  let free = fs.free;
  const most = Math.max(...[...fs.wants.values()].map((want) => want.wanted));
  const removals: Removal[] = [];
  for (const candidate of fs.candidates.sort((a, b) => byAge(a.file, b.file))) {
    if (free >= most) break;
    const want = fs.wants.get(candidate.section);
    if (want === undefined || free >= want.wanted) continue;
    const rule = { kind: 'minfree', minFree: want.minFree, wanted: want.wanted, free, total: fs.total } as const;
    removals.push({ kind: 'remove', log: candidate.log, file: candidate.file, rule });
    // Another link keeps the data: removing this name frees nothing.
    if (candidate.file.nlink === 1) free += candidate.file.size;
  }
  const shortfalls: Shortfall[] = [...fs.wants]
    .filter(([, want]) => free < want.wanted)
    .map(([section, want]) => ({ section, dir: fs.dir, wanted: want.wanted, free, total: fs.total }));
  return { dir: fs.dir, dev: fs.dev, free: fs.free, total: fs.total, removals, shortfalls };
}
