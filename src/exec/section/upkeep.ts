// Upkeep: the steps that keep a section's rotations within their budgets (maxtotalsize,
// maxage under purgealways, minfree), on every run whether or not a log rotated. Each
// goes through the same step path as a rotation's (lines, journal, effect); a step that
// fails is that log's error and does not stop the others.
import type { LogWork } from './ledger.js';
import { runStep } from './steps.js';
import type { UpkeepStep } from '../../plan/model.js';
import { sectionWork, type SectionExecution, type SectionWork } from './work.js';

export async function runUpkeep(work: SectionWork, steps: readonly UpkeepStep[]): Promise<void> {
  // A file whose mailing failed is kept, as a rotation keeps it.
  const kept = new Set<string>();
  for (const { log, action } of steps) {
    if (action.kind === 'remove' && kept.has(action.path)) continue;
    const ok = await runStep(work, action, log, 'finish', work.ctx);
    if (!ok && action.kind === 'mail') kept.add(action.path);
  }
}

/** Upkeep planned for the whole run (minfree, across sections), carried out with one
 * section's options: which logs it touched, and how. */
export async function executeUpkeep(job: SectionExecution, steps: readonly UpkeepStep[]): Promise<LogWork[]> {
  const work = sectionWork({ ...job, plan: { ...job.plan, decisions: [] } });
  await runUpkeep(work, steps);
  return work.ledger.touched();
}
