// One step of a rotation: its progress lines (printed as logrotate prints them, right
// around the step, so after a failure nothing names a step that did not run), the
// journal told before and after, the effect, and the ledger's record of it.
import type { LogOptions } from '../../config/model.js';
import { describeMoved, describeStep, type Phase } from '../../plan/describe.js';
import type { Action, LogRotation } from '../../plan/model.js';
import { strerror } from '../../strerror.js';
import type { StepContext } from '../effects/context.js';
import { perform } from '../effects/effects.js';
import { failure, type Outcome } from '../effects/outcome.js';
import { quiesce, type SectionWork } from './work.js';

/** The steps of one phase of `r`, in order, up to the first failure. `ctx` is the
 * section's, or a background task's (its own logger). */
export async function runPhase(work: SectionWork, r: LogRotation, phase: Phase, ctx: StepContext = work.ctx): Promise<boolean> {
  for (const [index, action] of r[phase].entries()) {
    const ok = await runStep(work, action, r.log, phase, ctx);
    if (phase === 'rotate' && index === 0) for (const line of describeMoved(r, ctx.options)) ctx.logger[line.severity](line.text);
    if (!ok) return false;
  }
  return true;
}

/** False when the step failed, which is then printed and recorded against the log. */
export async function runStep(work: SectionWork, action: Action, log: string, phase: Phase, ctx: StepContext): Promise<boolean> {
  const lines = describeStep(action, ctx.options, phase);
  for (const line of lines.before) ctx.logger.debug(line);
  // preremove, shred and mail write to our stderr (never in a background task).
  if (runsAChild(action, ctx.options)) await quiesce(work);
  const outcome = await observed(work, action, log, ctx);
  if (!outcome.ok) {
    ctx.logger.error(outcome.error);
    work.ledger.logFailed(log, outcome.error);
    return false;
  }
  for (const line of lines.after) ctx.logger.debug(line);
  for (const note of outcome.notes ?? []) ctx.logger.debug(note);
  if (outcome.warning !== undefined) ctx.logger.warning(outcome.warning);
  if (outcome.problem !== undefined) {
    ctx.logger.error(outcome.problem);
    work.ledger.setBack(log, outcome.problem);
  }
  if (action.kind === 'stamp') work.ledger.stamped(action.log, action.time);
  // The report lists what happened: a shift of a rotation that never existed did not.
  if (outcome.nothing !== true) work.ledger.did(log, [...lines.before, ...lines.after, ...(outcome.notes ?? [])]);
  else if (outcome.warning !== undefined) work.ledger.did(log, [`warning: ${outcome.warning}`]);
  return true;
}

function runsAChild(action: Action, options: LogOptions): boolean {
  if (action.kind === 'mail') return true;
  // renamecopy's `.tmp` is unlinked plainly (remove.ts).
  return action.kind === 'remove' && action.reason !== 'renamecopy-tmp' && (options.shred || options.scripts.preremove !== undefined);
}

async function observed(work: SectionWork, action: Action, log: string, ctx: StepContext): Promise<Outcome> {
  const { observer } = work;
  try {
    await observer?.before(action, log);
  } catch (err) {
    return failure(`cannot record the ${action.kind} step of ${log} before doing it: ${strerror(err)}`);
  }
  const outcome = await perform(work.effects, action, ctx);
  if (outcome.ok) await observer?.after(action, log);
  else await observer?.failed?.(action, log);
  return outcome;
}
