// The filesystem as it will be after the actions planned so far: logrotate looks at the
// tree again between steps (the dispose check after the shift, the dated-rotation glob
// after delaycompress, the next log of the section after this one), so the planner
// replays its own actions over the injected view instead of touching anything.
import type { Action, FsView, PathFact } from './model.js';
import { dirname, basename } from './paths.js';

export class OverlayFs implements FsView {
  private readonly changed = new Map<string, PathFact>();

  constructor(
    private readonly base: FsView,
    private readonly nowMs: number,
  ) {}

  lstat(path: string): PathFact {
    return this.changed.get(path) ?? this.base.lstat(path);
  }

  stat(path: string): PathFact {
    return this.changed.get(path) ?? (this.base.stat ? this.base.stat(path) : this.base.lstat(path));
  }

  readdir(dir: string): readonly string[] | null {
    const names = this.base.readdir(dir);
    if (names === null) return null;
    const result = new Set(names);
    for (const [path, fact] of this.changed) {
      if (dirname(path) !== dir) continue;
      if (fact.kind === 'present') result.add(basename(path));
      else result.delete(basename(path));
    }
    return [...result];
  }

  apply(action: Action): void {
    switch (action.kind) {
      case 'rename': {
        const fact = this.lstat(action.from);
        if (fact.kind !== 'present') return;
        this.changed.set(action.to, fact);
        this.changed.set(action.from, { kind: 'absent' });
        return;
      }
      case 'create':
        this.changed.set(action.path, {
          kind: 'present',
          type: 'file',
          size: 0,
          mode: action.attrs.mode,
          uid: action.attrs.uid,
          gid: action.attrs.gid,
          nlink: 1,
          dev: this.deviceOf(action.path),
          ino: 0,
          mtimeMs: this.nowMs,
        });
        return;
      case 'copy': {
        const fact = this.lstat(action.from);
        if (fact.kind !== 'present') return;
        if (action.skipCopy !== true) this.changed.set(action.to, { ...fact, nlink: 1, ino: 0, mtimeMs: this.nowMs });
        if (action.truncate) this.changed.set(action.from, { ...fact, size: 0, mtimeMs: this.nowMs });
        return;
      }
      case 'compress': {
        // The compressed file takes the source's times, so maxage sees the same age.
        const fact = this.lstat(action.from);
        if (fact.kind === 'present') this.changed.set(action.to, { ...fact, nlink: 1, ino: 0 });
        return;
      }
      case 'remove':
        this.remove(action.path);
        return;
      case 'mail':
      case 'stamp':
        return;
    }
  }

  /** Nothing is at `path` any more. */
  remove(path: string): void {
    this.changed.set(path, { kind: 'absent' });
  }

  private deviceOf(path: string): number {
    const dir = this.stat(dirname(path));
    return dir.kind === 'present' ? dir.dev : 0;
  }
}
