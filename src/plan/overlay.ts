// The filesystem as it will be after the actions planned so far: logrotate looks at the
// tree again between steps (the dispose check after the shift, the dated-rotation glob
// after delaycompress, the next log of the section after this one), so the planner
// replays its own actions over the injected view instead of touching anything.
import type { Action, FsView, PathFact, SpaceFact } from './model.js';
import { dirname, basename } from './paths.js';

export class OverlayFs implements FsView {
  private readonly changed = new Map<string, PathFact>();
  /** Bytes the actions so far free (or take, when negative) on each device. */
  private readonly freed = new Map<number, number>();

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

  /** The base's free space plus what the actions so far free: a removal frees its file's
   * size (unless other links keep it), a new file takes its size. */
  statfs(dir: string): SpaceFact {
    const space = this.base.statfs?.(dir) ?? { kind: 'error', message: 'free space not known' };
    return space.kind === 'space' ? { ...space, free: space.free + (this.freed.get(space.dev) ?? 0) } : space;
  }

  private account(dev: number, bytes: number): void {
    this.freed.set(dev, (this.freed.get(dev) ?? 0) + bytes);
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
        if (action.skipCopy !== true) {
          this.changed.set(action.to, { ...fact, nlink: 1, ino: 0, mtimeMs: this.nowMs });
          this.account(fact.dev, -fact.size);
        }
        if (action.truncate) {
          this.changed.set(action.from, { ...fact, size: 0, mtimeMs: this.nowMs });
          this.account(fact.dev, fact.size);
        }
        return;
      }
      case 'compress': {
        // The compressed file takes the source's times, so maxage sees the same age. Its
        // size is not known before it is made: the source's is an upper bound.
        const fact = this.lstat(action.from);
        if (fact.kind === 'present') {
          this.changed.set(action.to, { ...fact, nlink: 1, ino: 0 });
          this.account(fact.dev, -fact.size);
        }
        return;
      }
      case 'remove':
        this.remove(action.path);
        return;
      case 'mail':
      case 'stamp':
      case 'track':
      case 'archive':
      case 'shift-gap':
      case 'signal':
        return;
    }
  }

  /** Nothing is at `path` any more; a file's size is free again, unless other links keep it. */
  remove(path: string): void {
    const fact = this.lstat(path);
    if (fact.kind === 'present' && fact.type === 'file' && fact.nlink === 1) this.account(fact.dev, fact.size);
    this.changed.set(path, { kind: 'absent' });
  }

  private deviceOf(path: string): number {
    const dir = this.stat(dirname(path));
    return dir.kind === 'present' ? dir.dev : 0;
  }
}
