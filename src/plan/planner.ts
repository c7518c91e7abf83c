// The pure planner: options, state, filesystem facts and one `now` in, plan out.
// Every file of a section is decided first (as logrotate does before touching
// anything); then the rotating ones are prepared, rotated and finished, interleaved
// per log or phase by phase (sharedscripts) so each step sees its predecessors' tree.
import type { Section } from '../config/model.js';
import { withArchiving } from './archiving.js';
import { decide } from './decide.js';
import type { LogDecision, Plan, PlanInput, SectionPlan } from './model.js';
import { hasWork, planNoRename } from './norename.js';
import { OverlayFs } from './overlay.js';
import { noRenameDecision, noRenameRotation } from './purge-steps.js';
import { RotationBuilder } from './rotation.js';

/** `signals`: the log's finishing steps send the section's signal (with sharedscripts only
 * the first log's do, so it goes once, as a shared postrotate runs once). */
const PHASES: readonly ((b: RotationBuilder, signals: boolean) => void)[] = [
  (b) => b.prepareNames(),
  (b) => b.rotateLog(),
  (b, signals) => b.finishLog(signals),
];

export function planSection(section: Section, input: Omit<PlanInput, 'sections'>): SectionPlan {
  const options = section.options;
  // The application rotates these itself: nothing is decided or renamed, the finished
  // files are compressed and purged (norename.ts).
  if (options.noRename) return noRenamePlan(section, input);
  const decisions = section.files.map((path) => decide(path, options, input));
  // main: with sharedscripts one failed decision stops the whole group before any renaming.
  const blocked = options.sharedScripts && decisions.some((d) => d.verdict.kind === 'error');
  const due = blocked ? [] : decisions.filter(isDue);
  // Most sections of a big config have nothing due, and need no overlay.
  const overlay = due.length === 0 ? undefined : new OverlayFs(input.fs, input.now.getTime());
  const builders = overlay === undefined ? [] : due.map((d) => new RotationBuilder(d.path, options, d.stat, input.now, overlay));
  if (options.sharedScripts) {
    for (const phase of PHASES) builders.forEach((builder, i) => phase(builder, i === 0));
  } else {
    for (const builder of builders) PHASES.forEach((phase) => phase(builder, true));
  }
  const rotations = builders.map((b) => withArchiving(b.build(), options, input.now));
  return { section, options, decisions, rotations, blocked, noRename: null };
}

function noRenamePlan(section: Section, input: Omit<PlanInput, 'sections'>): SectionPlan {
  const plan = planNoRename(section, input);
  const work = plan.work.filter(hasWork);
  return {
    section,
    options: section.options,
    decisions: work.map((w) => noRenameDecision(w, input.now)),
    rotations: work.map((w) => withArchiving(noRenameRotation(w, section.options), section.options, input.now)),
    blocked: false,
    noRename: plan,
  };
}

/** The state times the section's decisions give its logs (a norename section keeps none:
 * the application rotates those). */
export function stateTimes(plan: SectionPlan): [string, Date][] {
  return plan.noRename !== null ? [] : plan.decisions.map((decision) => [decision.path, decision.lastRotated]);
}

function isDue(decision: LogDecision): decision is LogDecision & { readonly stat: NonNullable<LogDecision['stat']> } {
  return decision.verdict.kind === 'rotate' && decision.stat !== undefined;
}

/** Every section against the same view: right for `-d` and `--json`, where nothing
 * changes between sections; a real run calls planSection right before each section. */
export function plan(input: PlanInput): Plan {
  return { now: input.now, sections: input.sections.map((section) => planSection(section, input)) };
}
