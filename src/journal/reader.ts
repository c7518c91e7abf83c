// Reading the journal back: whole (the audit view) or only its most recent run, from the
// end of the file (crash recovery at every start). Records come out in the current
// format, older journals upgraded.
import { open, readFile } from 'node:fs/promises';
import type { Action } from '../plan/model.js';
import type { JournaledRotation, JournalRecord } from './records.js';
import { upgrade } from './upgrade.js';

/** JSON turns the dates of a stamp and a track into strings; everything else
 * round-trips as is. */
function reviveAction(action: Action): Action {
  if (action.kind === 'stamp') return { ...action, time: new Date(action.time) };
  if (action.kind === 'track') return { ...action, rotatedAt: new Date(action.rotatedAt) };
  return action;
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
  const records = text.split('\n').flatMap((line) => {
    if (line === '') return [];
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || !KINDS.has(String((value as { t?: unknown }).t))) return [];
      return [revive(value as JournalRecord)];
    } catch {
      return [];
    }
  });
  return upgrade(records);
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
