// Carries out one section's plan in logrotate's order (main branch): firstaction → per
// log (or, with sharedscripts, per phase across the logs) prerotate, prepare, rotate,
// postrotate, finish → lastaction. What a failure stops is the ledger's rule; each step
// goes through steps.ts, each script through scripts.ts.
import type { ScriptKind } from '../../config/model.js';
import { describePreparation, describePrepared } from '../../plan/describe.js';
import type { Action, LogRotation, SectionPlan } from '../../plan/model.js';
import { rotationNames } from '../../plan/rotation-names.js';
import { strerror } from '../../strerror.js';
import { enterIdentity, inIdentity, leaveIdentity } from '../su.js';
import type { SectionResult } from './ledger.js';
import { runScript, sectionScript } from './scripts.js';
import { rotationsThatFit } from './space-preflight.js';
import { runPhase } from './steps.js';
import { runUpkeep } from './upkeep.js';
import { sectionWork, type SectionExecution, type SectionWork } from './work.js';

export interface StartedSection {
  /** Settles once the section's finishing steps left in the pool are done too. */
  readonly finished: Promise<SectionResult>;
}

/** Runs the section up to the finishing steps it leaves to the pool. */
export async function startSection(job: SectionExecution): Promise<StartedSection> {
  const work = sectionWork(job);
  const background: Promise<void>[] = [];
  // The run takes the su identity before planning; other callers (crash recovery) get
  // it here.
  const su = work.ctx.options.su;
  const entered = su === null || inIdentity(su) ? null : enterIdentity(su, work.ctx.logger);
  if (entered?.ok === false) {
    work.ctx.logger.error(entered.error);
    work.ledger.sectionFailed();
  } else {
    try {
      await rotateAll(job, work, background);
    } finally {
      if (entered !== null) leaveIdentity(work.ctx.logger);
    }
  }
  return { finished: Promise.all(background).then(() => work.ledger.result()) };
}

export async function executeSection(job: SectionExecution): Promise<SectionResult> {
  return (await startSection(job)).finished;
}

async function rotateAll(job: SectionExecution, work: SectionWork, background: Promise<void>[]): Promise<void> {
  const { ctx, plan, ledger } = work;
  const rotations = rotationsThatFit(plan.rotations, (log, problem) => {
    ctx.logger.error(problem);
    ledger.setBack(log, problem);
  });
  if (rotations.length > 0) await announce(work, { ...plan, rotations });
  const failed = (kind: string) => (why: string) => `error running ${kind} script for ${ctx.pattern}: ${why}`;
  if (!(await sectionScript(work, 'firstaction', failed('first action')))) return;
  if (ctx.options.sharedScripts) await shared(work, rotations);
  else for (const rotation of rotations) await unshared(work, rotation, background);
  if (job.planUpkeep !== undefined) {
    // Planned on the tree as this section's steps, background ones included, left it.
    await Promise.all(background);
    await runUpkeep(work, job.planUpkeep());
  }
  await sectionScript(work, 'lastaction', failed('last action'));
}

/** The journal learns the section's whole plan before its first step or script. */
async function announce(work: SectionWork, plan: SectionPlan): Promise<void> {
  await work.observer?.section?.(plan).catch((err: unknown) => {
    work.ctx.logger.warning(`rotation journal unavailable: ${strerror(err)}`);
  });
}

/** nosharedscripts: each log start to end; a failure stops only that log. */
async function unshared(work: SectionWork, r: LogRotation, background: Promise<void>[]): Promise<void> {
  const { ctx, pool, ledger } = work;
  // Everything this log's steps touch: they wait for background steps holding any of it.
  const names = new Set([r.log, ...rotationNames(r)]);
  await pool?.waitFor(names);
  const failed = (kind: ScriptKind) => (why: string) => `error running non-shared ${kind} script for ${r.log} of '${ctx.pattern}': ${why}`;
  const ok =
    (await runScript(work, 'prerotate', [r.log], failed('prerotate'), r.log)) &&
    (await prepare(work, r)) &&
    (await runPhase(work, r, 'rotate')) &&
    (await runScript(work, 'postrotate', [r.log, r.finalName], failed('postrotate'), r.log));
  if (!ok) return;
  if (pool !== null && finishesQuietly(work, r)) {
    const task = await pool.admit(names, async (logger) => {
      if (await runPhase(work, r, 'finish', { ...ctx, logger })) ledger.finishedLog(r.log);
    });
    background.push(task.done);
    return;
  }
  if (await runPhase(work, r, 'finish')) ledger.finishedLog(r.log);
}

/** The finishing steps may overlap the next logs' steps: they run no script or other
 * program whose effects or output could tell (compressors' and rsync's output is
 * captured). Uploads overlap too: most of their time is a wait for the remote. */
function finishesQuietly(work: SectionWork, r: LogRotation): boolean {
  const { options } = work.ctx;
  if (options.shred || options.scripts.preremove !== undefined) return false;
  return r.finish.every((action) => QUIET_STEPS.has(action.kind));
}

const QUIET_STEPS: ReadonlySet<Action['kind']> = new Set(['compress', 'remove', 'stamp', 'track', 'archive']);

/** sharedscripts: phase by phase across all logs; the first error anywhere (a decision
 * error included) ends the group's work for every log. */
async function shared(work: SectionWork, rotations: readonly LogRotation[]): Promise<void> {
  const { ledger, ctx } = work;
  const failed = (kind: string) => (why: string) => `error running shared ${kind} script for '${ctx.pattern}': ${why}`;
  if (ledger.stopped || !(await sectionScript(work, 'prerotate', failed('prerotate')))) return;
  for (const r of rotations) if (!ledger.stopped) await prepare(work, r);
  for (const r of rotations) if (!ledger.stopped) await runPhase(work, r, 'rotate');
  if (ledger.stopped || !(await sectionScript(work, 'postrotate', failed('postrotate')))) return;
  for (const r of rotations) {
    if (!ledger.stopped && (await runPhase(work, r, 'finish'))) ledger.finishedLog(r.log);
  }
}

async function prepare(work: SectionWork, r: LogRotation): Promise<boolean> {
  const { logger, options } = work.ctx;
  const print = (lines: readonly { severity: 'debug' | 'warning' | 'error'; text: string }[]): void => {
    for (const line of lines) logger[line.severity](line.text);
  };
  print(describePreparation(r, options));
  if (!(await runPhase(work, r, 'prepare'))) return false;
  if (r.failure !== null) {
    logger.error(r.failure);
    work.ledger.logFailed(r.log, r.failure);
  }
  print(describePrepared(r));
  return r.failure === null;
}
