// What is left of a killed run: a pure function of its journal records and the tree as
// recovery finds it. Every rotation the killed run had started is carried to its end, so
// each rotated byte ends up exactly once in the rotation chain:
// 1. the steps in flight (one per log at most; several logs' finishing steps overlap)
//    are settled (repairs.ts);
// 2. the steps not marked done are replayed over an overlay of the tree, and those whose
//    effect is already there (rename done, file already made or removed) are dropped.
//    Step records are not synced (docs/durability.md): after a power loss the disk may
//    be ahead of the journal. The section record lists which of the rotation's names
//    existed beforehand (by inode), so recovery replays the steps over those names and
//    takes the longest run of steps whose result matches the disk as done;
// 3. the rest becomes section plans for the executor, with postrotate first when the
//    killed run had not reached the finishing steps (a daemon must let go of the
//    rotated file before it is compressed). Other scripts are not run again.
import type { LogOptions, Script } from '../../config/model.js';
import { OverlayFs } from '../../plan/overlay.js';
import type { Action, FsView, LogRotation, SectionPlan } from '../../plan/model.js';
import { resumedDecision, resumedRotation } from '../../plan/resumed.js';
import { rotationNames } from '../../plan/rotation-names.js';
import { isStep, stepKey, type JournaledRotation, type JournalRecord, type SectionRecord, type StepRecord } from '../records.js';
import { inodeIn, repairOf, type Repair } from './repairs.js';

export interface RecoveryPlan {
  /** The steps the killed run was in the middle of, settled before anything else. */
  readonly inFlight: readonly Repair[];
  readonly sections: readonly SectionRecovery[];
}

export interface SectionRecovery {
  /** Copies and compressions begun with no record left (a power loss took it). */
  readonly unsettled: readonly Repair[];
  /** State times of the rotations the killed run carried out to the end (only `end`
   * was missing): the next run must not rotate those logs again. */
  readonly complete: ReadonlyMap<string, Date>;
  readonly plans: readonly ResumedPlan[];
}

export interface ResumedPlan {
  readonly plan: SectionPlan;
  /** The state time each log gets once its rotation went through. */
  readonly stamps: ReadonlyMap<string, Date>;
}

/** What the killed run's records say about its steps. */
interface RunFacts {
  readonly done: ReadonlySet<string>;
  /** Steps with an intent record. */
  readonly begun: ReadonlySet<string>;
  /** Logs with a step begun. */
  readonly started: ReadonlySet<string>;
  /** Logs with a step that failed: their rotation was abandoned by the killed run itself
   * and stays as it was. */
  readonly failedLogs: ReadonlySet<string>;
  /** Steps begun and neither done nor failed when the run was killed. */
  readonly inFlight: readonly StepRecord[];
}

/** null when there is nothing to recover: no run, or one that ended. */
export function planRecovery(run: readonly JournalRecord[], tree: FsView, now: Date): RecoveryPlan | null {
  if (run.length === 0 || run.some((r) => r.t === 'end')) return null;
  const facts = factsOf(run);
  // The tree once the repairs are made: what the disk will show the executor.
  const settled = new OverlayFs(tree, now.getTime());
  const inFlight = facts.inFlight.map(({ action, log }) => repairOf(action, `was killed during ${action.kind} of ${log}`, settled));
  const replayed = new OverlayFs(settled, now.getTime());
  const sections = run
    .filter((r): r is SectionRecord => r.t === 'section')
    .map((section) => recoverSection(section, facts, { settled, replayed, existed: section.existing ?? null }, now));
  return { inFlight, sections };
}

function factsOf(run: readonly JournalRecord[]): RunFacts {
  const steps = run.filter(isStep);
  const keysOf = (t: StepRecord['t']): Set<string> => new Set(steps.filter((r) => r.t === t).map((r) => stepKey(r.log, r.action)));
  const done = keysOf('done');
  const failed = keysOf('failed');
  const intents = steps.filter((r) => r.t === 'intent');
  return {
    done,
    begun: keysOf('intent'),
    started: new Set(intents.map((r) => r.log)),
    failedLogs: new Set(steps.filter((r) => r.t === 'failed').map((r) => r.log)),
    inFlight: intents.filter((r) => !done.has(stepKey(r.log, r.action)) && !failed.has(stepKey(r.log, r.action))),
  };
}

/** The tree views one section's rotations are judged against. */
interface Views {
  /** The disk after the repairs: which file is at which name now. */
  readonly settled: OverlayFs;
  /** `settled` with the steps kept so far replayed over it: what each next step finds. */
  readonly replayed: OverlayFs;
  /** The inodes at the rotation names when the section was recorded; null for journals
   * of older versions, which synced every record. */
  readonly existed: Readonly<Record<string, number>> | null;
}

/** The groups the executor runs: with sharedscripts a section's rotations together (one
 * postrotate), otherwise each rotation alone. */
function recoverSection(section: SectionRecord, facts: RunFacts, views: Views, now: Date): SectionRecovery {
  const { pattern, options } = section;
  const unsettled: Repair[] = [];
  const complete = new Map<string, Date>();
  const nothing: SectionRecovery = { unsettled, complete, plans: [] };
  // The first step record after firstaction or prerotate is synced; without those
  // scripts the section record alone allows recovery to finish its rotations (their
  // own records may have been lost with the power).
  const { firstaction, prerotate } = options.scripts;
  const existed = views.existed !== null;
  const entered = section.rotations.some((r) => facts.started.has(r.log)) || (existed && firstaction === undefined);
  if (!entered || (options.sharedScripts && section.rotations.some((r) => facts.failedLogs.has(r.log)))) return nothing;
  // A shared section had run its prerotate for all of its logs; otherwise a log whose
  // rotation may not have started is left to the next run to plan afresh.
  const mayHaveStarted = (log: string): boolean => options.sharedScripts || facts.started.has(log) || (existed && prerotate === undefined);
  const remaining: Remaining[] = [];
  for (const rotation of section.rotations) {
    if (facts.failedLogs.has(rotation.log) || !mayHaveStarted(rotation.log)) continue;
    const left = remainingOf(rotation, facts, views, unsettled);
    const stamp = stampOf(rotation);
    if (left !== null) remaining.push(left);
    else if (stamp !== null) complete.set(rotation.log, stamp);
  }
  if (remaining.length === 0) return nothing;
  const planned = (group: readonly Remaining[]): ResumedPlan => {
    const postrotate = group.every((r) => r.postrotate);
    const rotations = group.map((r) => r.rotation);
    const stamps = new Map(group.flatMap((r) => (r.stamp === null ? [] : [[r.rotation.log, r.stamp] as const])));
    return { plan: planOf(pattern, recoveryOptions(options, postrotate), rotations, now), stamps };
  };
  const plans = options.sharedScripts ? [planned(remaining)] : remaining.map((r) => planned([r]));
  return { unsettled, complete, plans };
}

interface Remaining {
  readonly rotation: LogRotation;
  /** postrotate has to run (again): the killed run had not started finishing. */
  readonly postrotate: boolean;
  readonly stamp: Date | null;
}

/** The steps of `rotation` that are still to do, as a rotation to execute; null when
 * none is. Steps are sequential: below the last one begun (by the records or by the
 * disk) all are done, and are not judged again (their names may have been refilled by
 * later steps). */
function remainingOf(rotation: JournaledRotation, facts: RunFacts, views: Views, unsettled: Repair[]): Remaining | null {
  const inFlight = new Set(facts.inFlight.map((step) => stepKey(step.log, step.action)));
  const steps = [...rotation.prepare, ...rotation.rotate, ...rotation.finish];
  const keyOf = (action: Action): string => stepKey(rotation.log, action);
  let frontier = views.existed === null ? -1 : donePrefix(rotation, steps, views.existed, views.settled) - 1;
  const onDisk = steps[frontier];
  steps.forEach((a, index) => {
    if (facts.begun.has(keyOf(a)) || facts.done.has(keyOf(a))) frontier = Math.max(frontier, index);
  });
  if (onDisk !== undefined && !facts.begun.has(keyOf(onDisk)) && (onDisk.kind === 'copy' || onDisk.kind === 'compress')) {
    unsettled.push(repairOf(onDisk, `stopped during ${onDisk.kind} to ${onDisk.to}`, views.settled));
  }
  const keep = (action: Action): boolean => {
    const key = keyOf(action);
    if (steps.indexOf(action) < frontier || facts.done.has(key)) return false;
    const needed = stillNeeded(action, views.replayed, inFlight.has(key));
    if (needed) views.replayed.apply(action);
    return needed;
  };
  const prepare = rotation.prepare.filter(keep);
  const rotate = rotation.rotate.filter(keep);
  const finish = rotation.finish.filter(keep);
  if (prepare.length + rotate.length + finish.length === 0) return null;
  const finishing = frontier >= rotation.prepare.length + rotation.rotate.length;
  const steps_ = { log: rotation.log, finalName: rotation.finalName, prepare, rotate, finish };
  return { rotation: resumedRotation(steps_), postrotate: !finishing, stamp: stampOf(rotation) };
}

/** What sits at a name: a file that was there when the section was recorded (by inode
 * number), or one a step made. */
type Identity = number | 'new';

/** How many of `steps` are done by the disk: the longest prefix whose replay over the
 * files as they were puts the same files at the same names as now. Inode numbers make
 * a full rotation look different from none (by presence alone they look the same). A
 * step that changes no name cannot be told done, and is harmless to repeat. */
function donePrefix(rotation: JournaledRotation, steps: readonly Action[], existed: Readonly<Record<string, number>>, tree: FsView): number {
  const names = rotationNames(rotation);
  const now = new Map(names.map((name) => [name, inodeIn(tree, name)]));
  const replayed = new Map<string, Identity>(Object.entries(existed));
  replayed.set(rotation.log, 'new'); // the log is moved on, never compared
  const matches = (): boolean => {
    // A file a step made may have the inode number of one a step destroyed (an
    // overwritten or removed rotation): only the numbers of files still in place are
    // not new.
    const placed = new Set([...replayed.values()].filter((id) => id !== 'new'));
    return names.every((name) => {
      const expected = replayed.get(name);
      const actual = now.get(name);
      if (expected === undefined || actual === undefined) return expected === actual;
      return expected === 'new' ? !placed.has(actual) : expected === actual;
    });
  };
  let done = matches() ? 0 : -1;
  steps.forEach((action, index) => {
    replay(replayed, action);
    if (matches()) done = index + 1;
  });
  return Math.max(done, 0);
}

function replay(files: Map<string, Identity>, action: Action): void {
  switch (action.kind) {
    case 'rename': {
      const moved = files.get(action.from);
      if (moved === undefined) return;
      files.set(action.to, moved);
      files.delete(action.from);
      return;
    }
    case 'copy':
    case 'compress':
      if (files.has(action.from) && !(action.kind === 'copy' && action.skipCopy === true)) files.set(action.to, 'new');
      return;
    case 'create':
      files.set(action.path, 'new');
      return;
    case 'remove':
      files.delete(action.path);
      return;
    case 'mail':
    case 'stamp':
    case 'shift-gap':
    case 'signal':
    case 'track':
    case 'archive':
      return;
  }
}

/** False when the step's effect is already in the tree (or there is nothing to act on). */
function stillNeeded(action: Action, fs: FsView, inFlight: boolean): boolean {
  const present = (path: string): boolean => fs.lstat(path).kind === 'present';
  switch (action.kind) {
    case 'rename':
      // The log moved and its writer made a new one by the same name: moving that one
      // too would overwrite the rotated log.
      return present(action.from) && (action.shift !== undefined || !present(action.to));
    case 'create':
      return !present(action.path);
    case 'copy':
      // Truncation alone cannot tell whether it happened; doing it twice would drop
      // what was written in between.
      if (action.skipCopy === true) return !inFlight && present(action.from);
      return present(action.from) && !present(action.to);
    case 'compress':
      return present(action.from);
    case 'mail':
    case 'remove':
    case 'track':
    case 'archive':
      return present(action.path);
    case 'stamp':
      return true;
    // The log's writer must have been told to let go of the rotated file before it is
    // compressed: a repeated signal only makes it reopen once more.
    case 'signal':
      return true;
    case 'shift-gap':
      return false;
  }
}

/** Only the scripts recovery may run: postrotate when needed, preremove with removals. */
function recoveryOptions(options: LogOptions, postrotate: boolean): LogOptions {
  const scripts: Partial<Record<'postrotate' | 'preremove', Script>> = {};
  if (postrotate && options.scripts.postrotate !== undefined) scripts.postrotate = options.scripts.postrotate;
  if (options.scripts.preremove !== undefined) scripts.preremove = options.scripts.preremove;
  return { ...options, scripts };
}

function planOf(pattern: string, options: LogOptions, rotations: readonly LogRotation[], now: Date): SectionPlan {
  return {
    section: { pattern, files: rotations.map((r) => r.log), options, location: { file: 'rotation journal', line: 0 } },
    options,
    decisions: rotations.map((r) => resumedDecision(r.log, now)),
    rotations,
    blocked: false,
    noRename: null,
  };
}

/** The stamp a finished rotation leaves in the state file. */
function stampOf(rotation: JournaledRotation): Date | null {
  const stamp = rotation.prepare.find((a): a is Extract<Action, { kind: 'stamp' }> => a.kind === 'stamp');
  return stamp?.time ?? null;
}
