// What watch mode looks at: the logs whose rotation depends on their size, and the
// directories holding them (or holding the files their globs may yet match).
import { dirname, sep } from 'node:path';
import type { LogOptions, Section } from '../config/model.js';

/** The size rules of one log: `size` rotates at or above, `maxsize` strictly above. */
export interface SizeTrigger {
  readonly atLeast: number | null;
  readonly above: number | null;
}

export interface WatchPlan {
  readonly logs: ReadonlyMap<string, SizeTrigger>;
  readonly dirs: ReadonlySet<string>;
}

const GLOB_CHARS = /[*?[]/;

export function sizeTrigger(options: LogOptions): SizeTrigger | null {
  const atLeast = options.criterion.kind === 'size' ? options.criterion.bytes : null;
  const above = options.maxSize > 0 ? options.maxSize : null;
  return atLeast === null && above === null ? null : { atLeast, above };
}

/** Whether a log of `size` bytes is due. An empty log never is, even with `size 0`:
 * rotating it would create a new empty log and trigger again at once. */
export function exceeds(trigger: SizeTrigger, size: number): boolean {
  if (size === 0) return false;
  return (trigger.atLeast !== null && size >= trigger.atLeast) || (trigger.above !== null && size > trigger.above);
}

/** The deepest directory of `path` without wildcards: where a new match would appear. */
export function staticDirectory(path: string): string {
  const parts = dirname(path).split(sep);
  const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
  const kept = firstGlob === -1 ? parts : parts.slice(0, firstGlob);
  return kept.join(sep) || sep;
}

export function watchPlan(sections: readonly Section[]): WatchPlan {
  const logs = new Map<string, SizeTrigger>();
  const dirs = new Set<string>();
  for (const section of sections) {
    // Under norename the application decides when a file is finished: no size applies.
    if (section.options.noRename) continue;
    const trigger = sizeTrigger(section.options);
    if (trigger === null) continue;
    for (const file of section.files) {
      dirs.add(staticDirectory(file));
      // A word that matched nothing stays in `files` as written; it names no log yet.
      if (!GLOB_CHARS.test(file) && !logs.has(file)) logs.set(file, trigger);
    }
  }
  return { logs, dirs };
}
