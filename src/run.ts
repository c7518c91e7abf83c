// One logrotate run: config → lock → state → plan and execute each section → state.
// Shared by the CLI, the daemon and watch modes. Only glue: every step lives elsewhere.
import { Journal } from './exec/journal.js';
import { recoverJournal, type Recovered } from './exec/recovery.js';
import { journalPath } from './journal/records.js';
import { homedir } from 'node:os';
import { loadConfig } from './config/load.js';
import type { Diagnostic, Section } from './config/model.js';
import { startSection, type SectionResult } from './exec/execute.js';
import { FinishPool } from './exec/finish-pool.js';
import { LiveFsView, lstatThrough } from './exec/fs-view.js';
import type { StepObserver } from './exec/observer.js';
import { enterIdentity, leaveIdentity } from './exec/su.js';
import type { Logger } from './logger.js';
import { describeDecision, describeSection } from './plan/describe.js';
import type { Plan, SectionPlan, Verdict } from './plan/model.js';
import { dirname, rotationDir } from './plan/paths.js';
import { planSection } from './plan/planner.js';
import { lockState } from './state/lock.js';
import { readState, writeState } from './state/store.js';

export type LockMode = 'normal' | 'skip' | 'wait';

export interface RunOptions {
  readonly configPaths: readonly string[];
  readonly statePath: string;
  readonly debug: boolean; // -d: plan and print, change nothing
  readonly force: boolean; // -f
  readonly mailCommand: string; // -m
  readonly lock: LockMode;
  readonly logger: Logger;
  /** Injected clock; the CLI passes new Date(). */
  readonly now: Date;
  /** Only these logs (absolute paths), for watch mode; undefined = all. */
  readonly onlyLogs?: ReadonlySet<string>;
  /** Told about every action before and after it happens (the crash-safety journal). */
  readonly observer?: StepObserver;
}

/** What happened to one log, for `--json` and the daemon's one-line-per-action output. */
export interface LogReport {
  readonly path: string;
  readonly pattern: string;
  readonly verdict: Verdict;
  /** Human-readable steps actually done (or, with -d, that would be done). */
  readonly actions: readonly string[];
  readonly error?: string;
}

export interface RunResult {
  /** logrotate's exit status: 0 ok, 1 errors, 3 state lock/open failure. */
  readonly exitCode: 0 | 1 | 3;
  readonly logs: readonly LogReport[];
  readonly diagnostics: readonly Diagnostic[];
  readonly plan?: Plan;
}

export async function runRotation(options: RunOptions): Promise<RunResult> {
  const { now, debug } = options;
  // Logs' finishing steps overlap the next logs' steps (not under -d, where nothing
  // waits for the disk); its logger keeps every line in a one-at-a-time run's order.
  const pool = debug ? null : new FinishPool(options.logger);
  const logger = pool?.logger ?? options.logger;
  const diagnostics: Diagnostic[] = [];
  /** Prints problems (unless their producer already did) and keeps them for the result;
   * true on an error. */
  const report = (found: readonly Diagnostic[], printed = false): boolean => {
    for (const d of found) {
      diagnostics.push(d);
      if (!printed) logger[d.severity](d.location === undefined ? d.text : `${d.location.file}:${d.location.line} ${d.text}`);
    }
    return found.some((d) => d.severity === 'error');
  };

  const isRoot = process.getuid?.() === 0;
  // Under -d nothing changes on disk, so what the config reader saw of the logs (it
  // lstats every file-list match) still holds when they are planned.
  const seen = new LiveFsView();
  const config = await loadConfig(options.configPaths, {
    isRoot,
    home: process.env['HOME'] ?? homedir(),
    logger,
    ...(debug ? { fs: lstatThrough(seen) } : {}),
  });
  let failed = report(config.diagnostics, true) || config.failed;

  const lock = debug ? null : await lockState(options.statePath, options.lock);
  if (lock !== null) {
    report(lock.diagnostics);
    if (lock.kind === 'busy' || lock.kind === 'failed') {
      report([{ severity: 'error', text: lock.message }]);
      return { exitCode: 3, logs: [], diagnostics };
    }
  }
  const journaled = !debug && options.statePath !== '/dev/null';
  // The journal only adds safety: a journal that cannot be read or written is reported
  // and the run goes on as logrotate would.
  const unjournaled = (err: unknown): null => (logger.warning(`rotation journal unavailable: ${String(err)}`), null);
  const recovery = { logger, now, mailCommand: options.mailCommand };
  const recovered: Recovered | null = journaled ? await recoverJournal(journalPath(options.statePath), recovery).catch(unjournaled) : null;
  const journal = journaled ? await Journal.open(journalPath(options.statePath)).catch(unjournaled) : null;
  const observer = options.observer ?? journal ?? undefined;
  try {
    const stored = readState(options.statePath);
    failed = report(stored.diagnostics) || stored.failed || failed;
    const state = stored.entries;
    // A killed run's rotations that recovery finished keep that run's state times.
    for (const [path, time] of recovered?.stamps ?? []) state.set(path, time);
    failed ||= recovered?.failed === true;
    const sections = config.sections.map((s) => onlyThese(s, options.onlyLogs)).filter((s): s is Section => s !== null);
    logger.debug('');
    logger.debug(`Handling ${sections.length} logs`);

    const plans: SectionPlan[] = [];
    const logs: LogReport[] = [...(recovered?.logs ?? [])];
    const executed: Promise<SectionResult>[] = [];
    for (const section of sections) {
      for (const line of describeSection(section, options.force)) logger.debug(line);
      // As logrotate, a section with `su` is looked at (planned) as well as rotated with
      // the su user's ids: a log that user cannot reach is an error, not a rotation.
      const su = section.files.length === 0 ? null : section.options.su;
      // Planned against the tree as the earlier sections leave it; the identity is the
      // whole process's, and background steps run as root.
      if (su !== null) await pool?.drain();
      else await pool?.waitForDirs(directoriesOf(section));
      const entered = su === null ? null : enterIdentity(su, logger);
      if (entered?.ok === false) {
        logger.error(entered.error);
        failed = true;
        continue;
      }
      try {
        // Planned against the tree as earlier sections left it: under -d, as it is; a su
        // section looks with its user's rights, which may see less.
        const fs = debug && entered === null ? seen : new LiveFsView();
        const plan = planSection(section, { state, fs, now, force: options.force, isRoot });
        plans.push(plan);
        for (const decision of plan.decisions) {
          for (const line of describeDecision(decision, section, now)) logger[line.severity](line.text);
          state.set(decision.path, decision.lastRotated);
        }
        const started = await startSection({
          plan,
          logger,
          now,
          mailCommand: options.mailCommand,
          dryRun: debug,
          ...(observer === undefined ? {} : { observer }),
          ...(pool === null || entered !== null ? {} : { pool }),
        });
        executed.push(started.finished);
      } finally {
        leaveIdentity();
      }
    }
    await pool?.drain();
    for (const done of await Promise.all(executed)) {
      for (const [path, time] of done.stamps) state.set(path, time);
      logs.push(...done.logs);
      failed ||= done.failed;
    }

    if (!debug) {
      // logrotate marks an entry as in use only once the log's lstat succeeded: a missing
      // log's entry older than a year is dropped even though the config still names it.
      const used = new Set(config.sections.flatMap((s) => s.files));
      for (const decision of plans.flatMap((p) => p.decisions)) if (decision.stat === undefined) used.delete(decision.path);
      failed = report(writeState(options.statePath, state, { now, used })) || failed;
    }
    return { exitCode: failed ? 1 : 0, logs, diagnostics, plan: { now, sections: plans } };
  } finally {
    // After a throw, steps may still be in flight: the journal ends after them.
    await pool?.drain().catch(() => undefined);
    await journal?.close();
    if (lock?.kind === 'locked') lock.release();
  }
}

/** The directories planning a section looks into: its logs' and their olddir. */
function directoriesOf(section: Section): Set<string> {
  const { oldDir } = section.options;
  return new Set(section.files.flatMap((file) => [dirname(file), rotationDir(file, oldDir)]));
}

/** Watch mode rotates only the logs that triggered it: the section without the others. */
function onlyThese(section: Section, only: ReadonlySet<string> | undefined): Section | null {
  if (only === undefined) return section;
  const files = section.files.filter((f) => only.has(f));
  return files.length === 0 ? null : { ...section, files };
}
