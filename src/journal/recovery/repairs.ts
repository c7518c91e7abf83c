// What settles a step the killed run left half done: a partial output discarded, the
// copied prefix of a committed copytruncate taken out of the log, a new file given its
// owner and mode. Pure: decided from the step and the tree; exec/repair.ts does it.
import { PARTIAL_SUFFIX } from '../../exec/partial-name.js';
import type { RepairAction } from '../../exec/repair.js';
import type { Action, FsView } from '../../plan/model.js';
import type { OverlayFs } from '../../plan/overlay.js';

export interface Repair {
  /** How the killed run left the step, for the warning: `the last run ${situation}: …`. */
  readonly situation: string;
  readonly action: RepairAction;
}

const NOTHING = 'nothing to repair (the step is atomic or harmless to repeat)';

/** Leaves `action` either not done at all or done. `tree` is updated with the names the
 * repair removes, so that what is judged next sees the tree as it will be. */
export function repairOf(action: Action, situation: string, tree: OverlayFs): Repair {
  const present = (path: string): boolean => tree.lstat(path).kind === 'present';
  switch (action.kind) {
    case 'copy': {
      const partial = action.to + PARTIAL_SUFFIX;
      tree.remove(partial);
      if (!action.truncate || !present(action.to) || !present(action.from)) {
        return { situation, action: { kind: 'discard', path: partial, result: 'partial copy removed' } };
      }
      return { situation, action: { kind: 'complete-copytruncate', partial, log: action.from, copy: action.to } };
    }
    case 'compress':
      if (!present(action.from)) return { situation, action: { kind: 'none', result: 'compression had completed' } };
      tree.remove(action.to);
      return { situation, action: { kind: 'discard', path: action.to, result: `partial ${action.to} removed` } };
    case 'create':
      return { situation, action: { kind: 'adopt', path: action.path, attrs: action.attrs } };
    case 'rename':
    case 'remove':
    case 'mail':
    case 'stamp':
    case 'shift-gap':
    case 'signal':
    case 'track':
      return { situation, action: { kind: 'none', result: NOTHING } };
    case 'archive':
      return { situation, action: { kind: 'none', result: 'uploads are whole or invisible; it is archived again under the same name' } };
  }
}

/** The inode at `path` in `view`, or undefined when nothing is there. */
export function inodeIn(view: FsView, path: string): number | undefined {
  const fact = view.lstat(path);
  return fact.kind === 'present' ? fact.ino : undefined;
}
