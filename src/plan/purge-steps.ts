// The purge as plan actions: a removal the budgets or norename decided is mailed first
// where `mail` is set, then removed through the same `remove` step as the rotation
// count (preremove, shred, the journal); norename's compressions are the rotation's
// own compress-then-remove pair. A norename group's work is carried out as a rotation
// of its live log that renames nothing.
import type { LogOptions, Section } from '../config/model.js';
import type { Action, LogDecision, LogRotation, RemoveReason, SectionPlan, UpkeepStep } from './model.js';
import type { NoRenameWork, PurgeRule, Removal } from './purge-model.js';
import { resumedRotation } from './resumed.js';

const REASON: Readonly<Record<PurgeRule['kind'], RemoveReason>> = {
  rotate: 'rotate-count',
  maxage: 'maxage',
  maxtotalsize: 'maxtotalsize',
  minfree: 'minfree',
};

export function removalSteps(removal: Removal, options: LogOptions): Action[] {
  const { path } = removal.file;
  const remove: Action = { kind: 'remove', path, reason: REASON[removal.rule.kind], rule: removal.rule };
  if (options.mail === null) return [remove];
  // The file as it is: only a compressed one goes through uncompresscmd.
  const uncompress = options.compressExt !== '' && path.endsWith(options.compressExt);
  return [{ kind: 'mail', path, address: options.mail, subject: path, uncompress }, remove];
}

/** The budgets' removals as upkeep steps of their logs. */
export function upkeepSteps(removals: readonly Removal[], options: LogOptions): UpkeepStep[] {
  return removals.flatMap((removal) => removalSteps(removal, options).map((action) => ({ log: removal.log, action })));
}

/** Removals first (`prepare`), then the compressions (`finish`), with the group's live
 * log as `$1` of its scripts and the newest kept file as `$2` of postrotate. */
export function noRenameRotation(work: NoRenameWork, options: LogOptions): LogRotation {
  return resumedRotation({
    log: work.log,
    prepare: work.removals.flatMap((removal) => removalSteps(removal, options)),
    rotate: [],
    finalName: work.finalName ?? work.log,
    finish: work.compressions.flatMap((c): Action[] => [
      { kind: 'compress', from: c.from, to: c.to, attrsFrom: c.from },
      { kind: 'remove', path: c.from, reason: 'compressed' },
    ]),
  });
}

/** A norename group with work: no state entry, nothing renamed. */
export function noRenameDecision(work: NoRenameWork, now: Date): LogDecision {
  return { path: work.log, verdict: { kind: 'rotate', why: 'norename' }, lastRotated: now, newStateEntry: false, reasons: [], future: false, parentMissing: false };
}

/** Upkeep as the journal records it: one rotation per log whose finishing steps are its
 * removals, with only the scripts upkeep runs (preremove), so that recovery finishes
 * them as such and never runs a rotation's scripts for them. */
export function upkeepPlan(section: Section, steps: readonly UpkeepStep[]): SectionPlan {
  const { preremove } = section.options.scripts;
  const options: LogOptions = { ...section.options, sharedScripts: false, scripts: preremove === undefined ? {} : { preremove } };
  const byLog = new Map<string, Action[]>();
  for (const { log, action } of steps) byLog.set(log, [...(byLog.get(log) ?? []), action]);
  const rotations = [...byLog].map(([log, finish]) => resumedRotation({ log, prepare: [], rotate: [], finalName: log, finish }));
  return { section, options, decisions: [], rotations, blocked: false, noRename: null };
}
