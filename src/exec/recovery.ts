// Finishing a run that was killed (kill -9, power loss): before the next run plans,
// every rotation the killed run had started is carried to its end from the journal, so
// each rotated byte ends up exactly once in the rotation chain:
// 1. the steps in flight (one per log at most; several logs' finishing steps overlap)
//    are settled: a partial output removed, or (copytruncate whose copy was committed)
//    the copied prefix taken out of the log;
// 2. the steps not marked done are replayed over an overlay of the tree, and those whose
//    effect is already there (rename done, file already made or removed) are dropped.
//    Step records are not synced (docs/durability.md): after a power loss the disk may
//    be ahead of the journal. The section record lists which of the rotation's names
//    existed beforehand, so recovery replays the steps over those names and takes the
//    longest run of steps whose result matches the disk as done;
// 3. the rest runs through the executor, with postrotate first when the killed run had
//    not reached the finishing steps (a daemon must let go of the rotated file before it
//    is compressed). Other scripts are not run again.
// Recovery writes to the same journal, so a crash during recovery is recovered too.
import { constants } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import type { LogOptions, Script } from '../config/model.js';
import type { Logger } from '../logger.js';
import { readLastRun, stepKey, type JournaledRotation, type JournalRecord } from '../journal/records.js';
import { OverlayFs } from '../plan/overlay.js';
import type { Action, FsView, LogRotation, SectionPlan } from '../plan/model.js';
import type { LogReport } from '../run.js';
import { executeSection } from './execute.js';
import { LiveFsView } from './fs-view.js';
import { Journal, inodeAt, rotationNames } from './journal.js';
import type { StepObserver } from './observer.js';
import { PARTIAL_SUFFIX, removeCopiedPrefix, stillHoldsCopy } from './lossless-copytruncate.js';

export interface Recovered {
  /** State times of the rotations recovery finished. */
  readonly stamps: ReadonlyMap<string, Date>;
  readonly failed: boolean;
  readonly logs: readonly LogReport[];
}

const NOTHING: Recovered = { stamps: new Map(), failed: false, logs: [] };

export interface RecoveryContext {
  readonly logger: Logger;
  readonly now: Date;
  readonly mailCommand: string;
}

type Step = Extract<JournalRecord, { t: 'intent' | 'done' | 'failed' }>;

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
  readonly inFlight: readonly Step[];
}

function factsOf(run: readonly JournalRecord[]): RunFacts {
  const steps = run.filter((r): r is Step => r.t === 'intent' || r.t === 'done' || r.t === 'failed');
  const keysOf = (t: Step['t']): Set<string> => new Set(steps.filter((r) => r.t === t).map((r) => stepKey(r.log, r.action)));
  const done = keysOf('done');
  const failed = keysOf('failed');
  const intents = steps.filter((r) => r.t === 'intent');
  const open = intents.filter((r) => !done.has(stepKey(r.log, r.action)) && !failed.has(stepKey(r.log, r.action)));
  // Journals from before overlapping steps record no failures: there, only the last
  // step could be in flight, and an earlier step left open had failed.
  const overlapping = run[0]?.t === 'run' && run[0].steps === 'overlapping';
  const last = steps.at(-1);
  const inFlight = overlapping ? open : last !== undefined && last.t === 'intent' ? [last] : [];
  const failedLogs = new Set([
    ...steps.filter((r) => r.t === 'failed').map((r) => r.log),
    ...open.filter((r) => !inFlight.includes(r)).map((r) => r.log),
  ]);
  return {
    done,
    begun: new Set(intents.map((r) => stepKey(r.log, r.action))),
    started: new Set(intents.map((r) => r.log)),
    failedLogs,
    inFlight,
  };
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

/** Leaves the in-flight step either not done at all or done; returns what happened. */
async function settle(action: Action, ctx: RecoveryContext): Promise<string> {
  switch (action.kind) {
    case 'copy': {
      await rm(action.to + PARTIAL_SUFFIX, { force: true });
      if (!action.truncate || !(await exists(action.to)) || !(await exists(action.from))) return 'partial copy removed';
      const live = await open(action.from, constants.O_RDWR | constants.O_NOFOLLOW);
      const copy = await open(action.to, constants.O_RDWR | constants.O_NOFOLLOW);
      try {
        const copied = (await copy.stat()).size;
        if (!(await stillHoldsCopy(live, copy, copied))) return 'copytruncate had completed';
        await removeCopiedPrefix({ src: live, dest: copy, to: action.to, copied, committed: true }, ctx.logger);
        return 'copytruncate completed: the copied prefix was taken out of the log';
      } finally {
        await live.close();
        await copy.close();
      }
    }
    case 'compress':
      if (!(await exists(action.from))) return 'compression had completed';
      await rm(action.to, { force: true });
      return `partial ${action.to} removed`;
    case 'create':
      return (await adopt(action)) ? `${action.path} given its owner and mode` : 'nothing to repair';
    case 'rename':
    case 'remove':
    case 'mail':
    case 'stamp':
      return 'nothing to repair (the step is atomic or harmless to repeat)';
  }
}

/** A `create` killed between making the file and setting its owner and mode. */
async function adopt(action: Extract<Action, { kind: 'create' }>): Promise<boolean> {
  const handle = await open(action.path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
  if (handle === null) return false;
  try {
    if (!(await handle.stat()).isFile()) return false;
    await handle.chown(action.attrs.uid, action.attrs.gid);
    await handle.chmod(action.attrs.mode);
    return true;
  } finally {
    await handle.close();
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
      return present(action.path);
    case 'stamp':
      return true;
  }
}

interface Remaining {
  readonly rotation: LogRotation;
  /** postrotate has to run (again): the killed run had not started finishing. */
  readonly postrotate: boolean;
}

/** The overlay of the tree plus what recovery must settle before replaying. */
interface Replay {
  readonly fs: OverlayFs;
  /** The inodes at the rotation names when the section was recorded; null for journals
   * of older versions, which synced every record. */
  readonly existed: Readonly<Record<string, number>> | null;
  /** Copies and compressions begun with no record left (a power loss took it): settled
   * like the step in flight. */
  readonly unsettled: Unsettled[];
  /** Rotations the killed run had carried out to the end (only `end` was missing): their
   * logs get the killed run's state time all the same, or the next run rotates again. */
  readonly complete: JournaledRotation[];
}

type Unsettled = Extract<Action, { kind: 'copy' | 'compress' }>;

/** What sits at a name: a file that was there when the section was recorded (by inode
 * number), or one a step made. */
type Identity = number | 'new';

/** How many of `steps` are done by the disk: the longest prefix whose replay over the
 * files as they were puts the same files at the same names as now. Inode numbers make
 * a full rotation look different from none (by presence alone they look the same). A
 * step that changes no name cannot be told done, and is harmless to repeat. */
function donePrefix(rotation: JournaledRotation, steps: readonly Action[], existed: Readonly<Record<string, number>>): number {
  const names = rotationNames(rotation);
  const before = new Set(Object.values(existed));
  const now = new Map(names.map((name) => [name, inodeAt(name)]));
  const replayed = new Map<string, Identity>(Object.entries(existed));
  replayed.set(rotation.log, 'new'); // the log is moved on, never compared
  const matches = (): boolean =>
    names.every((name) => {
      const expected = replayed.get(name);
      const actual = now.get(name);
      if (expected === undefined || actual === undefined) return expected === actual;
      return expected === 'new' ? !before.has(actual) : expected === actual;
    });
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
      return;
  }
}

/** The steps of `rotation` that are still to do, as a rotation to execute. Steps are
 * sequential: below the last one begun (by the records or by the disk) all are done,
 * and are not judged again (their names may have been refilled by later steps). */
function remainingOf(rotation: JournaledRotation, facts: RunFacts, replay: Replay): Remaining | null {
  const { fs, existed } = replay;
  const inFlight = new Set(facts.inFlight.map((step) => stepKey(step.log, step.action)));
  const steps = [...rotation.prepare, ...rotation.rotate, ...rotation.finish];
  const keyOf = (action: Action): string => stepKey(rotation.log, action);
  let frontier = existed === null ? -1 : donePrefix(rotation, steps, existed) - 1;
  const onDisk = steps[frontier];
  steps.forEach((a, index) => {
    if (facts.begun.has(keyOf(a)) || facts.done.has(keyOf(a))) frontier = Math.max(frontier, index);
  });
  if (onDisk !== undefined && !facts.begun.has(keyOf(onDisk)) && (onDisk.kind === 'copy' || onDisk.kind === 'compress')) {
    replay.unsettled.push(onDisk);
  }
  const keep = (action: Action): boolean => {
    const key = keyOf(action);
    if (steps.indexOf(action) < frontier || facts.done.has(key)) return false;
    const needed = stillNeeded(action, fs, inFlight.has(key));
    if (needed) fs.apply(action);
    return needed;
  };
  const prepare = rotation.prepare.filter(keep);
  const rotate = rotation.rotate.filter(keep);
  const finish = rotation.finish.filter(keep);
  if (prepare.length + rotate.length + finish.length === 0) {
    replay.complete.push(rotation);
    return null;
  }
  const finishing = frontier >= rotation.prepare.length + rotation.rotate.length;
  return { rotation: { log: rotation.log, finalName: rotation.finalName, prepare, rotate, finish }, postrotate: !finishing };
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
    decisions: rotations.map((r) => ({ path: r.log, verdict: { kind: 'rotate', why: 'force' }, lastRotated: now, newStateEntry: false })),
    rotations,
  };
}

/** The groups the executor runs: with sharedscripts a section's rotations together (one
 * postrotate), otherwise each rotation alone. */
function plansOf(section: Extract<JournalRecord, { t: 'section' }>, facts: RunFacts, replay: Replay, now: Date): SectionPlan[] {
  const { pattern, options } = section;
  const existing = replay.existed;
  // The first step record after firstaction or prerotate is synced; without those
  // scripts the section record alone allows recovery to finish its rotations (their
  // own records may have been lost with the power).
  const { firstaction, prerotate } = options.scripts;
  const entered = section.rotations.some((r) => facts.started.has(r.log)) || (existing !== null && firstaction === undefined);
  if (!entered || (options.sharedScripts && section.rotations.some((r) => facts.failedLogs.has(r.log)))) return [];
  // A shared section had run its prerotate for all of its logs; otherwise a log whose
  // rotation may not have started is left to the next run to plan afresh.
  const mayHaveStarted = (log: string): boolean => options.sharedScripts || facts.started.has(log) || (existing !== null && prerotate === undefined);
  const chosen = section.rotations.filter((r) => !facts.failedLogs.has(r.log) && mayHaveStarted(r.log));
  const remaining = chosen.map((r) => remainingOf(r, facts, replay)).filter((r): r is Remaining => r !== null);
  if (options.sharedScripts) {
    if (remaining.length === 0) return [];
    const postrotate = remaining.every((r) => r.postrotate);
    return [planOf(pattern, recoveryOptions(options, postrotate), remaining.map((r) => r.rotation), now)];
  }
  return remaining.map((r) => planOf(pattern, recoveryOptions(options, r.postrotate), [r.rotation], now));
}

/** The stamp a finished rotation leaves in the state file. */
function stampOf(rotation: Pick<LogRotation, 'log'>, all: readonly JournaledRotation[]): Date | null {
  const original = all.find((r) => r.log === rotation.log);
  const stamp = original?.prepare.find((a): a is Extract<Action, { kind: 'stamp' }> => a.kind === 'stamp');
  return stamp?.time ?? null;
}

/** Called before planning: finishes the rotations a killed run left half done. */
export async function recoverJournal(path: string, ctx: RecoveryContext): Promise<Recovered> {
  const run = await readLastRun(path);
  if (run.length === 0 || run.some((r) => r.t === 'end')) return NOTHING;
  const facts = factsOf(run);
  const { logger } = ctx;
  for (const { action, log } of facts.inFlight) {
    logger.warning(`the last run was killed during ${action.kind} of ${log}: ${await settle(action, ctx)}`);
  }
  const journal = await Journal.resume(path);
  // Steps only: the killed run's section records stay the one description of its work.
  const observer: StepObserver = {
    before: (a, log) => journal.before(a, log),
    after: (a, log) => journal.after(a, log),
    failed: (a, log) => journal.failed(a, log),
    flush: () => journal.flush(),
  };
  const stamps = new Map<string, Date>();
  const logs: LogReport[] = [];
  let failed = false;
  try {
    const fs = new OverlayFs(new LiveFsView(), ctx.now.getTime());
    for (const section of run.filter((r): r is Extract<JournalRecord, { t: 'section' }> => r.t === 'section')) {
      const replay: Replay = { fs, existed: section.existing ?? null, unsettled: [], complete: [] };
      const plans = plansOf(section, facts, replay, ctx.now);
      for (const action of replay.unsettled) logger.warning(`the last run stopped during ${action.kind} to ${action.to}: ${await settle(action, ctx)}`);
      for (const rotation of replay.complete) {
        const time = stampOf(rotation, section.rotations);
        if (time !== null) stamps.set(rotation.log, time);
      }
      for (const plan of plans) {
        logger.warning(`finishing the interrupted rotation of ${plan.section.files.join(', ')}`);
        const done = await executeSection({ plan, logger, now: ctx.now, mailCommand: ctx.mailCommand, dryRun: false, observer });
        failed ||= done.failed;
        logs.push(...done.logs);
        for (const rotation of plan.rotations) {
          const time = stampOf(rotation, section.rotations);
          if (time !== null && !done.logs.some((l) => l.path === rotation.log && l.error !== undefined)) stamps.set(rotation.log, time);
        }
      }
    }
  } finally {
    await journal.close(true);
  }
  return { stamps, failed, logs };
}
