// `-d`: every step is taken as done on an overlay of the live tree and nothing changes.
// The report must still list the steps a real run would do: the shift of an old rotation
// that will not exist by then is no step, and whether it exists can depend on earlier
// steps (delaycompress makes the `.1.gz` that the shift then moves), so the would-be
// tree is replayed over the live one as the steps go by. Each section starts from the
// live tree, as logrotate -d sees every section.
import type { Action } from '../../plan/model.js';
import { OverlayFs } from '../../plan/overlay.js';
import { describeGap } from '../../plan/shift.js';
import { LiveFsView } from '../fs-view.js';
import { DISPOSALS, type PreviewArchiver } from '../archiver.js';
import type { StepContext } from './context.js';
import type { ActionOf, Effects } from './effects.js';
import { failure, keptBack, NOTHING_TO_DO, OK, type Outcome } from './outcome.js';

export class PreviewEffects implements Effects {
  /** Made at the first step: most sections of a big config have none. */
  private overlay: OverlayFs | null = null;

  /** `runTree`: the whole run's would-be tree, which the purge after the sections is
   * planned against; each step is replayed there too. */
  constructor(
    private readonly now: Date,
    private readonly archiver: PreviewArchiver,
    private readonly runTree: OverlayFs | null = null,
  ) {}

  private get tree(): OverlayFs {
    return (this.overlay ??= new OverlayFs(new LiveFsView(), this.now.getTime()));
  }

  rename(action: ActionOf<'rename'>, ctx: StepContext): Promise<Outcome> {
    const missing = action.shift !== undefined && this.tree.lstat(action.from).kind !== 'present';
    const held = action.shift !== undefined && this.tree.lstat(action.to).kind === 'present' ? this.archiver.holds(action.to, ctx.options) : null;
    if (held !== null) return Promise.resolve(failure(`not shifting ${action.from} over ${action.to}: ${held}`));
    if (!missing) this.archiver.moved(action.from, action.to);
    return this.apply(action, missing ? NOTHING_TO_DO : OK);
  }

  /** logrotate -d renames nothing, so it never finds an index missing (but with maxage,
   * where it stats each index first). */
  shiftGap(action: ActionOf<'shift-gap'>, ctx: StepContext): Promise<Outcome> {
    return Promise.resolve({ ...NOTHING_TO_DO, notes: describeGap(action, ctx.options.maxAge > 0, true) });
  }

  create(action: ActionOf<'create'>): Promise<Outcome> {
    return this.apply(action);
  }

  copy(action: ActionOf<'copy'>): Promise<Outcome> {
    return this.apply(action);
  }

  compress(action: ActionOf<'compress'>): Promise<Outcome> {
    return this.apply(action);
  }

  remove(action: ActionOf<'remove'>, ctx: StepContext): Promise<Outcome> {
    const held = DISPOSALS.has(action.reason) ? this.archiver.holds(action.path, ctx.options) : null;
    return held === null ? this.apply(action) : Promise.resolve(keptBack(held));
  }

  /** Unlike logrotate, which mails whatever sits at the name under -d. */
  mail(action: ActionOf<'mail'>): Promise<Outcome> {
    return this.apply(action);
  }

  /** Announced (describe.ts) and not sent, as -d runs no postrotate script. */
  signal(): Promise<Outcome> {
    return Promise.resolve(OK);
  }

  track(action: ActionOf<'track'>): Promise<Outcome> {
    return Promise.resolve(this.archiver.track(action));
  }

  archive(action: ActionOf<'archive'>, ctx: StepContext): Promise<Outcome> {
    return this.archiver.archive(action, ctx);
  }

  runScript(text: string, args: readonly string[], ctx: StepContext): Promise<string | null> {
    ctx.logger.debug(`running script with args ${args[0] ?? ''} ${args[1] ?? ''}: "${text}"`);
    return Promise.resolve(null);
  }

  private apply(action: Action, outcome: Outcome = OK): Promise<Outcome> {
    this.tree.apply(action);
    this.runTree?.apply(action);
    return Promise.resolve(outcome);
  }
}
