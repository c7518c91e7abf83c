// Syscalls (and one libc call) Node does not expose, from the optional native addon in native/.
// Every caller must work when the addon is missing (loadNative() returns null):
// each feature has a fallback through a util-linux command, and both paths are tested.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface NativeBinding {
  /** flock(2) on an open fd. Throws an Error with `code` (e.g. 'EWOULDBLOCK'). */
  flock(fd: number, op: 'exclusive-nonblocking' | 'exclusive' | 'unlock'): void;
  /** fallocate(FALLOC_FL_COLLAPSE_RANGE). Throws with `code` ('EOPNOTSUPP', 'EINVAL', …). */
  collapseRange(fd: number, offset: number, length: number): void;
  /** ioctl(FICLONE): make dstFd share srcFd's blocks. Throws with `code` when unsupported. */
  clone(srcFd: number, dstFd: number): void;
  /** fgetxattr(system.posix_acl_access): the access ACL's bytes, null when the file has
   * no extended ACL or the filesystem no ACLs. Throws with `code` otherwise. */
  getAcl(fd: number): Buffer | null;
  /** fsetxattr(system.posix_acl_access) with bytes from getAcl. Throws with `code`. */
  setAcl(fd: number, acl: Buffer): void;
  /** glibc's malloc_trim(0): the free pages of every malloc arena back to the kernel.
   * True when some were released; always false on other C libraries. */
  mallocTrim(): boolean;
}

let cached: NativeBinding | null | undefined;

/** Where node-gyp puts the addon, relative to this module (dist/src/native/). */
const ADDON_URL = new URL('../../../native/build/Release/logrotor_native.node', import.meta.url);

/** The addon, or null when it was not built for this platform or LOGROTOR_NO_NATIVE=1
 * asks for the util-linux fallbacks (the tests run both paths). Loaded once, lazily. */
export function loadNative(): NativeBinding | null {
  if (cached === undefined) {
    cached = process.env['LOGROTOR_NO_NATIVE'] === '1' ? null : tryLoad();
  }
  return cached;
}

function tryLoad(): NativeBinding | null {
  try {
    return createRequire(import.meta.url)(fileURLToPath(ADDON_URL)) as NativeBinding;
  } catch {
    return null;
  }
}
