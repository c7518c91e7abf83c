// The whole purge of one run in one call, as `-d` and `--json` show it: each section's
// norename work and budgets in config order, then minfree across sections, each step
// planned on the tree the earlier ones leave (an overlay, as the rotation planner does).
// A real run plans the same pieces one by one against the live tree instead: norename
// work in the section's turn, its budgets right after, minfree once every section ran.
import type { Section } from '../config/model.js';
import type { DecisionContext } from './decide.js';
import { planFreeSpace } from './free-space.js';
import { planBudgets, type PurgeContext } from './log-budgets.js';
import type { FsView } from './model.js';
import { groupNoRename, planNoRename } from './norename.js';
import { OverlayFs } from './overlay.js';
import type { NoRenameWork, PurgePlan } from './purge-model.js';

export interface PurgeInput extends Pick<DecisionContext, 'now' | 'isRoot'> {
  readonly sections: readonly Section[];
  /** For `-d`: the tree as the run's rotations leave it (their overlay). */
  readonly fs: FsView;
}

/** The files nothing may purge: every log a renaming section lists, and the files
 * norename sections find the application writing. */
export function liveLogs(sections: readonly Section[], ctx: Pick<PurgeInput, 'fs' | 'now' | 'isRoot'>): Set<string> {
  const live = new Set<string>();
  for (const section of sections) {
    if (!section.options.noRename) section.files.forEach((file) => live.add(file));
    else for (const group of groupNoRename(section, ctx).groups) group.live.forEach((file) => live.add(file));
  }
  return live;
}

export function planPurge(input: PurgeInput): PurgePlan {
  const overlay = new OverlayFs(input.fs, input.now.getTime());
  const ctx: PurgeContext = { fs: overlay, now: input.now, isRoot: input.isRoot, protect: liveLogs(input.sections, input) };
  const sections = input.sections.map((section) => {
    const noRename = section.options.noRename ? planNoRename(section, ctx) : null;
    noRename?.work.forEach((work) => replay(overlay, work));
    const budgets = planBudgets(section, ctx);
    budgets.forEach((removal) => overlay.remove(removal.file.path));
    return { section, noRename, budgets };
  });
  return { sections, freeSpace: planFreeSpace(input.sections, ctx) };
}

/** A norename group's steps on the overlay: removals, then each compression (whose
 * output is counted at the plain file's size, an upper bound). */
function replay(overlay: OverlayFs, work: NoRenameWork): void {
  work.removals.forEach((removal) => overlay.remove(removal.file.path));
  for (const step of work.compressions) {
    overlay.apply({ kind: 'compress', from: step.from, to: step.to, attrsFrom: step.from });
    overlay.apply({ kind: 'remove', path: step.from, reason: 'compressed' });
  }
}
