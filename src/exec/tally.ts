// What a run's steps did that the metrics count: bytes compressed, rotations removed and
// why, files archived and failed. Kept by the effects as they go (only they know what
// really happened: a removal kept back for its archive did not).
import type { RemoveReason } from '../plan/model.js';

/** What the archive still waits for: files not confirmed yet, and their bytes. */
export interface Backlog {
  readonly files: number;
  readonly bytes: number;
}

export interface TallyFigures {
  readonly compressedBytes: number;
  readonly removed: readonly { readonly path: string; readonly reason: RemoveReason }[];
  readonly archived: { readonly files: number; readonly bytes: number };
  readonly archiveFailed: { readonly files: number; readonly bytes: number };
  /** What the archive still waits for after the run (null: no archive was touched). */
  readonly archiveBacklog: Backlog | null;
}

export const NO_FIGURES: TallyFigures = { compressedBytes: 0, removed: [], archived: { files: 0, bytes: 0 }, archiveFailed: { files: 0, bytes: 0 }, archiveBacklog: null };

export class RunTally {
  private compressedBytes = 0;
  private readonly removed: { path: string; reason: RemoveReason }[] = [];
  private readonly archived = { files: 0, bytes: 0 };
  private readonly archiveFailed = { files: 0, bytes: 0 };

  compressed(bytes: number): void {
    this.compressedBytes += bytes;
  }

  removedFile(path: string, reason: RemoveReason): void {
    this.removed.push({ path, reason });
  }

  archivedFile(bytes: number): void {
    this.archived.files += 1;
    this.archived.bytes += bytes;
  }

  archiveFailure(bytes: number): void {
    this.archiveFailed.files += 1;
    this.archiveFailed.bytes += bytes;
  }

  figures(archiveBacklog: Backlog | null): TallyFigures {
    return { compressedBytes: this.compressedBytes, removed: [...this.removed], archived: { ...this.archived }, archiveFailed: { ...this.archiveFailed }, archiveBacklog };
  }
}
