// Reading the state file and replacing it atomically, with logrotate's messages.
// The lock (lock.ts) is taken before either; under -d neither is called for writing.
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Diagnostic } from '../config/model.js';
import { applyAcl, readExtendedAcl, type Acl } from '../native/acl.js';
import { parseState, serializeState } from './format.js';
import { syncDirectory } from './atomic.js';
import { retainEntries } from './retention.js';
import { errorCode, strerror } from '../strerror.js';

/** Where `-s /dev/null` sends the state: nothing is locked, read back or written. */
export const NO_STATE_PATH = '/dev/null';

export interface ReadStateResult {
  readonly entries: Map<string, Date>;
  readonly diagnostics: Diagnostic[];
  /** An error was reported: logrotate's exit status becomes 1, the run goes on. */
  readonly failed: boolean;
}

/** logrotate sizes its hash table from the file size and says so with -v; kept so that
 * verbose output lines up with logrotate's. */
function hashTableSize(bytes: number): number {
  return Math.min(8192, Math.max(64, Math.floor(bytes / 80 / 200)));
}

/** Read the state file. Missing or empty means empty state, without an error. */
export function readState(path: string): ReadStateResult {
  const diagnostics: Diagnostic[] = [{ severity: 'debug', text: `Reading state from file: ${path}` }];
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (err) {
    const missing = errorCode(err) === 'ENOENT';
    diagnostics.push(
      missing
        ? { severity: 'debug', text: `state file ${path} does not exist` }
        : { severity: 'error', text: `error opening state file ${path}: ${strerror(err)}` },
    );
    diagnostics.push({ severity: 'debug', text: `Allocating hash table for state file, size ${hashTableSize(0)} entries` });
    return { entries: new Map(), diagnostics, failed: !missing };
  }
  diagnostics.push({
    severity: 'debug',
    text: `Allocating hash table for state file, size ${hashTableSize(content.length)} entries`,
  });
  const parsed = parseState(content.toString('utf8'), path);
  // logrotate makes a hash entry for each path it loads and says so; a path repeated in
  // the file finds its entry and stays quiet.
  for (let i = 0; i < parsed.entries.size; i++) diagnostics.push({ severity: 'debug', text: 'Creating new state' });
  diagnostics.push(...parsed.diagnostics);
  return { entries: parsed.entries, diagnostics, failed: parsed.diagnostics.some((d) => d.severity === 'error') };
}

export interface WriteStateOptions {
  readonly now: Date;
  /** Paths this run's config refers to; only unused entries can age out. */
  readonly used: ReadonlySet<string>;
}

/** The one write call, replaceable so tests can fail in the middle of the file. */
export interface StateWriteIo {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
}

const nodeIo: StateWriteIo = { writeSync: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length) };

/** A step failed; carries the message, turned into a diagnostic by writeState. */
class WriteFailure {
  constructor(readonly text: string) {}
}

function attempt<T>(step: () => T, describe: (reason: string) => string): T {
  try {
    return step();
  } catch (err) {
    throw new WriteFailure(describe(strerror(err)));
  }
}

/** Replace the state file with `entries` (minus aged-out ones) through `S.tmp`, which
 * gets the old file's owner, ACL and mode without the world-read bit (others could
 * otherwise take the lock). Not for `/dev/null`; never call it under -d. */
export function writeState(
  path: string,
  entries: ReadonlyMap<string, Date>,
  options: WriteStateOptions,
  io: StateWriteIo = nodeIo,
): Diagnostic[] {
  if (path === NO_STATE_PATH) return [];
  const { kept, diagnostics } = retainEntries(entries, options.used, options.now);
  try {
    replaceAtomically(path, Buffer.from(serializeState(kept), 'utf8'), io);
  } catch (err) {
    if (!(err instanceof WriteFailure)) throw err;
    diagnostics.push({ severity: 'error', text: err.text });
  }
  return diagnostics;
}

interface OldFile {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly acl: Acl | null;
}

function inspectOldFile(path: string): OldFile {
  const fd = attempt(() => openSync(path, 'r'), (e) => `error opening state file ${path}: ${e}`);
  try {
    const stats = attempt(() => fstatSync(fd), (e) => `error stating ${path}: ${e}`);
    if (!stats.isFile()) throw new WriteFailure(`not writing state to ${path} because it is not a regular file`);
    const acl = readExtendedAcl(fd);
    if (acl.kind === 'failed') throw new WriteFailure(`getting file ACL ${path}: ${acl.message}`);
    return { mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, acl: acl.kind === 'acl' ? acl.acl : null };
  } finally {
    closeSync(fd);
  }
}

function replaceAtomically(path: string, content: Buffer, io: StateWriteIo): void {
  const old = inspectOldFile(path);
  const tmp = `${path}.tmp`;
  attempt(
    () => unlinkIfPresent(tmp),
    (e) => `error removing old temporary state file ${tmp}: ${e}`,
  );
  const dropsWorldRead = (old.mode & 0o004) !== 0;
  const mode = old.mode & ~0o004;
  // Owner-only until owner, ACL and mode are settled, like every file logrotate creates.
  const fd = attempt(
    () => openSync(tmp, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode & 0o600),
    (e) => `error creating output file ${tmp}: ${e}`,
  );
  let renamed = false;
  try {
    attempt(() => fchmodSync(fd, mode & 0o600), (e) => `error setting mode of ${tmp}: ${e}`);
    const created = attempt(() => fstatSync(fd), (e) => `fstat of ${tmp} failed: ${e}`);
    if (process.geteuid?.() === 0 && (created.uid !== old.uid || created.gid !== old.gid)) {
      attempt(
        () => fchownSync(fd, old.uid, old.gid),
        (e) => `error setting owner of ${tmp} to uid ${old.uid} and gid ${old.gid}: ${e}`,
      );
    }
    // A copied ACL carries the mode bits itself; with o+r dropped the plain mode wins.
    const acl = dropsWorldRead ? null : old.acl;
    if (acl === null) {
      attempt(() => fchmodSync(fd, mode), (e) => `error setting mode of ${tmp}: ${e}`);
    } else {
      const problem = applyAcl(fd, acl);
      if (problem !== null) throw new WriteFailure(`setting ACL for ${tmp}: ${problem}`);
    }
    attempt(
      () => {
        writeFully(fd, content, io);
        fsyncSync(fd);
      },
      (e) => `error creating temp state file ${tmp}: ${e}`,
    );
    attempt(() => renameSync(tmp, path), (e) => `error renaming temp state file ${tmp} to ${path}: ${e}`);
    renamed = true;
  } finally {
    closeSync(fd);
    if (!renamed) unlinkQuietly(tmp);
  }
  syncDirectory(dirname(path));
}

function writeFully(fd: number, content: Buffer, io: StateWriteIo): void {
  let offset = 0;
  while (offset < content.length) offset += io.writeSync(fd, content, offset, content.length - offset);
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already reported the failure that led here; a leftover S.tmp is removed next run.
  }
}
