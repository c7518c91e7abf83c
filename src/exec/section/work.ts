// One section's work in progress: what every unit of the runner (steps, scripts, the
// phase order) reads and adds to.
import type { Logger } from '../../logger.js';
import type { SectionPlan, UpkeepStep } from '../../plan/model.js';
import type { StepContext } from '../effects/context.js';
import type { Effects } from '../effects/effects.js';
import type { StepObserver } from '../observer.js';
import type { FinishPool } from './finish-pool.js';
import { SectionLedger } from './ledger.js';

/** What the run hands the executor for one section. */
export interface SectionExecution {
  readonly plan: SectionPlan;
  readonly logger: Logger;
  readonly now: Date;
  readonly mailCommand: string;
  /** What the steps do: for real, or previewed for -d. */
  readonly effects: Effects;
  /** Told about every step before and after it happens (the rotation journal). */
  readonly observer?: StepObserver;
  /** Finishing steps of logs may run in the background here (not with sharedscripts,
   * su, or scripts and mail among them); `logger` must then be the pool's. */
  readonly pool?: FinishPool;
  /** Plans the section's upkeep (budget removals) once its rotations are done, on the
   * tree as they left it; the steps run before lastaction. */
  readonly planUpkeep?: () => readonly UpkeepStep[];
}


export interface SectionWork {
  readonly plan: SectionPlan;
  readonly ctx: StepContext;
  readonly effects: Effects;
  readonly ledger: SectionLedger;
  readonly observer: StepObserver | null;
  readonly pool: FinishPool | null;
}

export function sectionWork(job: SectionExecution): SectionWork {
  const { plan, logger, now, mailCommand } = job;
  return {
    plan,
    ctx: { options: plan.options, pattern: plan.section.pattern, logger, now, mailCommand },
    effects: job.effects,
    ledger: new SectionLedger(plan),
    observer: job.observer ?? null,
    pool: job.pool ?? null,
  };
}

/** Before a child that shares our output or may look at the tree: every background
 * task done, every record and line out. */
export async function quiesce(work: SectionWork): Promise<void> {
  await work.pool?.drain();
  work.observer?.flush?.();
  work.ctx.logger.flush?.();
}
