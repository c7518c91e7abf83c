// Every file a configuration manages: each live log and its rotations, next to it or in
// its olddir. Regular files only (logrotate never rotates symlinks either).
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Section } from '../config/model.js';
import { rotatedNameMatcher, rotationSearchDirs } from '../plan/rotated-names.js';

export interface ManagedFile {
  readonly path: string;
  readonly size: number;
  readonly mtime: Date;
}

const GLOB_CHARS = /[*?[]/;

/** Files in config order (each log, then its rotations by name), each once, with an
 * mtime at or after `since` when given. */
export async function managedFiles(sections: readonly Section[], since: Date | null): Promise<ManagedFile[]> {
  const seen = new Set<string>();
  const result: ManagedFile[] = [];
  const add = async (path: string): Promise<void> => {
    if (seen.has(path)) return;
    seen.add(path);
    const stat = await lstat(path).catch(() => null);
    if (stat === null || !stat.isFile()) return;
    if (since !== null && stat.mtime < since) return;
    result.push({ path, size: stat.size, mtime: stat.mtime });
  };
  for (const section of sections) {
    for (const log of section.files) {
      // A word that matched nothing stays as written; it names no file.
      if (GLOB_CHARS.test(log)) continue;
      await add(log);
      const isRotation = rotatedNameMatcher(log, section.options);
      for (const dir of rotationSearchDirs(log, section.options.oldDir)) {
        const names = await readdir(dir).catch(() => []);
        for (const name of names.filter(isRotation).sort()) await add(join(dir, name));
      }
    }
  }
  return result;
}
