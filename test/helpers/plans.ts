// Builders of plans for tests that hand the executor a plan of their own: complete
// plans, as the planner makes them, from the few facts a test cares about.
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { LogOptions, Section } from '../../src/config/model.js';
import type { LogDecision, LogRotation, RotationSteps, SectionPlan, Verdict } from '../../src/plan/model.js';
import { resumedRotation } from '../../src/plan/resumed.js';

/** A rotation with only its steps (no dateext or dispose notes to print). */
export function rotation(steps: RotationSteps, extra: Partial<LogRotation> = {}): LogRotation {
  return { ...resumedRotation(steps), ...extra };
}

/** The plain rename rotation of `log` to `log.1` (shifting `.1` to `.2` first). */
export function renameRotation(log: string, extra: Partial<LogRotation> = {}): LogRotation {
  return rotation(
    {
      log,
      prepare: [
        { kind: 'stamp', log, time: new Date(2026, 10, 22, 15, 4, 5) },
        { kind: 'rename', from: `${log}.1`, to: `${log}.2`, shift: { rotateCount: 1, logStart: 1, index: 1 } },
      ],
      rotate: [{ kind: 'rename', from: log, to: `${log}.1` }],
      finalName: `${log}.1`,
      finish: [],
    },
    extra,
  );
}

export function decision(path: string, verdict: Verdict, lastRotated = new Date(2026, 10, 21)): LogDecision {
  return { path, verdict, lastRotated, newStateEntry: false, reasons: [], future: false, parentMissing: false };
}

/** A section of `files` whose `rotations` are due; `errors` are decision errors. */
export function sectionPlan(files: readonly string[], rotations: readonly LogRotation[], overrides: Partial<LogOptions> = {}, errors: ReadonlyMap<string, string> = new Map()): SectionPlan {
  const options: LogOptions = { ...DEFAULT_OPTIONS, ...overrides };
  const section: Section = { pattern: files.join(' '), files, options, location: { file: 'test.conf', line: 1 } };
  const rotating = new Set(rotations.map((r) => r.log));
  const verdictOf = (path: string): Verdict => {
    const error = errors.get(path);
    if (error !== undefined) return { kind: 'error', message: error };
    return rotating.has(path) ? { kind: 'rotate', why: 'force' } : { kind: 'skip', why: 'not-due' };
  };
  return {
    section,
    options,
    decisions: files.map((path) => decision(path, verdictOf(path))),
    rotations,
    blocked: false,
    noRename: null,
  };
}
