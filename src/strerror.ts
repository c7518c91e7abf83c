// logrotate prints errors with strerror(3); Node only gives libuv's lower-case texts,
// so the glibc wording of the errors a state file or lock can meet is kept here.

const GLIBC_TEXT: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  EWOULDBLOCK: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  ENAMETOOLONG: 'File name too long',
  ENOLCK: 'No locks available',
  ENOSYS: 'Function not implemented',
  ELOOP: 'Too many levels of symbolic links',
  ENOTSUP: 'Operation not supported',
  EOPNOTSUPP: 'Operation not supported',
  EDQUOT: 'Disk quota exceeded',
  ESTALE: 'Stale file handle',
  EINTR: 'Interrupted system call',
  ENXIO: 'No such device or address',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  // getaddrinfo's EAI_NONAME, as gai_strerror(3) words it.
  ENOTFOUND: 'Name or service not known',
};

/** The errno name of a Node system error, or undefined for other throwables. */
export function errorCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** strerror(3)'s text for a Node system error; the error's own message otherwise. */
export function strerror(err: unknown): string {
  const code = errorCode(err);
  const known = code === undefined ? undefined : GLIBC_TEXT[code];
  if (known !== undefined) return known;
  return err instanceof Error ? err.message : String(err);
}
