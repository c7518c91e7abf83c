// Carries out one section's plan in logrotate's order (main branch):
// firstaction → per log (or per phase, with sharedscripts) prerotate, prepare, rotate,
// postrotate, finish → lastaction. Failures are values: each step returns an Outcome,
// this runner prints it once and decides what is skipped because of it.
import { closeSync, lstatSync, type Stats } from 'node:fs';
import type { ScriptKind } from '../config/model.js';
import type { Logger } from '../logger.js';
import { describeMoved, describePreparation, describePrepared, describeStep, type MessageLine, type Phase } from '../plan/describe.js';
import type { Action, LogRotation, SectionPlan } from '../plan/model.js';
import type { LogReport } from '../run.js';
import { strerror } from '../strerror.js';
import { compressFile } from './compress.js';
import type { StepContext } from './context.js';
import { copyTruncate, truncateLog } from './copy.js';
import { aclToCopy, createNewFd } from './create.js';
import type { Acl } from '../native/acl.js';
import { DryRunTree } from './dry-run.js';
import type { FinishPool } from './finish-pool.js';
import { rotationNames } from './journal.js';
import { openLogFd } from './open-log.js';
import { childFailure, runHook } from './hooks.js';
import { mailFile } from './mail.js';
import type { StepObserver } from './observer.js';
import { failure, OK, type Outcome } from './outcome.js';
import { removeFile } from './remove.js';
import { moveLog, shiftOldLog } from './rename.js';
import { enterIdentity, inIdentity, leaveIdentity } from './su.js';
import { preflightRotation } from './space.js';

export interface SectionExecution {
  readonly plan: SectionPlan;
  readonly logger: Logger;
  readonly now: Date;
  readonly mailCommand: string;
  /** -d: print every step, change nothing, run no script, send no mail. */
  readonly dryRun: boolean;
  readonly observer?: StepObserver;
  /** Finishing steps of logs may run in the background here (not with sharedscripts,
   * su, or scripts and mail among them); `logger` must then be the pool's. */
  readonly pool?: FinishPool;
}

export interface SectionResult {
  /** Anything in the section failed: the run exits 1. */
  readonly failed: boolean;
  /** New state times, set when a log's preparation ran (even if a later step failed). */
  readonly stamps: ReadonlyMap<string, Date>;
  readonly logs: readonly LogReport[];
}

/** How logrotate names each script in its progress messages. */
const SCRIPT_LABEL: Readonly<Record<ScriptKind, string>> = {
  firstaction: 'first action',
  prerotate: 'prerotate',
  postrotate: 'postrotate',
  lastaction: 'last action',
  preremove: 'preremove',
};

export async function executeSection(run: SectionExecution): Promise<SectionResult> {
  return (await startSection(run)).finished;
}

export interface StartedSection {
  /** Settles once the section's finishing steps left in the pool are done too. */
  readonly finished: Promise<SectionResult>;
}

/** Runs the section up to the finishing steps it leaves to the pool. */
export async function startSection(run: SectionExecution): Promise<StartedSection> {
  return new SectionRunner(run).run();
}

class SectionRunner {
  private readonly ctx: StepContext;
  private readonly errors = new Map<string, string>();
  private readonly done = new Map<string, string[]>();
  private readonly completed = new Set<string>();
  private readonly stamps = new Map<string, Date>();
  private readonly originals = new Map<string, Stats>();
  /** Any error so far; with sharedscripts it stops every later phase for every log. */
  private hasErrors = false;
  /** A log was left alone for lack of space: an error for the exit status only. */
  private lackedSpace = false;
  /** -d: the tree as the steps so far would have left it. */
  private readonly preview: DryRunTree | null;
  /** This section's finishing steps left running in the pool. */
  private readonly background: Promise<void>[] = [];

  constructor(private readonly job: SectionExecution) {
    const { plan, logger, now, mailCommand } = job;
    this.ctx = { options: plan.options, pattern: plan.section.pattern, logger, now, mailCommand };
    this.preview = job.dryRun ? new DryRunTree(now) : null;
  }

  async run(): Promise<StartedSection> {
    for (const decision of this.job.plan.decisions) {
      if (decision.verdict.kind === 'error') this.markError(decision.path, decision.verdict.message);
    }
    // The run takes the su identity before planning; other callers (journal recovery)
    // get it here.
    const su = this.ctx.options.su;
    const entered = su === null || inIdentity(su) ? null : enterIdentity(su, this.ctx.logger);
    if (entered?.ok === false) {
      this.ctx.logger.error(entered.error);
      this.hasErrors = true;
      return { finished: Promise.resolve(this.result()) };
    }
    try {
      await this.rotateAll();
    } finally {
      if (entered !== null) leaveIdentity();
    }
    return { finished: Promise.all(this.background).then(() => this.result()) };
  }

  private async rotateAll(): Promise<void> {
    const rotations = this.fitting(this.job.plan.rotations);
    const pattern = this.ctx.pattern;
    if (!this.job.dryRun && rotations.length > 0) {
      await this.job.observer?.section?.({ ...this.job.plan, rotations }).catch((err: unknown) => {
        this.ctx.logger.warning(`rotation journal unavailable: ${strerror(err)}`);
      });
    }
    this.snapshotOriginals(rotations);
    if (!(await this.sectionScript('firstaction', (why) => `error running first action script for ${pattern}: ${why}`))) {
      return;
    }
    if (this.ctx.options.sharedScripts) await this.shared(rotations);
    else for (const rotation of rotations) await this.unshared(rotation);
    await this.sectionScript('lastaction', (why) => `error running last action script for ${pattern}: ${why}`);
  }

  /** Space preflight: a rotation whose copies or compressed files cannot fit is left
   * as it is (no script, no rename, no new state time), with one error line. */
  private fitting(rotations: readonly LogRotation[]): readonly LogRotation[] {
    if (this.job.dryRun) return rotations;
    const fit: LogRotation[] = [];
    for (const r of rotations) {
      const size = lstatOrNull(r.log)?.size ?? 0;
      const problem = preflightRotation(r, size);
      if (problem === null) {
        fit.push(r);
        continue;
      }
      this.ctx.logger.error(problem);
      this.errors.set(r.log, problem);
      this.lackedSpace = true;
    }
    return fit;
  }

  /** nosharedscripts: each log start to end; a failure stops only that log. */
  private async unshared(r: LogRotation): Promise<void> {
    const pattern = this.ctx.pattern;
    const pool = this.job.pool;
    // Everything this log's steps touch: they wait for background steps holding any of it.
    const names = new Set([r.log, ...rotationNames(r)]);
    await pool?.waitFor(names);
    const ok =
      (await this.script('prerotate', [r.log], (why) => `error running non-shared prerotate script for ${r.log} of '${pattern}': ${why}`, r.log)) &&
      (await this.prepare(r)) &&
      (await this.phase(r, 'rotate')) &&
      (await this.script('postrotate', [r.log, r.finalName], (why) => `error running non-shared postrotate script for ${r.log} of '${pattern}': ${why}`, r.log));
    if (!ok) return;
    if (pool !== undefined && this.finishesQuietly(r)) {
      const task = await pool.admit(names, async (logger) => {
        if (await this.phase(r, 'finish', { ...this.ctx, logger })) this.completed.add(r.log);
      });
      this.background.push(task.done);
      return;
    }
    if (await this.phase(r, 'finish')) this.completed.add(r.log);
  }

  /** The finishing steps may overlap the next logs' steps: they run no script or other
   * program whose effects or output could tell (compressors' stderr is captured). */
  private finishesQuietly(r: LogRotation): boolean {
    const { options } = this.ctx;
    if (options.shred || options.scripts.preremove !== undefined) return false;
    return r.finish.every((action) => action.kind === 'compress' || action.kind === 'remove' || action.kind === 'stamp');
  }

  /** sharedscripts: phase by phase across all logs; the first error anywhere (a
   * decision error included) ends the group's work for every log. */
  private async shared(rotations: readonly LogRotation[]): Promise<void> {
    const pattern = this.ctx.pattern;
    const sharedFailure = (kind: string) => (why: string) => `error running shared ${kind} script for '${pattern}': ${why}`;
    if (this.hasErrors || !(await this.sectionScript('prerotate', sharedFailure('prerotate')))) return;
    for (const r of rotations) if (!this.hasErrors) await this.prepare(r);
    for (const r of rotations) if (!this.hasErrors) await this.phase(r, 'rotate');
    if (this.hasErrors || !(await this.sectionScript('postrotate', sharedFailure('postrotate')))) return;
    for (const r of rotations) {
      if (!this.hasErrors && (await this.phase(r, 'finish'))) this.completed.add(r.log);
    }
  }

  private async prepare(r: LogRotation): Promise<boolean> {
    this.print(describePreparation(r, this.ctx.options));
    if (!(await this.phase(r, 'prepare'))) return false;
    if (r.failure !== undefined) this.fail(r.log, r.failure);
    this.print(describePrepared(r));
    return r.failure === undefined;
  }

  /** Each step's lines come as logrotate prints them, right around the step, so after a
   * failure nothing names a step that did not run. `ctx` is the section's, or a
   * background task's (its own logger). */
  private async phase(r: LogRotation, phase: Phase, ctx = this.ctx): Promise<boolean> {
    for (const [index, action] of r[phase].entries()) {
      const ok = await this.step(action, r.log, phase, ctx);
      if (phase === 'rotate' && index === 0) this.print(describeMoved(r, ctx.options));
      if (!ok) return false;
    }
    return true;
  }

  /** Announces, performs (under -d only replays) and reports one action; false when it
   * failed, which is then printed and recorded against the log. */
  private async step(action: Action, log: string, phase: Phase, ctx: StepContext): Promise<boolean> {
    const lines = describeStep(action, ctx.options, phase);
    for (const line of lines.before) ctx.logger.debug(line);
    const outcome = this.preview === null ? await this.performObserved(action, log, ctx) : this.preview.perform(action);
    if (!outcome.ok) {
      ctx.logger.error(outcome.error);
      this.markError(log, outcome.error);
      return false;
    }
    for (const line of lines.after) ctx.logger.debug(line);
    if (action.kind === 'stamp') this.stamps.set(action.log, action.time);
    // The report lists what happened: a shift of a rotation that never existed did not.
    if (outcome.nothing !== true) this.actionsOf(log).push(...lines.before, ...lines.after);
    return true;
  }

  private async performObserved(action: Action, log: string, ctx: StepContext): Promise<Outcome> {
    const observer = this.job.observer;
    try {
      await observer?.before(action, log);
    } catch (err) {
      return failure(`cannot record the ${action.kind} step of ${log} before doing it: ${strerror(err)}`);
    }
    const outcome = await this.perform(action, ctx);
    if (outcome.ok) await observer?.after(action, log);
    else await observer?.failed?.(action, log);
    return outcome;
  }

  private print(lines: readonly MessageLine[]): void {
    for (const line of lines) this.ctx.logger[line.severity](line.text);
  }

  private async perform(action: Action, ctx: StepContext): Promise<Outcome> {
    switch (action.kind) {
      case 'rename':
        return action.shift !== undefined ? shiftOldLog(action.from, action.to, ctx.logger) : moveLog(action.from, action.to);
      case 'create': {
        const acl = action.aclFrom === undefined ? null : aclOfPath(action.aclFrom);
        const created = await createNewFd(action.path, { ...action.attrs, acl }, ctx);
        if (!created.ok) return failure(created.error);
        closeSync(created.fd);
        return OK;
      }
      case 'copy':
        if (action.skipCopy === true) return action.truncate ? truncateLog(action.from, ctx.options.allowHardlink) : OK;
        return copyTruncate(action.from, action.to, {
          truncate: action.truncate,
          allowHardlink: ctx.options.allowHardlink,
          logger: ctx.logger,
          now: ctx.now,
        });
      case 'compress': {
        const original = this.original(action.attrsFrom);
        if (!original.ok) return original;
        return compressFile(action.from, action.to, original.stats, ctx);
      }
      case 'remove':
        // preremove and shred write to our stderr (never in a background task)
        if (ctx.options.shred || ctx.options.scripts.preremove !== undefined) await this.quiesce();
        return removeFile(action.path, ctx);
      case 'mail':
        await this.quiesce();
        return mailFile(action, ctx);
      case 'stamp':
        return OK;
    }
  }

  /** The logs' stats before anything moved: compressed output takes the original log's
   * mode, owner and times even after `create` put a new file at its name. */
  private snapshotOriginals(rotations: readonly LogRotation[]): void {
    for (const { log } of rotations) {
      const stats = lstatOrNull(log);
      if (stats !== null) this.originals.set(log, stats);
    }
  }

  private original(path: string): { ok: true; stats: Stats } | { ok: false; error: string } {
    const known = this.originals.get(path);
    if (known !== undefined) return { ok: true, stats: known };
    try {
      return { ok: true, stats: lstatSync(path) };
    } catch (err) {
      return { ok: false, error: `stat of ${path} failed: ${strerror(err)}` };
    }
  }

  /** A script that runs once per section with `$1 = pattern` (first/last action, and
   * pre/postrotate under sharedscripts): only when some log of the section is due. */
  private async sectionScript(kind: ScriptKind, message: (why: string) => string): Promise<boolean> {
    if (this.ctx.options.scripts[kind] === undefined) return true;
    if (!this.job.plan.decisions.some((d) => d.verdict.kind === 'rotate')) {
      const tense = kind === 'postrotate' ? 'were' : 'will be';
      this.ctx.logger.debug(`not running ${SCRIPT_LABEL[kind]} script, since no logs ${tense} rotated`);
      return true;
    }
    return this.script(kind, [this.ctx.pattern], message);
  }

  /** Runs a hook if the section has one; false when it failed (already reported). */
  private async script(kind: ScriptKind, args: readonly string[], message: (why: string) => string, log?: string): Promise<boolean> {
    const script = this.ctx.options.scripts[kind];
    if (script === undefined) return true;
    const { logger } = this.ctx;
    logger.debug(`running ${SCRIPT_LABEL[kind]} script`);
    if (this.job.dryRun) {
      logger.debug(`running script with args ${args[0] ?? ''} ${args[1] ?? ''}: "${script.text}"`);
      return true;
    }
    await this.quiesce();
    const why = childFailure(await runHook(script.text, args));
    if (why === null) return true;
    const text = message(why);
    logger.error(text);
    if (log === undefined) this.hasErrors = true;
    else this.markError(log, text);
    return false;
  }

  /** Before a child that shares our output or may look at the tree: every background
   * task done, every line out. */
  private async quiesce(): Promise<void> {
    await this.job.pool?.drain();
    this.job.observer?.flush?.();
    this.ctx.logger.flush?.();
  }

  private fail(log: string, error: string): void {
    this.ctx.logger.error(error);
    this.markError(log, error);
  }

  private markError(log: string, error: string): void {
    if (!this.errors.has(log)) this.errors.set(log, error);
    this.hasErrors = true;
  }

  private actionsOf(log: string): string[] {
    let list = this.done.get(log);
    if (list === undefined) {
      list = [];
      this.done.set(log, list);
    }
    return list;
  }

  private result(): SectionResult {
    const { plan } = this.job;
    const due = new Set(plan.decisions.filter((d) => d.verdict.kind === 'rotate').map((d) => d.path));
    const blocked = 'not rotated: an earlier step of this section failed';
    const logs = plan.decisions.map((decision): LogReport => {
      const error = this.errors.get(decision.path) ?? (due.has(decision.path) && !this.completed.has(decision.path) && this.hasErrors ? blocked : undefined);
      return {
        path: decision.path,
        pattern: plan.section.pattern,
        verdict: decision.verdict,
        actions: this.done.get(decision.path) ?? [],
        ...(error === undefined ? {} : { error }),
      };
    });
    return { failed: this.hasErrors || this.lackedSpace, stamps: this.stamps, logs };
  }
}

/** lstat done synchronously (microseconds, against a thread-pool round trip per log);
 * null when the path cannot be looked at. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** `create` without a mode hands the old log's ACL on to the new one; the old log now
 * sits at its rotated name. Unreadable means no ACL, as logrotate ignores ACL errors. */
function aclOfPath(path: string): Acl | null {
  const opened = openLogFd(path, false, true);
  if (!opened.ok) return null;
  try {
    return aclToCopy(opened.fd);
  } finally {
    closeSync(opened.fd);
  }
}
