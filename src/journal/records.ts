// The rotation journal's record format (`<statefile>.journal`, one JSON object a line),
// shared by its writer, its reader, crash recovery and `logrotor journal`.
import type { LogOptions } from '../config/model.js';
import type { Action, RotationSteps } from '../plan/model.js';

/** The actions of one log's rotation, recorded before the first of them runs so that a
 * killed run can be finished from the journal alone, whatever the config says by then. */
export type JournaledRotation = RotationSteps;

export type JournalRecord =
  /** `steps: 'overlapping'`: steps of several logs may be in flight at once, and a step
   * that failed has a `failed` record. Journals written before that are upgraded to it
   * when read (see upgrade.ts). */
  | { readonly t: 'run'; readonly at: string; readonly pid: number; readonly id?: string; readonly steps?: 'overlapping' }
  | {
      readonly t: 'section';
      readonly at: string;
      readonly pattern: string;
      readonly options: LogOptions;
      readonly rotations: readonly JournaledRotation[];
      /** The inode number at each of the rotations' file names (see rotationNames in
       * src/plan/rotation-names.ts) that existed when the section was recorded; absent
       * in journals of older versions, which synced every record instead. */
      readonly existing?: Readonly<Record<string, number>>;
    }
  | StepRecord
  /** A later run started finishing this (killed) run; its steps follow as intent/done. */
  | { readonly t: 'recover'; readonly at: string; readonly pid: number }
  | { readonly t: 'end'; readonly at: string; readonly recovered?: boolean };

/** A step of one log: announced (`intent`) before it happens, then `done` or `failed`. */
export interface StepRecord {
  readonly t: 'intent' | 'done' | 'failed';
  readonly at: string;
  readonly log: string;
  readonly action: Action;
}

export type SectionRecord = Extract<JournalRecord, { t: 'section' }>;

export function journalPath(statePath: string): string {
  return `${statePath}.journal`;
}

/** Identifies one step of one log within a run: intent, done and failed carry equal keys. */
export function stepKey(log: string, action: Action): string {
  return `${log}\n${JSON.stringify(action)}`;
}

export function isStep(record: JournalRecord): record is StepRecord {
  return record.t === 'intent' || record.t === 'done' || record.t === 'failed';
}
