// The filesystem as the config reader needs it. Injected so tests (and the fuzz test in
// particular) can read configs without touching anything outside their temp dir.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';

// fast-glob and its dependencies take a good part of a run's start-up to load, and only
// file lists with wildcards need them.
let fastGlob: typeof FastGlob | undefined;
function loadFastGlob(): typeof FastGlob {
  fastGlob ??= createRequire(import.meta.url)('fast-glob') as typeof FastGlob;
  return fastGlob;
}

export interface FileInfo {
  readonly kind: 'file' | 'dir' | 'symlink' | 'other';
  readonly mode: number;
  readonly uid: number;
  readonly size: number;
  readonly dev: number;
}

/** Every method throws a Node-style error with `code` on failure. */
export interface ConfigFs {
  stat(path: string): FileInfo;
  lstat(path: string): FileInfo;
  readFile(path: string): string;
  readdir(path: string): string[];
  realpath(path: string): string;
  /** Matches of one glob(3) pattern (already translated for fast-glob), relative to cwd. */
  glob(pattern: string, cwd: string): string[];
  /** mkdir(2) that reports whether it created the directory (false: it existed). */
  mkdir(path: string, mode: number): boolean;
  chown(path: string, uid: number, gid: number): void;
  chmod(path: string, mode: number): void;
  /** Runs fn with the effective uid/gid switched (su), then switches back. */
  asUser<T>(uid: number, gid: number, fn: () => T): T;
}

function info(st: fs.Stats): FileInfo {
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
  return { kind, mode: st.mode & 0o7777, uid: st.uid, size: st.size, dev: st.dev };
}

export const nodeFs: ConfigFs = {
  stat: (path) => info(fs.statSync(path)),
  lstat: (path) => info(fs.lstatSync(path)),
  readFile: (path) => fs.readFileSync(path, 'utf8'),
  // In the directory's own order (readdirSync sorts): logrotate reports taboo matches
  // as readdir(3) meets them, before it sorts the rest.
  readdir: (path) => {
    const dir = fs.opendirSync(path);
    try {
      const names: string[] = [];
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) names.push(entry.name);
      return names;
    } finally {
      dir.closeSync();
    }
  },
  realpath: (path) => fs.realpathSync(path),
  glob: (pattern, cwd) =>
    loadFastGlob().sync(pattern, {
      cwd,
      dot: false,
      onlyFiles: false,
      braceExpansion: false,
      extglob: false,
      caseSensitiveMatch: true,
      suppressErrors: false,
      unique: true,
    }),
  mkdir: (path, mode) => {
    try {
      fs.mkdirSync(path, { mode });
      return true;
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'EEXIST') return false;
      throw err;
    }
  },
  chown: (path, uid, gid) => fs.chownSync(path, uid, gid),
  chmod: (path, mode) => fs.chmodSync(path, mode),
  asUser: (uid, gid, fn) => {
    const euid = process.geteuid?.();
    const egid = process.getegid?.();
    if (euid === undefined || egid === undefined || process.seteuid === undefined || process.setegid === undefined) return fn();
    process.setegid(gid);
    process.seteuid(uid);
    try {
      return fn();
    } finally {
      process.seteuid(euid);
      process.setegid(egid);
    }
  },
};
