// A managed log's facts as they are now, for `status` and the per-log metrics. Pure over
// the injected view of the filesystem.
import type { LogOptions } from '../config/model.js';
import type { FsView } from '../plan/model.js';
import { rotationsOnDisk } from '../plan/rotated-names.js';
import type { LogFacts } from './model.js';

export function logFacts(path: string, options: LogOptions, fs: FsView, state: ReadonlyMap<string, Date>): LogFacts {
  const fact = fs.lstat(path);
  return {
    size: fact.kind === 'present' && fact.type === 'file' ? fact.size : null,
    rotations: rotationsOnDisk(path, options, fs),
    lastRotation: state.get(path) ?? null,
  };
}
