// The planner's window on the real filesystem: lstat and readdir, remembered so that a
// section's many name lookups hit the disk once. The cache must not outlive the
// section it was made for: the executor changes the tree right after planning, so the
// run calls `forget()` before planning the next section.
import { lstatSync, readdirSync } from 'node:fs';
import type { FsView, PathFact } from '../plan/model.js';
import { strerror } from '../state/strerror.js';

export class LiveFsView implements FsView {
  private readonly facts = new Map<string, PathFact>();
  private readonly listings = new Map<string, readonly string[] | null>();

  lstat(path: string): PathFact {
    let fact = this.facts.get(path);
    if (fact === undefined) {
      fact = readFact(path);
      this.facts.set(path, fact);
    }
    return fact;
  }

  readdir(dir: string): readonly string[] | null {
    let names = this.listings.get(dir);
    if (names === undefined) {
      names = readNames(dir);
      this.listings.set(dir, names);
    }
    return names;
  }

  forget(): void {
    this.facts.clear();
    this.listings.clear();
  }
}

function readFact(path: string): PathFact {
  try {
    const st = lstatSync(path);
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
