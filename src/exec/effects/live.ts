// The effects done for real: each action through the module that knows how (renames,
// new files, copies, compression, removal, mail, hook scripts).
import { closeSync, lstatSync, type Stats } from 'node:fs';
import type { Acl } from '../../native/acl.js';
import type { SectionPlan } from '../../plan/model.js';
import { describeGap } from '../../plan/shift.js';
import { DISPOSALS, type Archiver } from '../archiver.js';
import type { RunTally } from '../tally.js';
import { strerror } from '../../strerror.js';
import { compressFile } from '../compress.js';
import { copyLog, copyTruncateLog, truncateLog } from '../copy.js';
import { aclToCopy, createNewFd } from '../create.js';
import { childFailure, type HookRunner } from '../hooks.js';
import { mailFile } from '../mail.js';
import { openLogFd } from '../open-log.js';
import { removeFile, removeRenameCopyTemp } from '../remove.js';
import { moveLog, shiftOldLog } from '../rename.js';
import { sendSignal } from '../signal.js';
import type { StepContext } from './context.js';
import type { ActionOf, Effects } from './effects.js';
import { failure, keptBack, NOTHING_TO_DO, OK, type Outcome } from './outcome.js';

export class LiveEffects implements Effects {
  /** The logs' stats before anything moved: compressed output takes the original log's
   * mode, owner and times even after `create` put a new file at its name. */
  private readonly originals = new Map<string, Stats>();

  /** `runHook`: how hook scripts run (where their stdout goes). */
  constructor(
    plan: Pick<SectionPlan, 'rotations'>,
    private readonly runHook: HookRunner,
    private readonly archiver: Archiver,
    private readonly tally: RunTally,
  ) {
    for (const { log } of plan.rotations) {
      const stats = lstatOrNull(log);
      if (stats !== null) this.originals.set(log, stats);
    }
  }

  rename(action: ActionOf<'rename'>, ctx: StepContext): Promise<Outcome> {
    if (action.shift === undefined) return Promise.resolve(moveLog(action.from, action.to));
    // A rotation the archive does not have yet is never overwritten by the shift.
    const held = existsNoFollow(action.to) ? this.archiver.holds(action.to, ctx.options) : null;
    if (held !== null) return Promise.resolve(failure(`not shifting ${action.from} over ${action.to}: ${held}`));
    return Promise.resolve(shiftOldLog(action.from, action.to, ctx.logger));
  }

  /** Each index is tried and found missing, as logrotate's walk finds it. */
  shiftGap(action: ActionOf<'shift-gap'>, ctx: StepContext): Promise<Outcome> {
    return Promise.resolve({ ...NOTHING_TO_DO, notes: describeGap(action, ctx.options.maxAge > 0, false) });
  }

  async create(action: ActionOf<'create'>, ctx: StepContext): Promise<Outcome> {
    const acl = action.aclFrom === undefined ? null : aclOfPath(action.aclFrom);
    const created = await createNewFd(action.path, { ...action.attrs, acl }, ctx);
    if (!created.ok) return failure(created.error);
    closeSync(created.fd);
    return OK;
  }

  copy(action: ActionOf<'copy'>, ctx: StepContext): Promise<Outcome> {
    const { allowHardlink } = ctx.options;
    if (action.skipCopy === true) return action.truncate ? truncateLog(action.from, allowHardlink) : Promise.resolve(OK);
    const options = { allowHardlink, logger: ctx.logger, now: ctx.now };
    return action.truncate ? copyTruncateLog(action.from, action.to, options) : copyLog(action.from, action.to, options);
  }

  async compress(action: ActionOf<'compress'>, ctx: StepContext): Promise<Outcome> {
    let original = this.originals.get(action.attrsFrom);
    try {
      original ??= lstatSync(action.attrsFrom);
    } catch (err) {
      return failure(`stat of ${action.attrsFrom} failed: ${strerror(err)}`);
    }
    const outcome = await compressFile(action.from, action.to, original, ctx);
    if (outcome.ok) this.tally.compressed(lstatSync(action.to, { throwIfNoEntry: false })?.size ?? 0);
    return outcome;
  }

  async remove(action: ActionOf<'remove'>, ctx: StepContext): Promise<Outcome> {
    if (action.reason === 'renamecopy-tmp') return removeRenameCopyTemp(action.path);
    const held = DISPOSALS.has(action.reason) ? this.archiver.holds(action.path, ctx.options) : null;
    if (held !== null) return keptBack(held);
    const outcome = await removeFile(action.path, ctx, this.runHook);
    if (outcome.ok) this.tally.removedFile(action.path, action.reason);
    return outcome;
  }

  track(action: ActionOf<'track'>): Promise<Outcome> {
    return Promise.resolve(this.archiver.track(action));
  }

  archive(action: ActionOf<'archive'>, ctx: StepContext): Promise<Outcome> {
    return this.archiver.archive(action, ctx);
  }

  mail(action: ActionOf<'mail'>, ctx: StepContext): Promise<Outcome> {
    return mailFile(action, ctx);
  }

  signal(action: ActionOf<'signal'>, ctx: StepContext): Promise<Outcome> {
    return Promise.resolve(sendSignal(action, ctx));
  }

  async runScript(text: string, args: readonly string[], ctx: StepContext): Promise<string | null> {
    return childFailure(await this.runHook(text, args, ctx.logger));
  }
}

function existsNoFollow(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
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
