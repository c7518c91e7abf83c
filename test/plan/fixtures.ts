// In-memory filesystem and section builders for planner tests.
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { LogOptions, Section } from '../../src/config/model.js';
import type { FsView, PathFact, SpaceFact } from '../../src/plan/model.js';
import { basename, dirname } from '../../src/plan/paths.js';

export interface FileSpec {
  readonly size?: number;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly nlink?: number;
  readonly mtime?: Date;
}

/** A filesystem mounted at a directory, for statfs. */
export interface MountSpec {
  readonly dev: number;
  readonly free: number;
  readonly total: number;
}

/** A tree of lstat facts. Parent directories appear as root-owned 0755 on first use.
 * Files are on device 1 unless a mount covers them; statfs answers only under a mount. */
export class MemFs implements FsView {
  private readonly facts = new Map<string, PathFact>();
  private readonly mounts = new Map<string, MountSpec>();

  /** Mount before adding the files it holds: a file takes its device when added. */
  mount(dir: string, spec: MountSpec): this {
    this.mounts.set(dir, spec);
    return this;
  }

  private mountOf(path: string): MountSpec | undefined {
    let best: string | undefined;
    for (const dir of this.mounts.keys()) {
      const covers = dir === '/' || path === dir || path.startsWith(`${dir}/`);
      if (covers && (best === undefined || dir.length > best.length)) best = dir;
    }
    return best === undefined ? undefined : this.mounts.get(best);
  }

  statfs(dir: string): SpaceFact {
    const mount = this.mountOf(dir);
    if (mount === undefined) return { kind: 'error', message: 'Function not implemented' };
    return { kind: 'space', dev: mount.dev, free: mount.free, total: mount.total };
  }

  file(path: string, spec: FileSpec = {}): this {
    this.ensureDir(dirname(path));
    this.facts.set(path, {
      kind: 'present',
      type: 'file',
      size: spec.size ?? 100,
      mode: spec.mode ?? 0o644,
      uid: spec.uid ?? 0,
      gid: spec.gid ?? 0,
      nlink: spec.nlink ?? 1,
      dev: this.mountOf(path)?.dev ?? 1,
      ino: 0,
      mtimeMs: (spec.mtime ?? new Date(0)).getTime(),
    });
    return this;
  }

  files(paths: readonly string[], spec: FileSpec = {}): this {
    for (const p of paths) this.file(p, spec);
    return this;
  }

  dir(path: string, mode = 0o755, gid = 0): this {
    this.ensureDir(dirname(path));
    this.facts.set(path, { kind: 'present', type: 'dir', size: 4096, mode, uid: 0, gid, nlink: 2, dev: 1, ino: 0, mtimeMs: 0 });
    return this;
  }

  symlink(path: string): this {
    this.ensureDir(dirname(path));
    this.facts.set(path, { kind: 'present', type: 'symlink', size: 10, mode: 0o777, uid: 0, gid: 0, nlink: 1, dev: 1, ino: 0, mtimeMs: 0 });
    return this;
  }

  failing(path: string, code: string): this {
    this.facts.set(path, { kind: 'error', code, message: `${code}: lstat '${path}'` });
    return this;
  }

  lstat(path: string): PathFact {
    return this.facts.get(path) ?? { kind: 'absent' };
  }

  readdir(dir: string): readonly string[] | null {
    const fact = this.facts.get(dir);
    if (fact?.kind !== 'present' || fact.type !== 'dir') return null;
    return [...this.facts.keys()].filter((p) => p !== dir && dirname(p) === dir).map(basename);
  }

  private ensureDir(path: string): void {
    if (this.facts.has(path) || path === '.') return;
    if (path !== '/') this.ensureDir(dirname(path));
    this.facts.set(path, { kind: 'present', type: 'dir', size: 4096, mode: 0o755, uid: 0, gid: 0, nlink: 2, dev: 1, ino: 0, mtimeMs: 0 });
  }
}

export function section(files: readonly string[], options: Partial<LogOptions> = {}, pattern = files.join(' ')): Section {
  return { pattern, files, options: { ...DEFAULT_OPTIONS, ...options }, location: { file: 'test.conf', line: 1 } };
}

export const DAILY: Partial<LogOptions> = { criterion: { kind: 'daily' } };
