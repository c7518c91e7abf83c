// The config reader's filesystem for runs and commands that must change nothing (`-d`,
// `status`): `createolddir` makes its directories while the config is read, as logrotate
// does (even under -d), so here they are only remembered. The directories a real run
// would make answer later stat/lstat/readdir/realpath calls as made (the owner and mode
// it would give them, on their parent's device), so the olddir checks and their
// messages come out as in a real run.
import { posix } from 'node:path';
import { errorCode } from '../strerror.js';
import type { ConfigFs, FileInfo } from './fs.js';

function errnoError(code: string, text: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${text}, ${path}`), { code });
}

export function readOnlyConfigFs(base: ConfigFs): ConfigFs {
  /** The directories a real run would have made, by absolute path. */
  const pretended = new Map<string, FileInfo>();
  // Most runs pretend nothing: then no path needs resolving to be looked up.
  const remembered = (path: string): FileInfo | undefined => (pretended.size === 0 ? undefined : pretended.get(posix.resolve(path)));
  const look = (path: string, real: (path: string) => FileInfo): FileInfo => remembered(path) ?? real(path);
  return {
    ...base,
    stat: (path) => look(path, base.stat),
    lstat: (path) => look(path, base.lstat),
    readdir: (path) => (remembered(path) !== undefined ? [] : base.readdir(path)),
    realpath: (path) => (remembered(path) !== undefined ? posix.resolve(path) : base.realpath(path)),
    /** mkdir(2)'s answers without the directory: EEXIST (false) for any name already
     * there (a dangling symlink too), ENOENT or ENOTDIR when the parent is missing or not
     * a directory. Whether the su user may write the parent is not checked. */
    mkdir: (path, mode) => {
      const full = posix.resolve(path);
      if (pretended.has(full)) return false;
      try {
        base.lstat(full);
        return false;
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') throw err;
      }
      const parent = look(posix.dirname(full), base.stat);
      if (parent.kind !== 'dir') throw errnoError('ENOTDIR', 'not a directory', full);
      pretended.set(full, { kind: 'dir', mode: mode & 0o7777, uid: process.geteuid?.() ?? 0, size: 0, dev: parent.dev });
      return true;
    },
    // Only the directories just pretended are given an owner and mode (olddir.ts).
    chown: (path, uid) => {
      const dir = remembered(path);
      if (dir !== undefined && uid !== -1) pretended.set(posix.resolve(path), { ...dir, uid });
    },
    chmod: (path, mode) => {
      const dir = remembered(path);
      if (dir !== undefined) pretended.set(posix.resolve(path), { ...dir, mode: mode & 0o7777 });
    },
  };
}
