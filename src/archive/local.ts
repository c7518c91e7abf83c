// Archiving into a mounted directory (NFS, CIFS, a second disk): copy to a hidden
// temporary name beside the final one, fsync, verify by reading the copy back, rename,
// fsync the directory. The archive directory itself is never created: when the mount is
// missing, the files must not land on the local disk underneath it.
import { copyFile, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { errorCode, strerror } from '../strerror.js';
import { describeDigest, digestFile, type FileDigest } from './digest.js';
import { remoteUrl } from './remote.js';
import type { ArchiveTarget } from './target.js';
import { failure, type ArchiveFailure, type Archived, type Presence, type Transport } from './transport.js';

type DirTarget = Extract<ArchiveTarget, { kind: 'dir' }>;

interface Inspection {
  readonly remote: string;
  readonly local: FileDigest;
  readonly state: Presence['state'];
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some network filesystems cannot fsync a directory; the rename itself stands.
    if (errorCode(error) !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

/** Digest of `path`, or null when it does not exist. */
async function digestIfPresent(path: string): Promise<FileDigest | null> {
  try {
    return await digestFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/** Creates the directories between `base` and `dir`; returns the ones it made, outermost first. */
async function makeParents(base: string, dir: string): Promise<string[]> {
  const made: string[] = [];
  let current = base;
  for (const part of posix.relative(base, dir).split('/').filter((p) => p !== '')) {
    current = posix.join(current, part);
    try {
      await mkdir(current, { mode: 0o755 });
      made.push(current);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
  return made;
}

export function openDirectory(target: DirTarget): Transport {
  async function inspect(file: string, name: string): Promise<Inspection | ArchiveFailure> {
    try {
      if (!(await stat(target.dir)).isDirectory()) return failure('missing', `${target.dir}: not a directory`);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return failure('missing', `${target.dir}: archive directory does not exist (is it mounted?)`);
      return failure('unreachable', `${target.dir}: ${strerror(error)}`);
    }
    const remote = remoteUrl(target, name);
    let local: FileDigest;
    try {
      local = await digestFile(file);
    } catch (error) {
      return failure('local', `${file}: ${strerror(error)}`);
    }
    try {
      const there = await digestIfPresent(remote);
      return { remote, local, state: there === null ? 'absent' : there.md5.equals(local.md5) ? 'same' : 'different' };
    } catch (error) {
      return failure('failed', `${remote}: ${strerror(error)}`);
    }
  }

  async function check(file: string, name: string): Promise<Presence | ArchiveFailure> {
    const found = await inspect(file, name);
    return 'ok' in found ? found : { ok: true, remote: found.remote, state: found.state };
  }

  async function upload(file: string, name: string): Promise<Archived | ArchiveFailure> {
    const found = await inspect(file, name);
    if ('ok' in found) return found;
    const { remote, local } = found;
    if (found.state === 'different') return failure('conflict', `${remote}: already exists with other content; not overwritten`);
    const done = { ok: true as const, remote, bytes: local.bytes, digest: describeDigest(local) };
    if (found.state === 'same') return { ...done, existed: true };

    const dir = posix.dirname(remote);
    const temp = posix.join(dir, `.${posix.basename(remote)}.logrotor-part`);
    try {
      const made = await makeParents(target.dir, dir);
      await copyFile(file, temp);
      await fsyncPath(temp);
      // Read back: what is on the target now is what was digested before the copy.
      if (!(await digestFile(temp)).md5.equals(local.md5)) {
        await unlink(temp);
        return failure('mismatch', `${remote}: the copy differs from ${file} (did it change while it was copied?); nothing kept`);
      }
      await rename(temp, remote);
      await fsyncPath(dir);
      // A new directory's entry lives in its parent: make those durable too.
      for (const created of made.reverse()) await fsyncPath(posix.dirname(created));
      return { ...done, existed: false };
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      const full = errorCode(error) === 'ENOSPC' || errorCode(error) === 'EDQUOT';
      return failure(full ? 'refused' : 'failed', `${remote}: ${strerror(error)}`);
    }
  }

  return { check, upload, close: () => undefined };
}
