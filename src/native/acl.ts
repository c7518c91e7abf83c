// POSIX access ACLs of open files. With the native addon one fgetxattr/fsetxattr of
// `system.posix_acl_access` is both the "has an extended ACL" test and the copy (the
// kernel drops that attribute when an ACL says no more than the mode bits). Without
// it, Debian's acl tools, by absolute path, on /proc/<our pid>/fd/N so that they act
// on exactly the inode we hold open.
import { spawnSync } from 'node:child_process';
import { loadNative } from './index.js';
import { errorCode, strerror } from '../strerror.js';

/** An ACL as read, to be applied as is: the attribute's bytes, or getfacl's text. The
 * addon is loaded once per process, so the reader and the writer always agree. */
export type Acl = { readonly via: 'xattr'; readonly bytes: Buffer } | { readonly via: 'getfacl'; readonly text: string };

export type AclRead =
  | { readonly kind: 'none' } // base entries only, no ACL support, or no getfacl at all
  | { readonly kind: 'acl'; readonly acl: Acl }
  | { readonly kind: 'failed'; readonly message: string };

const GETFACL = '/usr/bin/getfacl';
const SETFACL = '/usr/bin/setfacl';

function fdPath(fd: number): string {
  return `/proc/${process.pid}/fd/${fd}`;
}

function toolMessage(result: ReturnType<typeof spawnSync>): string {
  const stderr = String(result.stderr ?? '').trim();
  return stderr === '' ? `exit status ${String(result.status)}` : stderr;
}

/** The extended ACL of an open file. */
export function readExtendedAcl(fd: number): AclRead {
  const native = loadNative();
  if (native === null) return readWithGetfacl(fd);
  try {
    const bytes = native.getAcl(fd);
    return bytes === null ? { kind: 'none' } : { kind: 'acl', acl: { via: 'xattr', bytes } };
  } catch (err) {
    return { kind: 'failed', message: strerror(err) };
  }
}

/** `--skip-base` prints nothing for a file whose ACL is just its mode bits, so one
 * getfacl call is both the check and the read. */
function readWithGetfacl(fd: number): AclRead {
  const result = spawnSync(GETFACL, ['--skip-base', '--omit-header', '--absolute-names', fdPath(fd)], {
    encoding: 'utf8',
  });
  if (result.error !== undefined) {
    return errorCode(result.error) === 'ENOENT' ? { kind: 'none' } : { kind: 'failed', message: result.error.message };
  }
  if (result.status !== 0) return { kind: 'failed', message: toolMessage(result) };
  return result.stdout.trim() === '' ? { kind: 'none' } : { kind: 'acl', acl: { via: 'getfacl', text: result.stdout } };
}

/** Replace the ACL of an open file (its mode bits follow from it); null on success,
 * else the complaint. */
export function applyAcl(fd: number, acl: Acl): string | null {
  switch (acl.via) {
    case 'xattr': {
      const native = loadNative();
      if (native === null) return 'no native addon to set an ACL read through it';
      try {
        native.setAcl(fd, acl.bytes);
        return null;
      } catch (err) {
        return strerror(err);
      }
    }
    case 'getfacl': {
      const result = spawnSync(SETFACL, ['--set-file=-', fdPath(fd)], { input: acl.text, encoding: 'utf8' });
      if (result.error !== undefined) return result.error.message;
      return result.status === 0 ? null : toolMessage(result);
    }
  }
}
