// Which data a run may legitimately lose, read from the plan that `-d --json` printed
// rather than from a second implementation of logrotate's rules: the plan's actions are
// replayed over the files as they were before the run, following each file's content
// through renames, copies and compressions. Content that the replay leaves nowhere was
// removed by the config (rotate count, maxage, rotate 0) or overwritten by a planned
// rename, as logrotate does too; everything else must still be there afterwards.
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Action } from '../../src/plan/model.js';

/** The parts of `-d --json`'s plan the replay reads. */
export interface PlanJson {
  readonly now: string;
  readonly sections: readonly {
    readonly options: { readonly sharedScripts: boolean; readonly scripts: { readonly preremove?: string } };
    readonly rotations: readonly {
      readonly prepare: readonly Action[];
      readonly rotate: readonly Action[];
      readonly finish: readonly Action[];
    }[];
  }[];
}

/** One file's data in the replay: which original files' lines it holds. */
interface Inode {
  content: Set<number>;
}

export interface Expectation {
  /** Per original file (ledger index): how many files may hold its lines at most. */
  readonly maxCopies: ReadonlyMap<number, number>;
  /** Original files whose lines may all be gone. */
  readonly mayVanish: ReadonlySet<number>;
}

class Replay {
  private readonly names = new Map<string, Inode>();
  private readonly canonical = new Map<string, string>();
  private backups = 0;

  /** A path with its directory resolved as it was before the run, so that a log reached
   * through a symlinked directory is the same file as by its real name. */
  name(path: string): string {
    const dir = dirname(path);
    let real = this.canonical.get(dir);
    if (real === undefined) {
      try {
        real = realpathSync(dir);
      } catch {
        real = dir;
      }
      this.canonical.set(dir, real);
    }
    return join(real, basename(path));
  }

  bind(path: string, inode: Inode): void {
    this.names.set(this.name(path), inode);
  }

  /** Keeps the file at `path` alive under a name nothing else uses: creating a file
   * (O_EXCL) moves one in the way to a backup name, and a failing preremove keeps one
   * the plan removes. */
  private clear(path: string): void {
    const there = this.names.get(path);
    if (there === undefined) return;
    this.names.delete(path);
    this.names.set(`\0backup-${this.backups++}`, there);
  }

  /** `refused`: treat this removal as refused, as a failing preremove script does. */
  apply(action: Action, refused: boolean): void {
    switch (action.kind) {
      case 'rename': {
        const from = this.name(action.from);
        const inode = this.names.get(from);
        if (inode === undefined) return;
        this.names.delete(from);
        this.names.set(this.name(action.to), inode);
        return;
      }
      case 'copy': {
        const inode = this.names.get(this.name(action.from));
        if (inode === undefined) return;
        if (action.skipCopy !== true) {
          const to = this.name(action.to);
          this.clear(to);
          this.names.set(to, { content: new Set(inode.content) });
        }
        if (action.truncate) inode.content = new Set();
        return;
      }
      case 'compress': {
        const inode = this.names.get(this.name(action.from));
        if (inode === undefined) return;
        const to = this.name(action.to);
        this.clear(to);
        this.names.set(to, { content: new Set(inode.content) });
        return;
      }
      case 'create': {
        const path = this.name(action.path);
        this.clear(path);
        this.names.set(path, { content: new Set() });
        return;
      }
      case 'remove':
        if (refused) this.clear(this.name(action.path));
        else this.names.delete(this.name(action.path));
        return;
      case 'mail':
      case 'stamp':
      case 'shift-gap':
      case 'signal':
        return;
    }
  }

  copiesOf(): Map<number, number> {
    const copies = new Map<number, number>();
    for (const inode of new Set(this.names.values())) for (const id of inode.content) copies.set(id, (copies.get(id) ?? 0) + 1);
    return copies;
  }
}

/** `files`: every regular file of the tree before the run, by absolute path, with its
 * ledger index (hard links share one). Two replays: one where every removal happens,
 * which says what may vanish, and one where the removals of sections with a preremove
 * script are refused (its failure keeps the file), which says how many copies may be left. */
export function expectFromPlan(plan: PlanJson, files: ReadonlyMap<string, number>): Expectation {
  const removed = replayPlan(plan, files, false);
  const refused = replayPlan(plan, files, true);
  const maxCopies = new Map<number, number>();
  const mayVanish = new Set<number>();
  for (const id of new Set(files.values())) {
    if (!removed.holders.has(id)) continue;
    maxCopies.set(id, Math.max(1, refused.copies.get(id) ?? 0));
    if ((removed.copies.get(id) ?? 0) === 0) mayVanish.add(id);
  }
  return { maxCopies, mayVanish };
}

function replayPlan(plan: PlanJson, files: ReadonlyMap<string, number>, preremoveRefuses: boolean): { holders: Set<number>; copies: Map<number, number> } {
  const replay = new Replay();
  const inodes = new Map<number, Inode>();
  for (const [path, id] of files) {
    // Symlinks to a file would otherwise alias it: only the real file is a holder.
    if (lstatSync(path, { throwIfNoEntry: false })?.isFile() !== true) continue;
    const inode = inodes.get(id) ?? { content: new Set([id]) };
    inodes.set(id, inode);
    replay.bind(path, inode);
  }
  for (const section of plan.sections) {
    const phases = ['prepare', 'rotate', 'finish'] as const;
    const refused = preremoveRefuses && section.options.scripts.preremove !== undefined;
    const apply = (action: Action): void => replay.apply(action, refused);
    if (section.options.sharedScripts) {
      for (const phase of phases) for (const rotation of section.rotations) rotation[phase].forEach(apply);
    } else {
      for (const rotation of section.rotations) for (const phase of phases) rotation[phase].forEach(apply);
    }
  }
  return { holders: new Set(inodes.keys()), copies: replay.copiesOf() };
}
