// The planner's window on the real filesystem: lstat and readdir, remembered so that a
// section's many name lookups hit the disk once. The cache must not outlive the
// section it was made for: the executor changes the tree right after planning, so the
// run calls `forget()` before planning the next section.
import { lstatSync, readdirSync, statfsSync, statSync, type Stats } from 'node:fs';
import { nodeFs, type ConfigFs } from '../config/fs.js';
import type { FsView, PathFact, SpaceFact } from '../plan/model.js';
import { strerror } from '../strerror.js';

export class LiveFsView implements FsView {
  private readonly facts = new Map<string, PathFact>();
  /** stat(2) results, kept apart: a symlink has both an lstat and a stat fact. */
  private readonly followed = new Map<string, PathFact>();
  private readonly listings = new Map<string, readonly string[] | null>();

  lstat(path: string): PathFact {
    return remembered(this.facts, path, (p) => lstatSync(p, { throwIfNoEntry: false }));
  }

  /** logrotate judges a log's parent directory (and old dated rotations) through
   * symlinks: /var/log may well be a link to a safe directory elsewhere. */
  stat(path: string): PathFact {
    return remembered(this.followed, path, (p) => statSync(p, { throwIfNoEntry: false }));
  }

  readdir(dir: string): readonly string[] | null {
    let names = this.listings.get(dir);
    if (names === undefined) {
      names = readNames(dir);
      this.listings.set(dir, names);
    }
    return names;
  }

  /** Not remembered: free space is what a purge changes, and what it watches. */
  statfs(dir: string): SpaceFact {
    try {
      const space = statfsSync(dir);
      return { kind: 'space', dev: statSync(dir).dev, free: space.bavail * space.bsize, total: space.blocks * space.bsize };
    } catch (err) {
      return { kind: 'error', message: strerror(err) };
    }
  }

  forget(): void {
    this.facts.clear();
    this.followed.clear();
    this.listings.clear();
  }
}

/** `look` answers undefined for a missing path: most of the names a plan looks up (the
 * next rotation numbers) do not exist, and a thrown error costs more than the lookup. */
function remembered(cache: Map<string, PathFact>, path: string, look: (path: string) => Stats | undefined): PathFact {
  let fact = cache.get(path);
  if (fact === undefined) {
    fact = readFact(path, look);
    cache.set(path, fact);
  }
  return fact;
}

function readFact(path: string, look: (path: string) => Stats | undefined): PathFact {
  try {
    const st = look(path);
    if (st === undefined) return { kind: 'absent' };
    const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
    return {
      kind: 'present',
      type,
      size: st.size,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      nlink: st.nlink,
      dev: st.dev,
      ino: st.ino,
      mtimeMs: st.mtimeMs,
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    return { kind: 'error', code, message: strerror(err) };
  }
}

function readNames(dir: string): readonly string[] | null {
  try {
    return readdirSync(dir);
  } catch {
    return null;
  }
}

/** The config reader's lstat answered from `view`, which keeps the answers. */
export function lstatThrough(view: FsView): ConfigFs {
  return {
    ...nodeFs,
    lstat(path) {
      const fact = view.lstat(path);
      if (fact.kind === 'present') return { kind: fact.type, mode: fact.mode, uid: fact.uid, size: fact.size, dev: fact.dev };
      const code = fact.kind === 'absent' ? 'ENOENT' : fact.code;
      throw Object.assign(new Error(fact.kind === 'absent' ? 'No such file or directory' : fact.message), { code });
    },
  };
}
