// The archive ledger, `<statefile>.archive`: what the archive knows of each rotated file,
// one JSON object a line, appended as things happen. A file is known by its identity
// (device and inode), which stays the same while numbered rotations are renamed from
// `.1` to `.2` and on: its rotation's facts are recorded when it is made (`track`), its
// remote name is fixed at its first upload attempt (`queue`), and `archived` says the
// remote confirmed it. Only an `archived` record lets a rotation be removed. The birth
// time is part of the identity: an inode number is soon reused by a new file (the next
// rotation's compressed file takes the number of the one just disposed of).
//
// Losing records is safe one way: a file whose `archived` record is gone is archived
// again (the remote already has it: nothing is sent) before it may go. A file whose
// `track` record is gone is named by its modification time instead.
import { appendFileSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { replaceFile } from '../state/atomic.js';
import { strerror } from '../strerror.js';

export type LedgerRecord =
  | { readonly op: 'track'; readonly at: string; readonly id: string; readonly log: string; readonly path: string; readonly file: string; readonly rotatedAt: string; readonly serial: number }
  | { readonly op: 'queue'; readonly at: string; readonly id: string; readonly log: string; readonly path: string; readonly name: string; readonly target: string }
  | { readonly op: 'archived'; readonly at: string; readonly id: string; readonly log: string; readonly path: string; readonly name: string; readonly target: string; readonly bytes: number; readonly digest: string }
  | { readonly op: 'failed'; readonly at: string; readonly id: string; readonly log: string; readonly path: string; readonly name: string; readonly target: string; readonly error: string };

/** What a rotation was when it was made. */
export interface TrackedFacts {
  readonly file: string;
  readonly rotatedAt: Date;
  readonly serial: number;
}

export interface LedgerEntry {
  readonly id: string;
  readonly log: string;
  /** Where the file was when last recorded (a numbered rotation moves on since). */
  readonly path: string;
  readonly facts: TrackedFacts | null;
  readonly state: 'tracked' | 'queued' | 'failed' | 'archived';
  /** The remote name, once fixed; and where it went. */
  readonly name: string | null;
  readonly target: string | null;
  readonly at: string;
  readonly error: string | null;
}

/** The file's identity, or null when nothing is at `path`. */
export function identityOf(path: string): string | null {
  const st = lstatSync(path, { throwIfNoEntry: false, bigint: true });
  return st === undefined ? null : `${st.dev}:${st.ino}:${st.birthtimeNs}`;
}

/** Every entry the records leave, by identity. */
export function replay(records: readonly LedgerRecord[]): Map<string, LedgerEntry> {
  const entries = new Map<string, LedgerEntry>();
  for (const record of records) apply(entries, record);
  return entries;
}

function apply(entries: Map<string, LedgerEntry>, r: LedgerRecord): void {
  const known = entries.get(r.id);
  const base = { id: r.id, log: r.log, path: r.path, at: r.at, facts: known?.facts ?? null, name: known?.name ?? null, target: known?.target ?? null, error: null };
  switch (r.op) {
    case 'track':
      entries.set(r.id, { ...base, facts: { file: r.file, rotatedAt: new Date(r.rotatedAt), serial: r.serial }, state: known?.state ?? 'tracked' });
      return;
    case 'queue':
      entries.set(r.id, { ...base, name: r.name, target: r.target, state: known?.state === 'archived' && known.name === r.name ? 'archived' : 'queued' });
      return;
    case 'archived':
      entries.set(r.id, { ...base, name: r.name, target: r.target, state: 'archived' });
      return;
    case 'failed':
      entries.set(r.id, { ...base, name: r.name, target: r.target, state: 'failed', error: r.error });
      return;
  }
}

/** 0 for a log's first rotation in a UTC second, n for the n-th further one: with the
 * second's stamp, what keeps two rotations' names apart. */
export function serialFor(entries: Iterable<LedgerEntry>, log: string, rotatedAt: Date): number {
  const second = Math.floor(rotatedAt.getTime() / 1000);
  let serial = 0;
  for (const entry of entries) {
    if (entry.log !== log || entry.facts === null) continue;
    if (Math.floor(entry.facts.rotatedAt.getTime() / 1000) === second) serial = Math.max(serial, entry.facts.serial + 1);
  }
  return serial;
}

export function ledgerPath(statePath: string): string {
  return `${statePath}.archive`;
}

/** Past this many lines the ledger is rewritten with one line per entry still worth
 * keeping (see `compact`). */
const COMPACT_LINES = 20_000;
/** Entries not heard of for this long are dropped: an archived one costs a re-check if
 * its file is still there; a tracked one its name's stamp (named by mtime then). */
const KEEP_ARCHIVED_MS = 45 * 86_400_000;
const KEEP_OTHERS_MS = 400 * 86_400_000;

export class ArchiveLedger {
  private constructor(
    private readonly path: string | null,
    readonly entries: Map<string, LedgerEntry>,
  ) {}

  /** The ledger beside the state file; `writable`: records are appended to the file
   * (otherwise they are kept in memory only, for -d). A missing ledger is empty. */
  static open(path: string, writable: boolean, now: Date): { ledger: ArchiveLedger; problem: string | null } {
    let text = '';
    let problem: string | null = null;
    try {
      if (statSync(path, { throwIfNoEntry: false }) !== undefined) text = readFileSync(path, 'utf8');
    } catch (err) {
      problem = `cannot read the archive ledger ${path}: ${strerror(err)}`;
    }
    const records = parseLedger(text);
    const ledger = new ArchiveLedger(writable && problem === null ? path : null, replay(records));
    if (ledger.path !== null && records.length > COMPACT_LINES) problem = ledger.compact(now);
    return { ledger, problem };
  }

  /** Appends `record` (and applies it). */
  record(record: LedgerRecord): void {
    apply(this.entries, record);
    if (this.path !== null) appendFileSync(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  entryAt(path: string): LedgerEntry | null {
    const id = identityOf(path);
    return id === null ? null : (this.entries.get(id) ?? null);
  }

  private compact(now: Date): string | null {
    const cutoff = (entry: LedgerEntry): number => now.getTime() - (entry.state === 'archived' ? KEEP_ARCHIVED_MS : KEEP_OTHERS_MS);
    for (const [id, entry] of this.entries) if (Date.parse(entry.at) < cutoff(entry)) this.entries.delete(id);
    const lines = [...this.entries.values()].flatMap(recordsOf).map((r) => JSON.stringify(r));
    const problem = replaceFile(this.path ?? '', lines.map((line) => `${line}\n`).join(''), 0o600);
    return problem === null ? null : `cannot rewrite the archive ledger ${this.path ?? ''}: ${problem}`;
  }
}

/** The records that give `entry` back. */
function recordsOf(entry: LedgerEntry): LedgerRecord[] {
  const { id, log, path, at } = entry;
  const out: LedgerRecord[] = [];
  if (entry.facts !== null) out.push({ op: 'track', at, id, log, path, file: entry.facts.file, rotatedAt: entry.facts.rotatedAt.toISOString(), serial: entry.facts.serial });
  if (entry.name !== null && entry.target !== null) {
    if (entry.state === 'archived') out.push({ op: 'archived', at, id, log, path, name: entry.name, target: entry.target, bytes: 0, digest: '' });
    else if (entry.state === 'failed') out.push({ op: 'failed', at, id, log, path, name: entry.name, target: entry.target, error: entry.error ?? '' });
    else out.push({ op: 'queue', at, id, log, path, name: entry.name, target: entry.target });
  }
  return out;
}

const OPS: ReadonlySet<string> = new Set(['track', 'queue', 'archived', 'failed']);

/** Every well-formed record; a torn last line (killed mid-write) is skipped. */
export function parseLedger(text: string): LedgerRecord[] {
  return text.split('\n').flatMap((line) => {
    if (line === '') return [];
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || !OPS.has(String((value as { op?: unknown }).op))) return [];
      return [value as LedgerRecord];
    } catch {
      return [];
    }
  });
}
