// Watching one directory: inotify through fs.watch, or polling when the kernel's
// inotify limits are exhausted. Directories, not files, because rotation renames the
// very files being watched.
import { lstatSync, readdirSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DirEvent {
  readonly kind: 'rename' | 'change';
  /** Entry name inside the directory; null when the platform does not say. */
  readonly name: string | null;
}

export interface DirWatch {
  close(): void;
}

/** Throws synchronously when the watch cannot be set up; later failures go to `onError`. */
export type DirWatchFactory = (dir: string, onEvent: (event: DirEvent) => void, onError: (error: Error) => void) => DirWatch;

export const inotifyWatch: DirWatchFactory = (dir, onEvent, onError) => {
  const watcher = watch(dir, { persistent: true }, (kind, name) => {
    onEvent({ kind: kind === 'change' ? 'change' : 'rename', name: name === null ? null : String(name) });
  });
  watcher.on('error', onError);
  return { close: () => watcher.close() };
};

/** A polling stand-in that reports the same events by comparing directory snapshots.
 * The first snapshot is taken before returning, as fs.watch is armed before returning. */
export function pollingWatch(intervalMs: number): DirWatchFactory {
  return (dir, onEvent, onError) => {
    let previous = snapshot(dir);
    const timer = setInterval(() => {
      try {
        const current = snapshot(dir);
        for (const [name, signature] of current) {
          const before = previous.get(name);
          if (before === undefined || before.ino !== signature.ino) onEvent({ kind: 'rename', name });
          else if (before.change !== signature.change) onEvent({ kind: 'change', name });
        }
        for (const name of previous.keys()) if (!current.has(name)) onEvent({ kind: 'rename', name });
        previous = current;
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    }, intervalMs);
    return { close: () => clearInterval(timer) };
  };
}

interface EntrySignature {
  readonly ino: number;
  /** Size and mtime: what a write changes. */
  readonly change: string;
}

/** Synchronous on purpose: it runs for the few directories inotify could not take, and
 * never overlaps itself. */
function snapshot(dir: string): Map<string, EntrySignature> {
  const result = new Map<string, EntrySignature>();
  for (const name of readdirSync(dir)) {
    try {
      const stat = lstatSync(join(dir, name));
      result.set(name, { ino: stat.ino, change: `${stat.size}:${stat.mtimeMs}` });
    } catch {
      // Removed between readdir and lstat: the next poll reports it gone.
    }
  }
  return result;
}

/** Explains an fs.watch failure caused by an inotify limit, naming the sysctl to raise;
 * null for any other failure. */
export async function inotifyLimitMessage(error: unknown): Promise<string | null> {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const limit = code === 'ENOSPC' ? 'max_user_watches' : code === 'EMFILE' ? 'max_user_instances' : null;
  if (limit === null) return null;
  const current = await readFile(`/proc/sys/fs/inotify/${limit}`, 'utf8').then(
    (text) => text.trim(),
    () => 'unknown',
  );
  return `the inotify ${code === 'ENOSPC' ? 'watch' : 'instance'} limit is reached (fs.inotify.${limit} = ${current}); raise it with 'sysctl fs.inotify.${limit}=<higher>'`;
}
