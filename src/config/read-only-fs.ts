// The config reader's filesystem for commands that must change nothing (`status`):
// `createolddir` makes its directories while the config is read, as logrotate does, so
// here they are only pretended — later lookups see them as new, empty directories on
// their parent's device — and owners and modes are left alone.
import { errorCode } from '../strerror.js';
import type { ConfigFs, FileInfo } from './fs.js';

export function readOnlyConfigFs(base: ConfigFs): ConfigFs {
  const pretended = new Map<string, { -readonly [K in keyof FileInfo]: FileInfo[K] }>();
  const look = (path: string, real: (path: string) => FileInfo): FileInfo => pretended.get(path) ?? real(path);
  const exists = (path: string): FileInfo | null => {
    try {
      return look(path, base.stat);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return null;
      throw err;
    }
  };
  /** The device a new directory would be on: its nearest existing ancestor's. */
  const deviceFor = (path: string): number => {
    for (let dir = parentOf(path); ; dir = parentOf(dir)) {
      const found = exists(dir);
      if (found !== null || dir === '/') return found?.dev ?? 0;
    }
  };
  return {
    ...base,
    stat: (path) => look(path, base.stat),
    lstat: (path) => look(path, base.lstat),
    readdir: (path) => (pretended.has(path) ? [] : base.readdir(path)),
    mkdir: (path, mode) => {
      if (exists(path) !== null) return false;
      pretended.set(path, { kind: 'dir', mode, uid: process.geteuid?.() ?? 0, size: 0, dev: deviceFor(path) });
      return true;
    },
    chown: (path, uid) => {
      const dir = pretended.get(path);
      if (dir !== undefined && uid !== -1) dir.uid = uid;
    },
    chmod: (path, mode) => {
      const dir = pretended.get(path);
      if (dir !== undefined) dir.mode = mode;
    },
  };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
