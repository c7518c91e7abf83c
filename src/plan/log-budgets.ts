// The budgets of each log, on every run whether or not it rotates: `maxage` under
// `purgealways`, then `maxtotalsize`. Both take the oldest rotations first, so what
// stays is always a log's newest rotations, without a gap.
import type { Section } from '../config/model.js';
import { ageInDays } from './calendar.js';
import { checkParent, type DecisionContext } from './decide.js';
import { familyOf, Listings } from './family.js';
import type { FsView } from './model.js';
import { groupNoRename } from './norename.js';
import { rotationDir } from './paths.js';
import type { Removal, RotatedFile } from './purge-model.js';

export interface PurgeContext extends Pick<DecisionContext, 'now' | 'isRoot'> {
  readonly fs: FsView;
  /** The live logs of the run: never taken for a rotation, whatever their names. */
  readonly protect: ReadonlySet<string>;
  /** Rotations that must stay whatever the budgets say (an archiving section's files
   * its archive does not have yet): they count, but are never chosen. */
  readonly held?: (path: string, section: Section) => boolean;
}

/** One log's rotations, oldest first (norename: one group's finished files). */
export interface Family {
  readonly log: string;
  /** Where the rotations go: the filesystems minfree watches for the section. */
  readonly dir: string;
  readonly files: readonly RotatedFile[];
}

/** Every family of a section; logs whose directory is refused (insecure, or missing
 * with missingok) have none, as they have no rotation. */
export function familiesOf(section: Section, ctx: PurgeContext): Family[] {
  const o = section.options;
  if (o.noRename) {
    const { groups } = groupNoRename(section, ctx);
    return groups.map((g) => ({ log: g.live[0] ?? g.first, dir: g.dir, files: g.finished }));
  }
  const listings = new Listings(ctx.fs);
  return [...new Set(section.files)]
    .filter((log) => checkParent(log, o, ctx).kind === 'ok')
    .map((log) => ({ log, dir: rotationDir(log, o.oldDir), files: familyOf(log, o, ctx.fs, ctx.protect, listings) }));
}

/** True when the section sets a budget planBudgets enforces: sections without one cost
 * nothing, not even a readdir. */
export function hasLogBudget(section: Section): boolean {
  const o = section.options;
  return o.maxTotalSize > 0 || purgesByAge(section);
}

/** norename sections apply maxage in their own work (norename.ts), on every run anyway. */
function purgesByAge(section: Section): boolean {
  const o = section.options;
  return o.purgeAlways && o.maxAge > 0 && !o.noRename;
}

export function planBudgets(section: Section, ctx: PurgeContext): Removal[] {
  if (!hasLogBudget(section)) return [];
  const o = section.options;
  const removals: Removal[] = [];
  for (const family of familiesOf(section, ctx)) {
    let files = family.files;
    if (purgesByAge(section)) {
      const young: RotatedFile[] = [];
      for (const file of files) {
        const ageDays = ageInDays(ctx.now.getTime(), file.mtimeMs);
        if (ageDays > o.maxAge && ctx.held?.(file.path, section) !== true) removals.push({ kind: 'remove', log: family.log, file, rule: { kind: 'maxage', maxAge: o.maxAge, ageDays } });
        else young.push(file);
      }
      files = young;
    }
    if (o.maxTotalSize > 0) removals.push(...overBudget(family.log, files, o.maxTotalSize, (path) => ctx.held?.(path, section) === true));
  }
  return removals;
}

/** The oldest files go until the rest add up to `limit` or less. */
function overBudget(log: string, files: readonly RotatedFile[], limit: number, held: (path: string) => boolean): Removal[] {
  let total = files.reduce((sum, file) => sum + file.size, 0);
  const removals: Removal[] = [];
  for (const file of files) {
    if (total <= limit) break;
    if (held(file.path)) continue;
    removals.push({ kind: 'remove', log, file, rule: { kind: 'maxtotalsize', limit, total } });
    total -= file.size;
  }
  return removals;
}
