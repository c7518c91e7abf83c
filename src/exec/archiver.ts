// The archive's side of a run's steps: recording a rotation when it is made, archiving a
// final file (upload, verification, the ledger's record of it), and telling whether a
// rotation may be removed or overwritten: only once the archive confirmed it. Live, or
// previewed for -d (names worked out, nothing sent or recorded on disk).
import { lstatSync } from 'node:fs';
import { ArchiveLedger, identityOf, ledgerPath, serialFor, type LedgerEntry, type TrackedFacts } from '../archive/ledger.js';
import { remoteName } from '../archive/names.js';
import { openTransport } from '../archive/open.js';
import { remoteUrl } from '../archive/remote.js';
import type { ArchiveTarget } from '../archive/target.js';
import type { Transport } from '../archive/transport.js';
import type { LogOptions } from '../config/model.js';
import type { RemoveReason } from '../plan/model.js';
import type { Backlog, RunTally } from './tally.js';
import type { StepContext } from './effects/context.js';
import type { ActionOf } from './effects/effects.js';
import { failure, OK, setBack, type Outcome } from './effects/outcome.js';

export interface Archiver {
  track(action: ActionOf<'track'>): Outcome;
  archive(action: ActionOf<'archive'>, ctx: StepContext): Promise<Outcome>;
  /** Why `path` must stay (its archive is not confirmed yet), or null when it may go. */
  holds(path: string, options: LogOptions): string | null;
  /** Frees the transports' connections. */
  close(): void;
  /** The files the archive does not have yet (null: this run archived nothing). */
  backlog(): Backlog | null;
}

/** Where the run keeps what the archive knows, and how it names this machine. */
export interface ArchiveSetting {
  readonly statePath: string;
  readonly host: string;
  readonly now: Date;
}

/** The remote name of `path`, archived for `log`, from the rotation recorded for
 * `facts` (or, for a rotation made before archiving was set up, its modification time). */
function nameOf(path: string, log: string, facts: TrackedFacts | null, options: LogOptions, host: string): { ok: true; name: string } | { ok: false; error: string } {
  const ext = options.compressExt !== '' && path.endsWith(options.compressExt) ? options.compressExt : '';
  const known = facts ?? { file: path, rotatedAt: new Date(Math.floor(lstatSync(path).mtimeMs / 1000) * 1000), serial: 0 };
  const named = remoteName(options.archiveName, { host, log, file: known.file, rotatedAt: known.rotatedAt, serial: known.serial, ext });
  return named.ok ? { ok: true, name: named.value } : { ok: false, error: `cannot archive ${path}: ${named.error}` };
}

const targetOf = (options: LogOptions): ArchiveTarget | null => options.archive;

export class LiveArchiver implements Archiver {
  private opened: ArchiveLedger | null = null;
  private readonly transports = new Map<string, Promise<Transport>>();

  constructor(
    private readonly setting: ArchiveSetting,
    private readonly tally: RunTally,
  ) {}

  track(action: ActionOf<'track'>): Outcome {
    const ledger = this.ledger();
    const id = identityOf(action.path);
    if (id === null) return failure(`cannot record the rotation ${action.path} for the archive: it is gone`);
    const serial = serialFor(ledger.entries.values(), action.log, action.rotatedAt);
    ledger.record({ op: 'track', at: new Date().toISOString(), id, log: action.log, path: action.path, file: action.path, rotatedAt: action.rotatedAt.toISOString(), serial });
    return OK;
  }

  async archive(action: ActionOf<'archive'>, ctx: StepContext): Promise<Outcome> {
    const target = targetOf(ctx.options);
    if (target === null) return OK;
    const ledger = this.ledger();
    const id = identityOf(action.path);
    if (id === null) return failure(`cannot archive ${action.path}: No such file or directory`);
    const known = ledger.entries.get(id);
    if (known?.state === 'archived' && known.target === target.url && known.name !== null) {
      return { ok: true, notes: [`${action.path} is archived already as ${remoteUrl(target, known.name)}`] };
    }
    // A name once given stays the file's: an upload repeated after a crash writes the same one.
    const facts = ledger.entryAt(action.factsOf)?.facts ?? known?.facts ?? null;
    const named = known?.name !== null && known?.name !== undefined && known.target === target.url ? { ok: true as const, name: known.name } : nameOf(action.path, action.log, facts, ctx.options, this.setting.host);
    if (!named.ok) return failure(named.error);
    const at = (): string => new Date().toISOString();
    const base = { id, log: action.log, path: action.path, name: named.name, target: target.url };
    if (known?.name !== named.name) ledger.record({ op: 'queue', at: at(), ...base });
    const transport = await this.transport(target);
    const sent = await transport.upload(action.path, named.name);
    if (!sent.ok) {
      this.tally.archiveFailure(lstatSync(action.path, { throwIfNoEntry: false })?.size ?? 0);
      ledger.record({ op: 'failed', at: at(), ...base, error: sent.error });
      return setBack(`cannot archive ${action.path} (kept, queued for the next run): ${sent.error}`);
    }
    ledger.record({ op: 'archived', at: at(), ...base, bytes: sent.bytes, digest: sent.digest });
    if (!sent.existed) this.tally.archivedFile(sent.bytes);
    const how = `${sent.bytes} bytes, ${sent.digest} verified${sent.existed ? ', already there' : ''}`;
    return { ok: true, notes: [`archived ${action.path} as ${sent.remote} (${how})`] };
  }

  holds(path: string, options: LogOptions): string | null {
    // Sections that do not archive never open the ledger.
    return options.archive === null ? null : heldBy(this.ledger().entryAt(path), path, options);
  }

  close(): void {
    for (const transport of this.transports.values()) void transport.then((t) => t.close());
    this.transports.clear();
  }

  backlog(): Backlog | null {
    if (this.opened === null) return null;
    let files = 0;
    let bytes = 0;
    for (const entry of this.opened.entries.values()) {
      if (entry.state !== 'queued' && entry.state !== 'failed') continue;
      // Only files still there as recorded: a queued file that was renamed since is
      // found again by its next upload attempt.
      const size = identityOf(entry.path) === entry.id ? lstatSync(entry.path).size : null;
      if (size === null) continue;
      files += 1;
      bytes += size;
    }
    return { files, bytes };
  }

  private ledger(): ArchiveLedger {
    if (this.opened === null) {
      // An unreadable ledger is one that confirms nothing: every rotation is kept.
      this.opened = ArchiveLedger.open(ledgerPath(this.setting.statePath), true, this.setting.now).ledger;
    }
    return this.opened;
  }

  private transport(target: ArchiveTarget): Promise<Transport> {
    let transport = this.transports.get(target.url);
    if (transport === undefined) {
      transport = openTransport(target);
      this.transports.set(target.url, transport);
    }
    return transport;
  }
}

/** -d: the names a real run would give, from the ledger as it is; nothing sent, nothing
 * recorded but in memory (the rotations a real run would make this time included). */
export class PreviewArchiver implements Archiver {
  private opened: ArchiveLedger | null = null;
  /** Rotations made in this preview: not on disk, so known by path. */
  private readonly made = new Map<string, TrackedFacts>();
  /** Files this preview archived (it takes every upload as a success). */
  private readonly archived = new Set<string>();
  /** Files the preview renamed, by their new name: their names on disk; null for a name
   * the preview moved a file away from (what it holds next is not the file on disk). */
  private readonly origins = new Map<string, string | null>();

  constructor(private readonly setting: ArchiveSetting) {}

  track(action: ActionOf<'track'>): Outcome {
    const serial = serialFor(this.ledger().entries.values(), action.log, action.rotatedAt);
    this.made.set(action.path, { file: action.path, rotatedAt: action.rotatedAt, serial });
    return OK;
  }

  archive(action: ActionOf<'archive'>, ctx: StepContext): Promise<Outcome> {
    const target = targetOf(ctx.options);
    if (target === null) return Promise.resolve(OK);
    const known = this.made.has(action.path) ? null : this.entryOnDisk(action.path);
    if (known?.state === 'archived' && known.target === target.url) return Promise.resolve({ ok: true, nothing: true });
    const facts = this.made.get(action.factsOf) ?? this.entryOnDisk(action.factsOf)?.facts ?? known?.facts ?? null;
    const named = known?.name !== null && known?.name !== undefined ? { ok: true as const, name: known.name } : nameOf(action.path, action.log, facts ?? this.fallback(action.factsOf), ctx.options, this.setting.host);
    if (!named.ok) return Promise.resolve(failure(named.error));
    this.archived.add(action.path);
    return Promise.resolve({ ok: true, notes: [`${action.path} would be archived as ${remoteUrl(target, named.name)}`] });
  }

  /** As a real run would find it, each upload of this preview taken as a success. */
  holds(path: string, options: LogOptions): string | null {
    if (options.archive === null || this.archived.has(path)) return null;
    return heldBy(this.made.has(path) ? null : this.entryOnDisk(path), path, options);
  }

  /** A file of the preview moved (the numbered shift): what is known of it moves along. */
  moved(from: string, to: string): void {
    this.origins.set(to, this.onDisk(from));
    this.origins.set(from, null);
    const made = this.made.get(from);
    if (made !== undefined) this.made.set(to, made);
    this.made.delete(from);
    if (this.archived.delete(from)) this.archived.add(to);
  }

  /** Where a file of the preview is on disk (the preview renames nothing there). */
  private onDisk(path: string): string | null {
    const origin = this.origins.get(path);
    return origin === undefined ? path : origin;
  }

  private entryOnDisk(path: string): LedgerEntry | null {
    const onDisk = this.onDisk(path);
    return onDisk === null ? null : this.ledger().entryAt(onDisk);
  }

  close(): void {}

  backlog(): Backlog | null {
    return null;
  }

  /** A file this preview made (renamed, compressed) but that is not on disk. */
  private fallback(path: string): TrackedFacts | null {
    return lstatSync(path, { throwIfNoEntry: false }) === undefined ? { file: path, rotatedAt: this.setting.now, serial: 0 } : null;
  }

  private ledger(): ArchiveLedger {
    this.opened ??= ArchiveLedger.open(ledgerPath(this.setting.statePath), false, this.setting.now).ledger;
    return this.opened;
  }
}

/** Removals that dispose of a rotation: an archiving section's wait for its archive
 * (archivedelete's own removal included: it follows an upload that may have failed). */
export const DISPOSALS: ReadonlySet<RemoveReason> = new Set(['rotate-count', 'maxage', 'rotate-0', 'maxtotalsize', 'minfree', 'archived']);

/** Why the entry's file must stay: the section archives, and the archive has not
 * confirmed it (to this target). */
function heldBy(entry: LedgerEntry | null, path: string, options: LogOptions): string | null {
  const target = targetOf(options);
  if (target === null) return null;
  if (entry?.state === 'archived' && entry.target === target.url) return null;
  return `keeping ${path}: ${target.url} does not have it yet (it goes once its archive is verified)`;
}
