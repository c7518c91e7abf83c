// Under -d nothing is done, yet the report must list the steps a real run would do. The
// shift of an old rotation that will not exist by then is no step, and whether it exists
// can depend on earlier steps (delaycompress makes the `.1.gz` that the shift then
// moves), so the would-be tree is replayed over the live one as the steps go by.
import type { Action } from '../plan/model.js';
import { OverlayFs } from '../plan/overlay.js';
import { LiveFsView } from './fs-view.js';
import { NOTHING_TO_DO, OK, type Outcome } from './outcome.js';

export class DryRunTree {
  private readonly tree: OverlayFs;

  constructor(now: Date) {
    this.tree = new OverlayFs(new LiveFsView(), now.getTime());
  }

  /** Takes `action` as done; NOTHING_TO_DO for a shift whose source would be missing. */
  perform(action: Action): Outcome {
    const missing = action.kind === 'rename' && action.shift !== undefined && this.tree.lstat(action.from).kind !== 'present';
    this.tree.apply(action);
    return missing ? NOTHING_TO_DO : OK;
  }
}
