// A run's upkeep, on every run whether or not a log rotates: before an archiving
// section's logs rotate, the catch-up of the rotations its archive does not have yet
// (docs/archive.md); each section's budgets right after its own steps (maxage under
// purgealways, maxtotalsize); minfree across the sections once every section ran
// (docs/budgets.md). All planned on the tree as the run's steps left it (the workspace's
// current view: the disk, or -d's would-be tree) and carried out by the executor. A
// rotation an archiving section's archive does not have yet is never chosen for removal.
//
// minfree and the live logs are the whole config's, also in a run limited to a few logs
// (watch): a filesystem's oldest rotations go first whichever log triggered the run, and
// no log of any section is ever taken for a rotation.
import type { Section } from '../config/model.js';
import type { LogWork } from '../exec/section/ledger.js';
import { executeUpkeep } from '../exec/section/upkeep.js';
import type { SectionExecution } from '../exec/section/work.js';
import { describeShortfall } from '../plan/describe-purge.js';
import { planFreeSpace } from '../plan/free-space.js';
import { hasLogBudget, planBudgets, type PurgeContext } from '../plan/log-budgets.js';
import type { SectionPlan, UpkeepStep } from '../plan/model.js';
import { liveLogs } from '../plan/purge.js';
import { upkeepSteps } from '../plan/purge-steps.js';
import { archiveCatchUp } from '../plan/archiving.js';
import type { Workspace } from './workspace.js';

/** What the run-wide minfree did to each log, and whether it failed (a removal failed,
 * or minfree stays unmet). */
export interface FreedSpace {
  readonly failed: boolean;
  readonly work: readonly LogWork[];
}

export class Upkeep {
  private protected: ReadonlySet<string> | null = null;

  /** `sections`: every section of the config, whatever part of it this run rotates. */
  constructor(
    private readonly sections: readonly Section[],
    private readonly workspace: Workspace,
    private readonly now: Date,
    private readonly isRoot: boolean,
  ) {}

  /** The archive catch-up of a section, before its logs are planned and rotated: what it
   * did to each log, and whether an upload failed. */
  async catchUp(section: Section, job: Omit<SectionExecution, 'plan' | 'effects'>): Promise<{ failed: boolean; work: LogWork[] }> {
    if (section.options.archive === null) return { failed: false, work: [] };
    const archived = (path: string): boolean => this.workspace.holds(path, section.options) === null;
    const steps = archiveCatchUp(section, this.context(), archived);
    if (steps.length === 0) return { failed: false, work: [] };
    const plan = upkeepOnly(section);
    const work = await executeUpkeep({ ...job, plan, effects: this.workspace.effects(plan) }, steps);
    return { failed: work.some((log) => log.error !== undefined), work };
  }

  /** The section's budgets, planned once its rotations are done; undefined without any. */
  upkeepFor(section: Section): (() => readonly UpkeepStep[]) | undefined {
    if (!hasLogBudget(section)) return undefined;
    return () => upkeepSteps(planBudgets(section, this.context()), section.options);
  }

  /** minfree across sections: removals oldest first on each filesystem, carried out with
   * the options of the section each file belongs to. */
  async freeSpace(job: Omit<SectionExecution, 'plan' | 'effects'>): Promise<FreedSpace> {
    const watching = this.sections.filter((s) => s.options.minFree !== null);
    if (watching.length === 0) return { failed: false, work: [] };
    const plan = planFreeSpace(watching, this.context());
    const { logger } = job;
    let failed = false;
    for (const line of plan.messages) logger[line.severity](line.text);
    failed ||= plan.messages.some((line) => line.severity === 'error');
    const owner = new Map(watching.flatMap((section) => section.files.map((file) => [file, section] as const)));
    const work: LogWork[] = [];
    for (const filesystem of plan.filesystems) {
      const bySection = new Map<Section, UpkeepStep[]>();
      for (const removal of filesystem.removals) {
        const section = owner.get(removal.log);
        if (section === undefined) continue;
        bySection.set(section, [...(bySection.get(section) ?? []), ...upkeepSteps([removal], section.options)]);
      }
      for (const [section, steps] of bySection) {
        const plan = upkeepOnly(section);
        const done = await executeUpkeep({ ...job, plan, effects: this.workspace.effects(plan) }, steps);
        failed ||= done.some((log) => log.error !== undefined);
        work.push(...done);
      }
      for (const shortfall of filesystem.shortfalls) {
        const line = describeShortfall(shortfall);
        logger[line.severity](line.text);
        failed = true;
      }
    }
    return { failed, work };
  }

  private context(): PurgeContext {
    // The live logs of the run, found once: never taken for a rotation, whatever their names.
    this.protected ??= liveLogs(this.sections, { fs: this.workspace.planningView(false), now: this.now, isRoot: this.isRoot });
    return {
      fs: this.workspace.currentView(),
      now: this.now,
      isRoot: this.isRoot,
      protect: this.protected,
      held: (path, section) => this.workspace.holds(path, section.options) !== null,
    };
  }
}

/** The plan upkeep is carried out under: the section's options, and no rotation. */
function upkeepOnly(section: Section): SectionPlan {
  return { section, options: section.options, decisions: [], rotations: [], blocked: false, noRename: null };
}
