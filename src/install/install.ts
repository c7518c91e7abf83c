// Putting the shipped cron job or systemd units in place under a root, and taking them away.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { shippedFiles, type InstallTarget } from './files.js';

export interface InstallRequest {
  readonly targets: readonly InstallTarget[];
  /** "/" for the running system; a staging directory for packagers and tests. */
  readonly root: string;
  readonly binary: string;
  readonly etcDir: string;
}

/** Writes every file of the targets; returns the paths written. */
export async function install(request: InstallRequest): Promise<string[]> {
  const written: string[] = [];
  for (const target of request.targets) {
    for (const file of shippedFiles(target)) {
      const text = await readFile(join(request.etcDir, file.source), 'utf8');
      const destination = join(request.root, file.destination);
      await mkdir(dirname(destination), { recursive: true, mode: 0o755 });
      await writeFile(destination, file.render(text, request.binary), { mode: file.mode });
      // writeFile's mode is filtered by the umask and ignored for an existing file.
      await chmod(destination, file.mode);
      written.push(destination);
    }
  }
  return written;
}

/** Removes every file of the targets that exists; returns the paths removed. */
export async function uninstall(targets: readonly InstallTarget[], root: string): Promise<string[]> {
  const removed: string[] = [];
  for (const target of targets) {
    for (const file of shippedFiles(target)) {
      const destination = join(root, file.destination);
      const existed = await rm(destination).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false;
          throw error;
        },
      );
      if (existed) removed.push(destination);
    }
  }
  return removed;
}

/** What the administrator does next, which logrotor does not do behind their back. */
export function nextSteps(targets: readonly InstallTarget[], root: string): string[] {
  const steps: string[] = [];
  if (root !== '/') return steps;
  if (targets.includes('systemd'))
    steps.push('systemctl daemon-reload && systemctl enable --now logrotor.timer', 'systemctl disable --now logrotate.timer   # so logs are not rotated by both');
  if (targets.includes('cron')) steps.push('chmod -x /etc/cron.daily/logrotate   # so logs are not rotated by both');
  return steps;
}
