// In-memory filesystem and section builders for planner tests.
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { LogOptions, Section } from '../../src/config/model.js';
import type { FsView, PathFact } from '../../src/plan/model.js';
import { basename, dirname } from '../../src/plan/paths.js';

export interface FileSpec {
  readonly size?: number;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly nlink?: number;
  readonly mtime?: Date;
}

/** A tree of lstat facts. Parent directories appear as root-owned 0755 on first use. */
export class MemFs implements FsView {
  private readonly facts = new Map<string, PathFact>();

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
      dev: 1,
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
