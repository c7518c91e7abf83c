// The state lock: flock(2) on the state file, exactly as logrotate takes it, so that
// logrotate and logrotor runs on the same state file exclude each other. The lock
// lives on our own open file description, so it is held until we close it or exit.
import { spawn } from 'node:child_process';
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Diagnostic } from '../config/model.js';
import { loadNative, type NativeBinding } from '../native/index.js';
import { NO_STATE_PATH } from './store.js';
import { errorCode, strerror } from '../strerror.js';

/** `--skip-state-lock` and `--wait-for-state-lock` against the default. */
export type LockMode = 'normal' | 'skip' | 'wait';

export type LockResult =
  | { readonly kind: 'locked'; readonly diagnostics: Diagnostic[]; release(): void }
  | { readonly kind: 'unlocked'; readonly reason: 'no-state' | 'skip' | 'world-readable'; readonly diagnostics: Diagnostic[] }
  /** Another process holds it: logrotate prints `message` as an error and exits 3. */
  | { readonly kind: 'busy'; readonly message: string; readonly diagnostics: Diagnostic[] }
  /** Could not open, create or lock the file: also exit 3. */
  | { readonly kind: 'failed'; readonly message: string; readonly diagnostics: Diagnostic[] };

export type LockAttempt = { readonly kind: 'locked' } | { readonly kind: 'busy' } | { readonly kind: 'failed'; readonly reason: string };

/** One non-blocking exclusive flock on an fd of ours. */
export interface FdLocker {
  tryLock(fd: number): Promise<LockAttempt>;
}

export function nativeLocker(binding: NativeBinding): FdLocker {
  return {
    tryLock: async (fd) => {
      try {
        binding.flock(fd, 'exclusive-nonblocking');
        return { kind: 'locked' };
      } catch (err) {
        const code = errorCode(err);
        return code === 'EWOULDBLOCK' || code === 'EAGAIN' ? { kind: 'busy' } : { kind: 'failed', reason: strerror(err) };
      }
    },
  };
}

/** Exit status we ask flock(1) to use for "already locked", distinct from its errors. */
const FLOCK_CONFLICT_STATUS = 75;

/** util-linux flock(1) locking our fd, handed to it as its fd 3. flock locks belong to
 * the open file description, which the child shares with us, so the lock outlasts the
 * child (which exits at once: -n never waits) and ends when we close the fd or die. */
export const flockCommandLocker: FdLocker = {
  tryLock: (fd) =>
    new Promise((resolve) => {
      const child = spawn('flock', ['-n', '-E', String(FLOCK_CONFLICT_STATUS), '3'], {
        stdio: ['ignore', 'ignore', 'pipe', fd],
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', (err) => resolve({ kind: 'failed', reason: `cannot run flock: ${strerror(err)}` }));
      child.on('close', (status) => {
        if (status === 0) resolve({ kind: 'locked' });
        else if (status === FLOCK_CONFLICT_STATUS) resolve({ kind: 'busy' });
        else resolve({ kind: 'failed', reason: stderr.trim() || `flock exited with status ${String(status)}` });
      });
    }),
};

function defaultLocker(): FdLocker {
  const binding = loadNative();
  return binding === null ? flockCommandLocker : nativeLocker(binding);
}

/** How often --wait-for-state-lock retries. Polling rather than a blocking flock keeps
 * the event loop (daemon timers, signal handlers) running and leaves no waiting child. */
const WAIT_POLL_MS = 100;

/** Open (creating a 0640 stub if needed) and lock the state file. Not to be called
 * under -d, which neither locks nor writes. */
export async function lockState(path: string, mode: LockMode, locker: FdLocker = defaultLocker()): Promise<LockResult> {
  const diagnostics: Diagnostic[] = [];
  if (path === NO_STATE_PATH) return { kind: 'unlocked', reason: 'no-state', diagnostics };
  const failed = (message: string): LockResult => ({ kind: 'failed', message, diagnostics });

  const opened = openForLock(path, diagnostics);
  if (typeof opened === 'string') return failed(opened);
  const fd = opened;
  const closeAnd = (result: LockResult): LockResult => {
    closeSync(fd);
    return result;
  };

  if (mode === 'skip') {
    diagnostics.push({ severity: 'debug', text: `Skip locking state file ${path}` });
    return closeAnd({ kind: 'unlocked', reason: 'skip', diagnostics });
  }
  let worldReadable: boolean;
  try {
    worldReadable = (fstatSync(fd).mode & 0o004) !== 0;
  } catch (err) {
    return closeAnd(failed(`error stat()ing state file ${path}: ${strerror(err)}`));
  }
  if (worldReadable) {
    diagnostics.push({
      severity: 'warning',
      text:
        `state file ${path} is world-readable and thus can be locked from other unprivileged users.` +
        ' Skipping lock acquisition...',
    });
    return closeAnd({ kind: 'unlocked', reason: 'world-readable', diagnostics });
  }

  if (mode === 'wait') diagnostics.push({ severity: 'debug', text: `waiting for lock on state file ${path}` });
  let attempt = await locker.tryLock(fd);
  while (attempt.kind === 'busy' && mode === 'wait') {
    await sleep(WAIT_POLL_MS);
    attempt = await locker.tryLock(fd);
  }
  switch (attempt.kind) {
    case 'busy':
      return closeAnd({
        kind: 'busy',
        message: `state file ${path} is already locked\nlogrotate does not support parallel execution on the same set of logfiles.`,
        diagnostics,
      });
    case 'failed':
      return closeAnd(failed(`error acquiring lock on state file ${path}: ${attempt.reason}`));
    case 'locked': {
      diagnostics.push({ severity: 'debug', text: `acquired lock on state file ${path}` });
      let held = true;
      const release = (): void => {
        // Closing our only descriptor of the open file description drops the flock.
        if (held) closeSync(fd);
        held = false;
      };
      return { kind: 'locked', diagnostics, release };
    }
  }
}

/** The fd to lock, or the error message. */
function openForLock(path: string, diagnostics: Diagnostic[]): number | string {
  try {
    return openSync(path, constants.O_RDWR);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') return `error opening state file ${path}: ${strerror(err)}`;
  }
  diagnostics.push({ severity: 'debug', text: `Creating stub state file: ${path}` });
  try {
    return openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o640);
  } catch (err) {
    return `error creating stub state file ${path}: ${strerror(err)}`;
  }
}
