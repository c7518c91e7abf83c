// POSIX ACLs through Debian's acl tools, since Node has no xattr calls. Files are named
// by /proc/<our pid>/fd/N so the tools act on exactly the inode we hold open.
import { spawnSync } from 'node:child_process';
import { errorCode } from './strerror.js';

export type AclRead =
  | { readonly kind: 'none' } // base entries only, no ACL support, or no getfacl at all
  | { readonly kind: 'acl'; readonly text: string }
  | { readonly kind: 'failed'; readonly message: string };

function fdPath(fd: number): string {
  return `/proc/${process.pid}/fd/${fd}`;
}

function toolMessage(result: ReturnType<typeof spawnSync>): string {
  const stderr = String(result.stderr ?? '').trim();
  return stderr === '' ? `exit status ${String(result.status)}` : stderr;
}

/** The extended ACL of an open file. `--skip-base` prints nothing for a file whose ACL
 * is just its mode bits, so one getfacl call is both the check and the read. */
export function readExtendedAcl(fd: number): AclRead {
  const result = spawnSync('getfacl', ['--skip-base', '--omit-header', '--absolute-names', fdPath(fd)], {
    encoding: 'utf8',
  });
  if (result.error !== undefined) {
    return errorCode(result.error) === 'ENOENT' ? { kind: 'none' } : { kind: 'failed', message: result.error.message };
  }
  if (result.status !== 0) return { kind: 'failed', message: toolMessage(result) };
  return result.stdout.trim() === '' ? { kind: 'none' } : { kind: 'acl', text: result.stdout };
}

/** Replace the ACL of an open file; null on success, else setfacl's complaint. */
export function applyAcl(fd: number, acl: string): string | null {
  const result = spawnSync('setfacl', ['--set-file=-', fdPath(fd)], { input: acl, encoding: 'utf8' });
  if (result.error !== undefined) return result.error.message;
  return result.status === 0 ? null : toolMessage(result);
}
