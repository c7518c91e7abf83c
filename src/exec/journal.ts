// Write-ahead rotation journal, `<state>.journal`: one fsynced JSON line before each
// action (intent) and after it (done), a `run` line at start and an `end` line when the
// run finishes. A run without `end` was killed; its last intent without `done` is the
// step that was interrupted, and recoverJournal settles it before the next run plans.
import { constants } from 'node:fs';
import { open, readFile, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import type { Action } from '../plan/model.js';
import { gzipFd } from './gzip.js';
import { PARTIAL_SUFFIX, removeCopiedPrefix } from './lossless-copytruncate.js';
import type { StepObserver } from './observer.js';

export type JournalRecord =
  | { readonly t: 'run'; readonly at: string; readonly pid: number }
  | { readonly t: 'intent' | 'done'; readonly at: string; readonly log: string; readonly action: Action }
  | { readonly t: 'end'; readonly at: string; readonly recovered?: boolean };

/** Past this size the journal keeps only its most recent lines (it is an audit trail,
 * not an archive). */
const MAX_BYTES = 256 * 1024;
const KEEP_LINES = 1000;

export function journalPath(statePath: string): string {
  return `${statePath}.journal`;
}

/** Test hook: SIGKILL this process right after its Nth journal record is on disk. */
const CRASH_AFTER = Number(process.env['LOGROTOR_CRASH_AFTER_RECORD'] ?? '0');

export class Journal implements StepObserver {
  private written = 0;
  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<Journal> {
    await compact(path);
    const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    const journal = new Journal(handle);
    await journal.append({ t: 'run', at: new Date().toISOString(), pid: process.pid });
    return journal;
  }

  async before(action: Action, log: string): Promise<void> {
    await this.append({ t: 'intent', at: new Date().toISOString(), log, action });
  }

  async after(action: Action, log: string): Promise<void> {
    await this.append({ t: 'done', at: new Date().toISOString(), log, action });
  }

  async close(): Promise<void> {
    await this.append({ t: 'end', at: new Date().toISOString() });
    await this.handle.close();
  }

  private async append(record: JournalRecord): Promise<void> {
    await this.handle.write(`${JSON.stringify(record)}\n`);
    // A `done` lost in a crash leaves its intent last, a state recovery already handles
    // (the crash could have come just before the `done`); the next record's sync makes it
    // durable anyway. Skipping its own sync halves the fsyncs of a run.
    if (record.t !== 'done') await this.handle.datasync();
    if (++this.written === CRASH_AFTER) process.kill(process.pid, 'SIGKILL');
  }
}

async function compact(path: string): Promise<void> {
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size <= MAX_BYTES) return;
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  await writeFile(`${path}.tmp`, lines.slice(-KEEP_LINES).join('\n') + '\n', { mode: 0o600, flush: true });
  await rename(`${path}.tmp`, path);
}

/** Every well-formed record; a torn last line (killed mid-write) is skipped. */
export async function readJournal(path: string): Promise<JournalRecord[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').flatMap((line) => {
    try {
      return line === '' ? [] : [JSON.parse(line) as JournalRecord];
    } catch {
      return [];
    }
  });
}

/** The action a killed run was in the middle of, if any. */
export function interrupted(records: readonly JournalRecord[]): { log: string; action: Action } | null {
  const lastRun = records.map((r) => r.t).lastIndexOf('run');
  if (lastRun < 0) return null;
  const run = records.slice(lastRun);
  if (run.some((r) => r.t === 'end')) return null;
  const last = run.at(-1);
  return last !== undefined && last.t === 'intent' ? { log: last.log, action: last.action } : null;
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

/** True when the live log still begins with the committed copy's bytes, i.e. the copied
 * prefix was not taken out of it yet. */
async function stillHoldsCopy(live: FileHandle, copy: FileHandle, copied: number): Promise<boolean> {
  if ((await live.stat()).size < copied) return false;
  const chunk = 64 * 1024;
  const a = Buffer.alloc(chunk);
  const b = Buffer.alloc(chunk);
  for (let position = 0; position < copied; position += chunk) {
    const length = Math.min(chunk, copied - position);
    await live.read(a, 0, length, position);
    await copy.read(b, 0, length, position);
    if (!a.subarray(0, length).equals(b.subarray(0, length))) return false;
  }
  return true;
}

/** Finishes or undoes the one step a killed run left half done. */
async function settle(action: Action, logger: Logger): Promise<string> {
  switch (action.kind) {
    case 'copy': {
      await rm(action.to + PARTIAL_SUFFIX, { force: true });
      if (!action.truncate || !(await exists(action.to)) || !(await exists(action.from))) return 'partial copy removed';
      const live = await open(action.from, constants.O_RDWR | constants.O_NOFOLLOW);
      const copy = await open(action.to, constants.O_RDWR | constants.O_NOFOLLOW);
      try {
        const copied = (await copy.stat()).size;
        if (!(await stillHoldsCopy(live, copy, copied))) return 'copytruncate had completed';
        await removeCopiedPrefix({ src: live, dest: copy, to: action.to, copied, committed: true }, logger);
        return 'copytruncate completed: the copied prefix was taken out of the log';
      } finally {
        await live.close();
        await copy.close();
      }
    }
    case 'compress': {
      if (!(await exists(action.from))) return 'compression had completed';
      await rm(action.to, { force: true });
      if (!action.to.endsWith('.gz')) return `partial ${action.to} removed; ${action.from} left uncompressed`;
      const input = await open(action.from, constants.O_RDONLY | constants.O_NOFOLLOW);
      const output = await open(action.to, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, (await input.stat()).mode & 0o777);
      try {
        await gzipFd(input.fd, output.fd, 6);
        await output.sync();
      } finally {
        await input.close();
        await output.close();
      }
      await unlink(action.from);
      return 'compression redone';
    }
    case 'remove':
      await rm(action.path, { force: true });
      return 'removal completed';
    case 'rename':
    case 'create':
    case 'mail':
    case 'stamp':
      return 'nothing to repair (the step is atomic or harmless to repeat)';
  }
}

/** Called before planning: settles the step a killed run was in, then closes that run. */
export async function recoverJournal(path: string, logger: Logger): Promise<void> {
  const pending = interrupted(await readJournal(path));
  if (pending === null) return;
  const outcome = await settle(pending.action, logger);
  logger.warning(`the last run was interrupted during ${pending.action.kind} of ${pending.log}: ${outcome}`);
  const handle = await open(path, constants.O_WRONLY | constants.O_APPEND);
  try {
    await handle.write(`${JSON.stringify({ t: 'end', at: new Date().toISOString(), recovered: true })}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
