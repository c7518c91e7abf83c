// The rsync command lines of the rsync transport and how their results read. Pure but for
// `runRsync`, which spawns the program.
import { execFile } from 'node:child_process';
import { remoteUrl } from './remote.js';
import type { ArchiveTarget } from './target.js';
import { failure, type ArchiveFailure } from './transport.js';

export type RsyncTarget = Extract<ArchiveTarget, { kind: 'rsync' | 'ssh' }>;

/** The remote shell when the environment names none: never wait for a password prompt
 * (a daemon has no terminal), and give up on a host that does not answer. */
export const DEFAULT_RSH = 'ssh -o BatchMode=yes -o ConnectTimeout=20';

function common(target: RsyncTarget): string[] {
  // --contimeout is for daemon connections only; ssh has ConnectTimeout.
  return ['--itemize-changes', '--timeout=120', ...(target.kind === 'rsync' ? ['--contimeout=20'] : [])];
}

/**
 * Sends `file` unless the name exists. rsync writes into a hidden temporary file beside
 * the final name and renames it only once the whole-file checksum it computes while
 * sending matched on the receiving side; `--partial` and `--inplace`, which would defeat
 * that, are never given. `--mkpath` creates the host's directories (rsync ≥ 3.2.3).
 */
export function uploadArgs(target: RsyncTarget, file: string, name: string): string[] {
  return ['--ignore-existing', '--mkpath', '--times', ...common(target), file, remoteUrl(target, name)];
}

/** Compares `file` with the name by checksum, sending nothing (`-n`). */
export function checkArgs(target: RsyncTarget, file: string, name: string): string[] {
  return ['--dry-run', '--checksum', '--mkpath', ...common(target), file, remoteUrl(target, name)];
}

/** Deletes the name and nothing else: an empty directory is synced onto the name's
 * directory with `--delete`, filtered down to that one entry. */
export function deleteArgs(target: RsyncTarget, emptyDir: string, name: string): string[] {
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1).replace(/[[\]*?\\]/g, '\\$&');
  const dir = slash === -1 ? '' : name.slice(0, slash);
  const at = remoteUrl(target, dir);
  // `HOST:` is the home directory; `HOST:/` would be the root.
  const into = at.endsWith(':') ? `${at}./` : at.endsWith('/') ? at : `${at}/`;
  return ['--recursive', '--delete', `--include=/${base}`, '--exclude=*', ...common(target), `${emptyDir}/`, into];
}

/** What rsync's itemized line for the one file says: `<f+++++++++` a new file, `<f…` a
 * file whose content is (or would be) sent, nothing or `.f…` content already equal. */
export function itemized(stdout: string): 'new' | 'changed' | 'equal' {
  for (const line of stdout.split('\n')) {
    if (line.startsWith('<f+++++++++')) return 'new';
    if (line.startsWith('<f')) return 'changed';
  }
  return 'equal';
}

export interface RsyncRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** spawn itself failed (rsync not installed). */
  readonly spawnError: string | null;
}

export function runRsync(target: RsyncTarget, args: readonly string[]): Promise<RsyncRun> {
  const env = target.kind === 'ssh' ? { ...process.env, RSYNC_RSH: process.env['RSYNC_RSH'] ?? DEFAULT_RSH } : process.env;
  return new Promise((resolve) => {
    execFile('rsync', args, { env, encoding: 'utf8', maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr, spawnError: null });
      const code = typeof error.code === 'number' ? error.code : null;
      const spawnError = typeof error.code === 'string' ? error.code : null;
      resolve({ code, stdout, stderr, spawnError });
    });
  });
}

const UNREACHABLE = /Connection refused|Connection timed out|timed out|No route to host|Network is unreachable|Could not resolve|Name or service not known|max connections|Connection reset/i;
const DENIED = /Permission denied|auth failed|access denied|Host key verification failed|HOST IDENTIFICATION HAS CHANGED/i;

/** The line of rsync's (or ssh's) stderr that says what happened. */
function cause(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const told = lines.find((l) => /^@?ERROR|^ERROR:/.test(l)) ?? lines.find((l) => !/^rsync error:|connection unexpectedly closed/.test(l));
  return told ?? lines[0] ?? 'no message';
}

/** One clear line for a failed rsync run, and what kind of failure it is. */
export function rsyncFailure(remote: string, run: RsyncRun): ArchiveFailure {
  if (run.spawnError !== null) {
    const missing = run.spawnError === 'ENOENT';
    return failure(missing ? 'setup' : 'failed', `${remote}: ${missing ? 'rsync is not installed' : `cannot run rsync (${run.spawnError})`}`);
  }
  // 12 and 255 both mean the connection ended (which one rsync reports is a race): the
  // cause line says more.
  const exit = run.code === 12 || run.code === 255 ? '' : ` (rsync exit ${run.code ?? 'by signal'})`;
  const text = `${remote}: ${cause(run.stderr)}${exit}`;
  if (DENIED.test(run.stderr)) return failure('denied', text);
  if (/Unknown module/.test(run.stderr)) return failure('missing', text);
  if (/module is read only|No space left|Disk quota/i.test(run.stderr)) return failure('refused', text);
  if (UNREACHABLE.test(run.stderr) || run.code === 10 || run.code === 30 || run.code === 35) return failure('unreachable', text);
  return failure('failed', text);
}
