// What watch mode looks at for the disk budgets (docs/budgets.md): the directories
// holding rotations of logs under `maxtotalsize`, whose changes may put a log over it,
// and those of sections under `minfree`, whose filesystems' free space is read. Pure.
import type { Section } from '../config/model.js';
import { dirname, rotationDir } from '../plan/paths.js';
import type { Removal } from '../plan/purge-model.js';

export interface BudgetTargets {
  /** The sections that set minfree: what planFreeSpace plans over. */
  readonly freeSpace: readonly Section[];
  /** maxtotalsize: each directory holding rotations, with the sections that have some there. */
  readonly totals: ReadonlyMap<string, readonly Section[]>;
}

const GLOB_CHARS = /[*?[]/;

/** Where a section's rotations are: each log's rotation directory and, with olddir, the
 * log's own (older rotations stay there); under norename, the matched files' directories.
 * A word that matched nothing names no log yet. */
export function rotationDirs(section: Section): Set<string> {
  const { oldDir, noRename } = section.options;
  const files = section.files.filter((file) => !GLOB_CHARS.test(file));
  return new Set(files.flatMap((file) => (noRename ? [dirname(file)] : [rotationDir(file, oldDir), dirname(file)])));
}

export function budgetTargets(sections: readonly Section[]): BudgetTargets {
  const freeSpace = sections.filter((section) => section.options.minFree !== null);
  const totals = new Map<string, Section[]>();
  for (const section of sections) {
    if (section.options.maxTotalSize <= 0) continue;
    for (const dir of rotationDirs(section)) totals.set(dir, [...(totals.get(dir) ?? []), section]);
  }
  return { freeSpace, totals };
}

/** The logs a run must include to carry out `removals` of `section`: a norename
 * section goes whole (its groups are its files together). */
export function logsToRun(section: Section, removals: readonly Removal[]): string[] {
  return section.options.noRename ? [...section.files] : [...new Set(removals.map((removal) => removal.log))];
}
