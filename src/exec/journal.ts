// Write-ahead rotation journal, `<state>.journal`: one fsynced JSON line per event (see
// src/journal/records.ts): `run` at start, `section` with every action a section's
// rotations will take, `intent` before and `done` after each action, `end` when the
// run finishes. A run without `end` was killed; recovery.ts finishes its rotations.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import type { Action, SectionPlan } from '../plan/model.js';
import type { JournalRecord } from '../journal/records.js';
import type { StepObserver } from './observer.js';

/** Past this size the journal keeps only its most recent lines (it is an audit trail,
 * not an archive). */
const MAX_BYTES = 256 * 1024;
const KEEP_LINES = 1000;

/**
 * Test hook, `LOGROTOR_CRASH_AFTER_RECORD`: SIGKILL this process right after a record is
 * on disk. A number N names the Nth record this process writes; a label names the first
 * record that matches it: the record type (`run`, `section`, `recover`, `end`), or for
 * steps `intent:KIND` / `done:KIND`, where KIND is the action kind and `shift` stands for
 * the renames that move old rotations up.
 */
const CRASH_AT = process.env['LOGROTOR_CRASH_AFTER_RECORD'] ?? '';

function label(record: JournalRecord): string {
  if (record.t !== 'intent' && record.t !== 'done') return record.t;
  const kind = record.action.kind === 'rename' && record.action.shift !== undefined ? 'shift' : record.action.kind;
  return `${record.t}:${kind}`;
}

const now = (): string => new Date().toISOString();

export class Journal implements StepObserver {
  private written = 0;
  private constructor(private readonly handle: FileHandle) {}

  /** Starts a new run's records. */
  static async open(path: string): Promise<Journal> {
    await compact(path);
    const journal = new Journal(await openForAppend(path));
    await journal.append({ t: 'run', at: now(), pid: process.pid, id: randomBytes(4).toString('hex') });
    return journal;
  }

  /** Continues a killed run's records, to finish it. */
  static async resume(path: string): Promise<Journal> {
    const journal = new Journal(await openForAppend(path));
    await journal.append({ t: 'recover', at: now(), pid: process.pid });
    return journal;
  }

  async section(plan: SectionPlan): Promise<void> {
    const rotations = plan.rotations.map(({ log, finalName, prepare, rotate, finish }) => ({ log, finalName, prepare, rotate, finish }));
    await this.append({ t: 'section', at: now(), pattern: plan.section.pattern, options: plan.options, rotations });
  }

  async before(action: Action, log: string): Promise<void> {
    await this.append({ t: 'intent', at: now(), log, action });
  }

  async after(action: Action, log: string): Promise<void> {
    await this.append({ t: 'done', at: now(), log, action });
  }

  async close(recovered = false): Promise<void> {
    await this.append(recovered ? { t: 'end', at: now(), recovered } : { t: 'end', at: now() });
    await this.handle.close();
  }

  private async append(record: JournalRecord): Promise<void> {
    await this.handle.write(`${JSON.stringify(record)}\n`);
    await this.handle.datasync();
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
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  await writeFile(`${path}.tmp`, lines.slice(-KEEP_LINES).join('\n') + '\n', { mode: 0o600, flush: true });
  await rename(`${path}.tmp`, path);
}
