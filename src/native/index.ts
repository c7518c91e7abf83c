// Syscalls Node does not expose, from the optional native addon in native/.
// Every caller must work when the addon is missing (loadNative() returns null):
// each feature has a fallback through a util-linux command, and both paths are tested.

export interface NativeBinding {
  /** flock(2) on an open fd. Throws an Error with `code` (e.g. 'EWOULDBLOCK'). */
  flock(fd: number, op: 'exclusive-nonblocking' | 'exclusive' | 'unlock'): void;
  /** fallocate(FALLOC_FL_COLLAPSE_RANGE). Throws with `code` ('EOPNOTSUPP', 'EINVAL', …). */
  collapseRange(fd: number, offset: number, length: number): void;
  /** ioctl(FICLONE): make dstFd share srcFd's blocks. Throws with `code` when unsupported. */
  clone(srcFd: number, dstFd: number): void;
}

let cached: NativeBinding | null | undefined;

/** The addon, or null when it was not built for this platform. Loaded once, lazily. */
export function loadNative(): NativeBinding | null {
  if (cached === undefined) cached = null; // replaced by the addon loader (issue 4)
  return cached;
}
