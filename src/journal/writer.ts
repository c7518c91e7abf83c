// Write-ahead rotation journal, `<state>.journal`: one JSON line per event (see
// records.ts): `run` at start, `section` with every action a section's
// rotations will take, `intent` before and `done` (or `failed`) after each action, `end`
// when the run finishes. A run without `end` was killed; recovery.ts finishes its
// rotations. The steps of several logs may be in flight at once (exec/section/finish-pool.ts).
//
// Every intent is written (write(2), with the `done` of the step before it) before the
// step it announces, so a killed process leaves all of them to recovery. Only the
// records recovery could not do without after a power loss are fdatasynced; for the others the effect on disk says
// what happened (see docs/durability.md, "Sync policy"):
// - `run`, `section`, `recover`, `end`: the section record lists every planned action
//   and the inode found at each of the rotations' names beforehand, from which
//   recovery tells how far each rotation got by looking at the disk;
// - the first step record after a firstaction or prerotate script: the rotations it
//   opens may be finished by recovery only once that script has run.
import { randomBytes } from 'node:crypto';
import { constants, fdatasyncSync, lstatSync, writeSync } from 'node:fs';
import { open, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import type { StepObserver } from '../exec/observer.js';
import type { Action, SectionPlan } from '../plan/model.js';
import { rotationNames } from '../plan/rotation-names.js';
import { readTail } from './reader.js';
import type { JournalRecord } from './records.js';

/** Past this size the journal keeps only its most recent lines (it is an audit trail,
 * not an archive). */
const MAX_BYTES = 256 * 1024;
const KEEP_LINES = 1000;

/**
 * Told right after each record is written, with its label and its number among the
 * records this journal object wrote (the crash tests kill the process there). A tapped
 * journal writes one record per write(2) and syncs a synced record before telling.
 * Labels: the record type (`run`, `section`, `recover`, `end`), or for steps
 * `intent:KIND` / `done:KIND` / `failed:KIND`, where KIND is the action kind and `shift`
 * stands for the renames that move old rotations up.
 */
export type JournalTap = (label: string, sequence: number) => void;

function label(record: JournalRecord): string {
  if (record.t !== 'intent' && record.t !== 'done' && record.t !== 'failed') return record.t;
  const kind = record.action.kind === 'rename' && record.action.shift !== undefined ? 'shift' : record.action.kind;
  return `${record.t}:${kind}`;
}

let stampMs = Number.NaN;
let stampText = '';
/** The record time; a run writes several records a millisecond, formatted once. */
function now(): string {
  const ms = Date.now();
  if (ms !== stampMs) {
    stampMs = ms;
    stampText = new Date(ms).toISOString();
  }
  return stampText;
}

type StepKind = 'intent' | 'done' | 'failed';

function stepLabel(t: StepKind, action: Action): string {
  return label({ t, at: '', log: '', action });
}

/** The inode number at `path`, or undefined when nothing is there. */
export const inodeAt = (path: string): number | undefined => lstatSync(path, { throwIfNoEntry: false })?.ino;

/** Which records the current section wants synced besides its own. */
interface SectionSync {
  /** The section's next step record follows firstaction (or a shared prerotate). */
  sectionOpening: boolean;
  /** The section's logs: records of an earlier section's finishing steps, still in
   * flight (finish-pool.ts), must not take the place of its opening record. */
  readonly logs: ReadonlySet<string>;
  /** Logs whose first step record follows their own prerotate. */
  readonly logsOpening: Set<string>;
}

export class Journal implements StepObserver {
  private written = 0;
  private current: SectionSync = { sectionOpening: false, logs: new Set(), logsOpening: new Set() };
  private constructor(
    private readonly handle: FileHandle,
    private readonly tap: JournalTap | null,
  ) {}

  /** Starts a new run's records. */
  static async open(path: string, tap: JournalTap | null = null): Promise<Journal> {
    await compact(path);
    const journal = new Journal(await openForAppend(path), tap);
    await journal.append({ t: 'run', at: now(), pid: process.pid, id: randomBytes(4).toString('hex'), steps: 'overlapping' }, true);
    return journal;
  }

  /** Continues a killed run's records, to finish it. */
  static async resume(path: string, tap: JournalTap | null = null): Promise<Journal> {
    const journal = new Journal(await openForAppend(path), tap);
    await journal.append({ t: 'recover', at: now(), pid: process.pid }, true);
    return journal;
  }

  async section(plan: SectionPlan): Promise<void> {
    const rotations = plan.rotations.map(({ log, finalName, prepare, rotate, finish }) => ({ log, finalName, prepare, rotate, finish }));
    const existing: Record<string, number> = {};
    for (const name of new Set(rotations.flatMap(rotationNames))) {
      const inode = inodeAt(name);
      if (inode !== undefined) existing[name] = inode;
    }
    const { scripts, sharedScripts } = plan.options;
    const prerotate = scripts.prerotate !== undefined;
    this.current = {
      sectionOpening: scripts.firstaction !== undefined || (sharedScripts && prerotate),
      logs: new Set(rotations.map((r) => r.log)),
      logsOpening: new Set(!sharedScripts && prerotate ? plan.rotations.map((r) => r.log) : []),
    };
    await this.append({ t: 'section', at: now(), pattern: plan.section.pattern, options: plan.options, rotations, existing }, true);
  }

  async before(action: Action, log: string): Promise<void> {
    const ours = this.current.logs.has(log);
    const opening = (ours && this.current.sectionOpening) || this.current.logsOpening.has(log);
    if (ours) this.current.sectionOpening = false;
    this.current.logsOpening.delete(log);
    const body = `"log":${JSON.stringify(log)},"action":${JSON.stringify(action)}`;
    this.bodies.set(action, body);
    await this.write(this.stepLine('intent', body), stepLabel('intent', action), opening);
  }

  /** Written with the next record (see `pending`). */
  async after(action: Action, log: string): Promise<void> {
    await this.write(this.stepLine('done', this.bodyOf(action, log)), stepLabel('done', action), false, true);
  }

  async failed(action: Action, log: string): Promise<void> {
    await this.write(this.stepLine('failed', this.bodyOf(action, log)), stepLabel('failed', action), false);
  }

  async close(recovered = false): Promise<void> {
    await this.append(recovered ? { t: 'end', at: now(), recovered } : { t: 'end', at: now() }, true);
    await this.handle.close();
  }

  /** A step record's log and action, serialized once for its intent and its outcome. */
  private readonly bodies = new WeakMap<Action, string>();

  private bodyOf(action: Action, log: string): string {
    const body = this.bodies.get(action) ?? `"log":${JSON.stringify(log)},"action":${JSON.stringify(action)}`;
    this.bodies.delete(action);
    return body;
  }

  private stepLine(t: StepKind, body: string): string {
    return `{"t":"${t}","at":"${now()}",${body}}`;
  }

  private append(record: JournalRecord, sync: boolean): Promise<void> {
    return this.write(JSON.stringify(record), label(record), sync);
  }

  /**
   * Records not written yet, with their labels for the tap. A `done` waits for
   * the next record and goes out with it in one write(2): whether a step happened is
   * told by the disk anyway (recovery settles an intent left open), and a run of many
   * logs wrote about 26 records per log.
   */
  private pending: { readonly line: string; readonly label: string }[] = [];

  /** Writes out the `done` records held back: before a script runs, which may take long
   * or be where the run is killed, recovery must not take a finished step for one in
   * flight (it would compress again, or take a copied prefix out of a live log whose new
   * lines happen to repeat the old ones). */
  flush(): void {
    if (this.pending.length > 0) this.writePending(false);
  }

  private async write(line: string, what: string, sync: boolean, defer = false): Promise<void> {
    this.pending.push({ line: `${line}\n`, label: what });
    if (defer) return;
    this.writePending(sync);
    if (sync) await this.handle.datasync();
  }

  private writePending(sync: boolean): void {
    const records = this.pending;
    this.pending = [];
    if (this.tap !== null) {
      this.writeTapped(records, sync, this.tap);
    } else {
      // A few hundred bytes into the page cache: synchronously, that is microseconds,
      // where a trip through the thread pool cost more than the step itself.
      writeSync(this.handle.fd, records.map((r) => r.line).join(''));
    }
  }

  /** One record a write, numbered as written (while one syncs, other logs' steps write
   * theirs), so a tap that kills the process leaves exactly the records before it. */
  private writeTapped(records: readonly { line: string; label: string }[], sync: boolean, tap: JournalTap): void {
    for (const { line, label: what } of records) {
      writeSync(this.handle.fd, line);
      this.written++;
      if (sync) fdatasyncSync(this.handle.fd);
      tap(what, this.written);
    }
  }
}

function openForAppend(path: string): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
}

async function compact(path: string): Promise<void> {
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size <= MAX_BYTES) return;
  // The lines kept are at the end: only that part is read.
  const lines = (await readTail(path, MAX_BYTES)).split('\n').filter((l) => l !== '');
  await writeFile(`${path}.tmp`, lines.slice(-KEEP_LINES).join('\n') + '\n', { mode: 0o600, flush: true });
  await rename(`${path}.tmp`, path);
}
