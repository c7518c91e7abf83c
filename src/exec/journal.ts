// Write-ahead rotation journal, `<state>.journal`: one JSON line per event (see
// src/journal/records.ts): `run` at start, `section` with every action a section's
// rotations will take, `intent` before and `done` (or `failed`) after each action, `end`
// when the run finishes. A run without `end` was killed; recovery.ts finishes its
// rotations. The steps of several logs may be in flight at once (finish-pool.ts).
//
// Every record is written (one write(2)) before the step it announces, so a killed
// process leaves all of them to recovery. Only the records recovery could not do
// without after a power loss are fdatasynced; for the others the effect on disk says
// what happened (see docs/durability.md, "Sync policy"):
// - `run`, `section`, `recover`, `end`: the section record lists every planned action
//   and the inode found at each of the rotations' names beforehand, from which
//   recovery tells how far each rotation got by looking at the disk;
// - the first step record after a firstaction or prerotate script: the rotations it
//   opens may be finished by recovery only once that script has run.
import { randomBytes } from 'node:crypto';
import { constants, lstatSync, writeSync } from 'node:fs';
import { open, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import type { Action, SectionPlan } from '../plan/model.js';
import { readTail, type JournaledRotation, type JournalRecord } from '../journal/records.js';
import type { StepObserver } from './observer.js';

/** Past this size the journal keeps only its most recent lines (it is an audit trail,
 * not an archive). */
const MAX_BYTES = 256 * 1024;
const KEEP_LINES = 1000;

/**
 * Test hook, `LOGROTOR_CRASH_AFTER_RECORD`: SIGKILL this process right after a record is
 * written. A number N names the Nth record this process writes; a label names the first
 * record that matches it: the record type (`run`, `section`, `recover`, `end`), or for
 * steps `intent:KIND` / `done:KIND`, where KIND is the action kind and `shift` stands for
 * the renames that move old rotations up.
 */
const CRASH_AT = process.env['LOGROTOR_CRASH_AFTER_RECORD'] ?? '';

function label(record: JournalRecord): string {
  if (record.t !== 'intent' && record.t !== 'done' && record.t !== 'failed') return record.t;
  const kind = record.action.kind === 'rename' && record.action.shift !== undefined ? 'shift' : record.action.kind;
  return `${record.t}:${kind}`;
}

const now = (): string => new Date().toISOString();

/** The names of a rotation other than the log itself (its writer may recreate it). */
export function rotationNames(rotation: JournaledRotation): string[] {
  const names = [...rotation.prepare, ...rotation.rotate, ...rotation.finish].flatMap((action): string[] => {
    switch (action.kind) {
      case 'rename':
      case 'copy':
      case 'compress':
        return [action.from, action.to];
      case 'create':
      case 'remove':
        return [action.path];
      case 'mail':
      case 'stamp':
        return [];
    }
  });
  return [...new Set(names)].filter((name) => name !== rotation.log);
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
  private constructor(private readonly handle: FileHandle) {}

  /** Starts a new run's records. */
  static async open(path: string): Promise<Journal> {
    await compact(path);
    const journal = new Journal(await openForAppend(path));
    await journal.append({ t: 'run', at: now(), pid: process.pid, id: randomBytes(4).toString('hex'), steps: 'overlapping' }, true);
    return journal;
  }

  /** Continues a killed run's records, to finish it. */
  static async resume(path: string): Promise<Journal> {
    const journal = new Journal(await openForAppend(path));
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
    await this.append({ t: 'intent', at: now(), log, action }, opening);
  }

  async after(action: Action, log: string): Promise<void> {
    await this.append({ t: 'done', at: now(), log, action }, false);
  }

  async failed(action: Action, log: string): Promise<void> {
    await this.append({ t: 'failed', at: now(), log, action }, false);
  }

  async close(recovered = false): Promise<void> {
    await this.append(recovered ? { t: 'end', at: now(), recovered } : { t: 'end', at: now() }, true);
    await this.handle.close();
  }

  private async append(record: JournalRecord, sync: boolean): Promise<void> {
    // A few hundred bytes into the page cache: synchronously, that is microseconds,
    // where a trip through the thread pool cost more than the step itself.
    writeSync(this.handle.fd, `${JSON.stringify(record)}\n`);
    if (sync) await this.handle.datasync();
    this.written++;
    if (CRASH_AT !== '' && (CRASH_AT === String(this.written) || CRASH_AT === label(record))) process.kill(process.pid, 'SIGKILL');
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
