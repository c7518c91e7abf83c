// The three syscalls behind one async interface: the addon when it is loaded, otherwise
// the util-linux command that makes the same call. The commands get our descriptors as
// their fd 3/4 and reopen them through /dev/fd, so both paths act on the same open file.
import { spawn } from 'node:child_process';
import { loadNative, type NativeBinding } from './index.js';

export type FlockOp = Parameters<NativeBinding['flock']>[1];

export interface Syscalls {
  readonly via: 'native' | 'util-linux';
  flock(fd: number, op: FlockOp): Promise<void>;
  collapseRange(fd: number, offset: number, length: number): Promise<void>;
  clone(srcFd: number, dstFd: number): Promise<void>;
}

/** An Error carrying the errno name, like Node's fs errors. */
export class SyscallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SyscallError';
  }
}

/** glibc's strerror texts, as the util-linux tools print them, for the errors we act on. */
const CODE_BY_MESSAGE: readonly (readonly [string, string])[] = [
  ['Operation not supported', 'EOPNOTSUPP'],
  ['Invalid argument', 'EINVAL'],
  ['Invalid cross-device link', 'EXDEV'],
  ['No space left on device', 'ENOSPC'],
  ['Bad file descriptor', 'EBADF'],
  ['Operation not permitted', 'EPERM'],
  ['Inappropriate ioctl for device', 'ENOTTY'],
  ['Text file busy', 'ETXTBSY'],
];

function codeOf(stderr: string): string {
  return CODE_BY_MESSAGE.find(([message]) => stderr.includes(message))?.[1] ?? 'EUNKNOWN';
}

/** Runs `command` with `fds` as its descriptors 3, 4, …; resolves with its exit status. */
function runWithFds(command: string, args: readonly string[], fds: readonly number[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe', ...fds] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new SyscallError(error.code === 'ENOENT' ? 'ENOSYS' : (error.code ?? 'EUNKNOWN'), `${command}: ${error.message}`)),
    );
    child.on('close', (status) => resolve({ status: status ?? 1, stderr: stderr.trim() }));
  });
}

async function runOrThrow(command: string, args: readonly string[], fds: readonly number[]): Promise<void> {
  const { status, stderr } = await runWithFds(command, args, fds);
  if (status !== 0) throw new SyscallError(codeOf(stderr), stderr || `${command} exited with status ${status}`);
}

const FLOCK_ARGS: Readonly<Record<FlockOp, readonly string[]>> = {
  'exclusive-nonblocking': ['-x', '-n'],
  exclusive: ['-x'],
  unlock: ['-u'],
};

const utilLinux: Syscalls = {
  via: 'util-linux',
  async flock(fd, op) {
    // flock(1) exits 1 without a message when -n finds the lock held.
    const { status, stderr } = await runWithFds('flock', [...FLOCK_ARGS[op], '3'], [fd]);
    if (status === 1 && stderr === '') throw new SyscallError('EWOULDBLOCK', 'flock: lock is held by another process');
    if (status !== 0) throw new SyscallError(codeOf(stderr), stderr);
  },
  collapseRange: (fd, offset, length) =>
    runOrThrow('fallocate', ['--collapse-range', '--offset', String(offset), '--length', String(length), '/dev/fd/3'], [fd]),
  clone: (srcFd, dstFd) => runOrThrow('cp', ['--reflink=always', '/dev/fd/3', '/dev/fd/4'], [srcFd, dstFd]),
};

function fromBinding(binding: NativeBinding): Syscalls {
  // The addon is synchronous and fast (no data is moved), so wrapping it is enough.
  const call = async (f: () => void): Promise<void> => f();
  return {
    via: 'native',
    flock: (fd, op) => call(() => binding.flock(fd, op)),
    collapseRange: (fd, offset, length) => call(() => binding.collapseRange(fd, offset, length)),
    clone: (srcFd, dstFd) => call(() => binding.clone(srcFd, dstFd)),
  };
}

/** The implementation over `binding`, or over the util-linux commands for null. */
export function syscallsVia(binding: NativeBinding | null): Syscalls {
  return binding === null ? utilLinux : fromBinding(binding);
}

let chosen: Syscalls | undefined;

export function syscalls(): Syscalls {
  chosen ??= syscallsVia(loadNative());
  return chosen;
}
