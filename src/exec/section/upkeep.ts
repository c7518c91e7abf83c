// Upkeep: the steps that keep a section's rotations within their budgets (maxtotalsize,
// maxage under purgealways, minfree), on every run whether or not a log rotated. Each
// goes through the same step path as a rotation's (lines, journal, effect); a step that
// fails is that log's error and does not stop the others.
import { upkeepPlan } from '../../plan/purge-steps.js';
import type { UpkeepStep } from '../../plan/model.js';
import { strerror } from '../../strerror.js';
import { enterIdentity, inIdentity, leaveIdentity } from '../su.js';
import type { LogWork } from './ledger.js';
import { runStep } from './steps.js';
import { sectionWork, type SectionExecution, type SectionWork } from './work.js';

export async function runUpkeep(work: SectionWork, steps: readonly UpkeepStep[]): Promise<void> {
  if (steps.length === 0) return;
  // The journal learns every removal first, as it learns a rotation's steps: a run killed
  // halfway (a file shredded in part, mailed but not removed) is finished by recovery
  // exactly as this run decided, not decided afresh.
  await work.observer?.section?.(upkeepPlan(work.plan.section, steps)).catch((err: unknown) => {
    work.ctx.logger.warning(`rotation journal unavailable: ${strerror(err)}`);
  });
  // A file whose mailing failed is kept, as a rotation keeps it.
  const kept = new Set<string>();
  for (const { log, action } of steps) {
    if (action.kind === 'remove' && kept.has(action.path)) continue;
    const ok = await runStep(work, action, log, 'finish', work.ctx);
    if (!ok && action.kind === 'mail') kept.add(action.path);
  }
}

/** Upkeep planned for the whole run (minfree, across sections), carried out with one
 * section's options and, with `su`, its identity: which logs it touched, and how. */
export async function executeUpkeep(job: SectionExecution, steps: readonly UpkeepStep[]): Promise<LogWork[]> {
  const work = sectionWork({ ...job, plan: { ...job.plan, decisions: [] } });
  const su = work.ctx.options.su;
  const entered = su === null || inIdentity(su) ? null : enterIdentity(su, work.ctx.logger);
  if (entered?.ok === false) {
    work.ctx.logger.error(entered.error);
    return steps.map(({ log }) => ({ path: log, pattern: work.ctx.pattern, actions: [], error: entered.error }));
  }
  try {
    await runUpkeep(work, steps);
  } finally {
    if (entered !== null) leaveIdentity(work.ctx.logger);
  }
  return work.ledger.touched();
}
