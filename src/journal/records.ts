// The rotation journal's line format (`<statefile>.journal`, one JSON object a line),
// shared by its writer (src/exec/journal.ts), crash recovery and `logrotor journal`.
import { open, readFile } from 'node:fs/promises';
import type { LogOptions } from '../config/model.js';
import type { Action } from '../plan/model.js';

/** The actions of one log's rotation, recorded before the first of them runs so that a
 * killed run can be finished from the journal alone, whatever the config says by then. */
export interface JournaledRotation {
  readonly log: string;
  readonly finalName: string;
  readonly prepare: readonly Action[];
  readonly rotate: readonly Action[];
  readonly finish: readonly Action[];
}

export type JournalRecord =
  /** `steps: 'overlapping'`: steps of several logs may be in flight at once, and a step
   * that failed has a `failed` record. Without it (older journals) steps ran one at a
   * time, and an intent followed by other steps had failed. */
  | { readonly t: 'run'; readonly at: string; readonly pid: number; readonly id?: string; readonly steps?: 'overlapping' }
  | {
      readonly t: 'section';
      readonly at: string;
      readonly pattern: string;
      readonly options: LogOptions;
      readonly rotations: readonly JournaledRotation[];
      /** The inode number at each of the rotations' file names (see rotationNames in
       * src/exec/journal.ts) that existed when the section was recorded; absent in
       * journals of older versions. */
      readonly existing?: Readonly<Record<string, number>>;
    }
  | { readonly t: 'intent' | 'done' | 'failed'; readonly at: string; readonly log: string; readonly action: Action }
  /** A later run started finishing this (killed) run; its steps follow as intent/done. */
  | { readonly t: 'recover'; readonly at: string; readonly pid: number }
  | { readonly t: 'end'; readonly at: string; readonly recovered?: boolean };

export function journalPath(statePath: string): string {
  return `${statePath}.journal`;
}

/** JSON turns the stamp's Date into a string; everything else round-trips as is. */
function reviveAction(action: Action): Action {
  return action.kind === 'stamp' ? { ...action, time: new Date(action.time) } : action;
}

function reviveRotation(rotation: JournaledRotation): JournaledRotation {
  return {
    ...rotation,
    prepare: rotation.prepare.map(reviveAction),
    rotate: rotation.rotate.map(reviveAction),
    finish: rotation.finish.map(reviveAction),
  };
}

function revive(record: JournalRecord): JournalRecord {
  switch (record.t) {
    case 'intent':
    case 'done':
    case 'failed':
      return { ...record, action: reviveAction(record.action) };
    case 'section':
      return { ...record, rotations: record.rotations.map(reviveRotation) };
    case 'run':
    case 'recover':
    case 'end':
      return record;
  }
}

const KINDS: ReadonlySet<string> = new Set(['run', 'section', 'intent', 'done', 'failed', 'recover', 'end']);

/** Every well-formed record; a torn last line (killed mid-write) is skipped. */
export function parseJournal(text: string): JournalRecord[] {
  return text.split('\n').flatMap((line) => {
    if (line === '') return [];
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || !KINDS.has(String((value as { t?: unknown }).t))) return [];
      return [revive(value as JournalRecord)];
    } catch {
      return [];
    }
  });
}

/** A missing journal reads as empty. */
export async function readJournal(path: string): Promise<JournalRecord[]> {
  return parseJournal(await readFile(path, 'utf8').catch(() => ''));
}

/** The records of the most recent run (its `run` line first). */
export function lastRun(records: readonly JournalRecord[]): readonly JournalRecord[] {
  const start = records.map((r) => r.t).lastIndexOf('run');
  return start < 0 ? [] : records.slice(start);
}

/** How much of the journal's end is read first: every record but a big section's fits. */
const TAIL_BYTES = 64 * 1024;

/**
 * The last `bytes` of the file at `path` (all of it when smaller), cut to whole lines;
 * '' when it cannot be read. The journal holds many runs: reading all of it at every
 * start cost more than a small run itself.
 */
export async function readTail(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return '';
  try {
    const size = (await handle.stat()).size;
    const start = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  } finally {
    await handle.close();
  }
}

/** The records of the journal's most recent run, read from the end of the file: when
 * that run ended, as almost every run does, only its last line matters. */
export async function readLastRun(path: string): Promise<readonly JournalRecord[]> {
  const tail = parseJournal(await readTail(path, TAIL_BYTES));
  if (tail.at(-1)?.t === 'end') return [];
  const run = lastRun(tail);
  return run.length > 0 ? run : lastRun(await readJournal(path));
}

/** Identifies one step of one log within a run: intent, done and failed carry equal keys. */
export function stepKey(log: string, action: Action): string {
  return `${log}\n${JSON.stringify(action)}`;
}
