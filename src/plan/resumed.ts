// A rotation known only by its steps: a killed run's, read back from the journal to be
// finished. Nothing about how its names were found is left to print.
import type { LogDecision, LogRotation, RotationSteps } from './model.js';

export function resumedRotation(steps: RotationSteps): LogRotation {
  return {
    ...steps,
    failure: null,
    dateSuffix: '',
    globPattern: '',
    convertedFormat: null,
    disposeName: null,
    disposeMissing: null,
    warnings: [],
    noDatedRotations: false,
  };
}

/** The decision behind a resumed rotation: it had been decided already. */
export function resumedDecision(path: string, now: Date): LogDecision {
  return { path, verdict: { kind: 'rotate', why: 'force' }, lastRotated: now, newStateEntry: false, reasons: [], future: false, parentMissing: false };
}
