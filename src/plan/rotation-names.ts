// The file names a rotation's steps touch, besides the log itself: what overlapping steps
// must not share (finish-pool) and what the journal takes an inode snapshot of.
import type { RotationSteps } from './model.js';

export function rotationNames(rotation: RotationSteps): string[] {
  const names = [...rotation.prepare, ...rotation.rotate, ...rotation.finish].flatMap((action): string[] => {
    switch (action.kind) {
      case 'rename':
      case 'copy':
      case 'compress':
        return [action.from, action.to];
      case 'create':
      case 'remove':
      case 'track':
        return [action.path];
      case 'archive':
        return [action.path, action.factsOf];
      case 'mail':
      case 'stamp':
      case 'shift-gap':
      case 'signal':
        return [];
    }
  });
  return [...new Set(names)].filter((name) => name !== rotation.log);
}
