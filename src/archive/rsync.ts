// Archiving through the rsync program, to an rsync daemon (rsync://) or over ssh
// (HOST:PATH). Verification: rsync itself checks every file it sends against a whole-file
// checksum before renaming it into place, and exits non-zero when that fails; the local
// file is digested before and after, so a file that changed while rsync read it is not
// taken as archived (the copy is deleted again).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strerror } from '../strerror.js';
import { describeDigest, digestFile, type FileDigest } from './digest.js';
import { remoteUrl } from './remote.js';
import { checkArgs, deleteArgs, itemized, rsyncFailure, runRsync, uploadArgs, type RsyncTarget } from './rsync-command.js';
import { failure, type ArchiveFailure, type Archived, type Presence, type Transport } from './transport.js';

async function digestOrFailure(file: string): Promise<FileDigest | ArchiveFailure> {
  try {
    return await digestFile(file);
  } catch (error) {
    return failure('local', `${file}: ${strerror(error)}`);
  }
}

export function openRsync(target: RsyncTarget): Transport {
  async function check(file: string, name: string): Promise<Presence | ArchiveFailure> {
    const remote = remoteUrl(target, name);
    const run = await runRsync(target, checkArgs(target, resolve(file), name));
    if (run.code !== 0) return rsyncFailure(remote, run);
    const seen = itemized(run.stdout);
    return { ok: true, remote, state: seen === 'new' ? 'absent' : seen === 'changed' ? 'different' : 'same' };
  }

  async function remove(name: string): Promise<void> {
    const empty = await mkdtemp(join(tmpdir(), 'logrotor-rsync-'));
    try {
      await runRsync(target, deleteArgs(target, empty, name));
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }

  async function upload(file: string, name: string): Promise<Archived | ArchiveFailure> {
    const remote = remoteUrl(target, name);
    const path = resolve(file);
    const before = await digestOrFailure(path);
    if ('ok' in before) return before;
    const run = await runRsync(target, uploadArgs(target, path, name));
    if (run.code !== 0) return rsyncFailure(remote, run);
    const done = { ok: true as const, remote, bytes: before.bytes, digest: describeDigest(before) };

    if (itemized(run.stdout) === 'equal') {
      // Not sent: the name exists. It counts only if it holds this very content.
      const found = await check(path, name);
      if (!found.ok) return found;
      if (found.state === 'same') return { ...done, existed: true };
      if (found.state === 'different') return failure('conflict', `${remote}: already exists with other content; not overwritten`);
      return failure('failed', `${remote}: rsync neither sent the file nor found it there`);
    }
    const after = await digestOrFailure(path);
    if ('ok' in after || !after.md5.equals(before.md5)) {
      await remove(name);
      return failure('mismatch', `${remote}: ${path} changed while it was sent; the copy was deleted`);
    }
    return { ...done, existed: false };
  }

  return { check, upload, close: () => undefined };
}
