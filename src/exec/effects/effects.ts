// Everything a section's steps do to the machine, behind one interface with two
// implementations: LiveEffects (live.ts) does it, PreviewEffects (preview.ts) replays it
// on an overlay of the tree for `-d` and changes nothing. The runner cannot tell them
// apart; which one a run gets is decided once, where the run is set up.
import type { Action } from '../../plan/model.js';
import type { StepContext } from './context.js';
import { OK, type Outcome } from './outcome.js';

export type ActionOf<K extends Action['kind']> = Extract<Action, { kind: K }>;

/** The effects of one section's plan (made for it: see the run's workspace). */
export interface Effects {
  /** Moves the log away, or shifts an old rotation up (a missing source is then normal:
   * NOTHING_TO_DO). */
  rename(action: ActionOf<'rename'>, ctx: StepContext): Promise<Outcome>;
  /** Indices of the numbered shift that hold no old log: nothing to do, but the walk's
   * -v lines, as logrotate prints them done (or, for -d, previewed), are its notes. */
  shiftGap(action: ActionOf<'shift-gap'>, ctx: StepContext): Promise<Outcome>;
  /** Makes the new, empty log. */
  create(action: ActionOf<'create'>, ctx: StepContext): Promise<Outcome>;
  /** copy, copytruncate (losslessly), or only the truncation when nothing is kept. */
  copy(action: ActionOf<'copy'>, ctx: StepContext): Promise<Outcome>;
  compress(action: ActionOf<'compress'>, ctx: StepContext): Promise<Outcome>;
  /** preremove, shred and unlink. */
  remove(action: ActionOf<'remove'>, ctx: StepContext): Promise<Outcome>;
  mail(action: ActionOf<'mail'>, ctx: StepContext): Promise<Outcome>;
  /** `signal` (logrotor extension): the signal to the process the pid file names. */
  signal(action: ActionOf<'signal'>, ctx: StepContext): Promise<Outcome>;
  /** Records a rotation just made, for its archive name. */
  track(action: ActionOf<'track'>, ctx: StepContext): Promise<Outcome>;
  /** Uploads a final file to the section's archive and verifies it there. */
  archive(action: ActionOf<'archive'>, ctx: StepContext): Promise<Outcome>;
  /** A hook script with logrotate's arguments; the reason it failed, or null. */
  runScript(text: string, args: readonly string[], ctx: StepContext): Promise<string | null>;
}

/** Carries out one action through `effects`. */
export function perform(effects: Effects, action: Action, ctx: StepContext): Promise<Outcome> {
  switch (action.kind) {
    case 'rename':
      return effects.rename(action, ctx);
    case 'shift-gap':
      return effects.shiftGap(action, ctx);
    case 'create':
      return effects.create(action, ctx);
    case 'copy':
      return effects.copy(action, ctx);
    case 'compress':
      return effects.compress(action, ctx);
    case 'remove':
      return effects.remove(action, ctx);
    case 'mail':
      return effects.mail(action, ctx);
    case 'signal':
      return effects.signal(action, ctx);
    case 'track':
      return effects.track(action, ctx);
    case 'archive':
      return effects.archive(action, ctx);
    case 'stamp':
      // The new state time is the run's to write, with the state file.
      return Promise.resolve(OK);
  }
}
