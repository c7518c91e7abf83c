// One logrotate run: config → lock → state → plan and execute each section → state.
// Shared by the CLI, the daemon and watch modes. Only glue: every step lives elsewhere,
// and what the run may change is the workspace's to say (live, or -d's preview).
import { NO_FIGURES } from '../exec/tally.js';
import { homedir } from 'node:os';
import { loadConfig } from '../config/load.js';
import type { Diagnostic, Section } from '../config/model.js';
import type { LogReport } from '../exec/log-report.js';
import type { LogWork, SectionResult } from '../exec/section/ledger.js';
import { startSection } from '../exec/section/run-section.js';
import { enterIdentity, leaveIdentity } from '../exec/su.js';
import type { Logger } from '../logger.js';
import { describeDecisions, describeSection } from '../plan/describe.js';
import type { SectionPlan } from '../plan/model.js';
import { dirname, rotationDir } from '../plan/paths.js';
import { planSection, stateTimes } from '../plan/planner.js';
import type { LockMode } from '../state/lock.js';
import { readState } from '../state/store.js';
import { Upkeep } from './upkeep.js';
import { addWork, type RunResult } from './result.js';
import type { WorkspaceFactory } from './workspace.js';

export interface RunOptions {
  readonly configPaths: readonly string[];
  readonly statePath: string;
  readonly force: boolean; // -f
  readonly mailCommand: string; // -m
  readonly lock: LockMode;
  readonly logger: Logger;
  /** Injected clock; the CLI passes new Date(). */
  readonly now: Date;
  /** What the run may change: liveWorkspace() or previewWorkspace (-d). */
  readonly workspace: WorkspaceFactory;
  /** Only these logs (absolute paths), for watch mode; undefined = all. The run-wide
   * work (crash recovery, minfree) is the whole config's all the same: an empty set
   * runs only that. */
  readonly onlyLogs?: ReadonlySet<string>;
}

export async function runRotation(options: RunOptions): Promise<RunResult> {
  const { now } = options;
  const workspace = options.workspace({ logger: options.logger, now, statePath: options.statePath });
  const { logger, pool } = workspace;
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
  const config = await loadConfig(options.configPaths, {
    isRoot,
    home: process.env['HOME'] ?? homedir(),
    logger,
    fs: workspace.configFs,
  });
  // An error message from the reader does not by itself fail the run (logrotate exits 0
  // after `argument expected after size`, say): the reader says when the config failed.
  report(config.diagnostics, true);
  let failed = config.failed;

  const lock = await workspace.lock(options.statePath, options.lock);
  if (lock !== null) {
    report(lock.diagnostics);
    if (lock.kind === 'busy' || lock.kind === 'failed') {
      report([{ severity: 'error', text: lock.message }]);
      return { exitCode: 3, logs: [], diagnostics, figures: NO_FIGURES };
    }
  }
  const journal = await workspace.openJournal(options.statePath, options.mailCommand);
  const recovered = journal.recovered;
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

    const upkeep = new Upkeep(config.sections, workspace, now, isRoot);
    const stepJob = { logger, now, mailCommand: options.mailCommand, ...(journal.observer === undefined ? {} : { observer: journal.observer }) };
    const plans: SectionPlan[] = [];
    const logs: LogReport[] = [...(recovered?.logs ?? [])];
    const executed: Promise<SectionResult>[] = [];
    /** What upkeep did to logs before their sections' reports existed. */
    const laterWork: LogWork[] = [];
    for (const section of sections) {
      for (const line of describeSection(section, options.force)) logger.debug(line);
      // As logrotate, a section with `su` is looked at (planned) as well as rotated with
      // the su user's ids: a log that user cannot reach is an error, not a rotation.
      const su = section.files.length === 0 ? null : section.options.su;
      // Planned against the tree as the earlier sections leave it; the identity is the
      // whole process's, and background steps run as root.
      if (su !== null) await pool?.drain();
      else await pool?.waitForDirs(directoriesOf(section));
      const caught = await upkeep.catchUp(section, stepJob);
      failed ||= caught.failed;
      laterWork.push(...caught.work);
      const entered = su === null ? null : enterIdentity(su, logger);
      if (entered?.ok === false) {
        logger.error(entered.error);
        failed = true;
        continue;
      }
      try {
        const plan = planSection(section, { state, fs: workspace.planningView(entered !== null), now, force: options.force, isRoot });
        plans.push(plan);
        for (const line of describeDecisions(plan, now)) logger[line.severity](line.text);
        for (const [path, time] of stateTimes(plan)) state.set(path, time);
        const planUpkeep = upkeep.upkeepFor(section);
        const started = await startSection({
          plan,
          logger,
          now,
          mailCommand: options.mailCommand,
          effects: workspace.effects(plan),
          ...(journal.observer === undefined ? {} : { observer: journal.observer }),
          ...(pool === null || entered !== null ? {} : { pool }),
          ...(planUpkeep === undefined ? {} : { planUpkeep }),
        });
        executed.push(started.finished);
      } finally {
        leaveIdentity(logger);
      }
    }
    await pool?.drain();
    for (const done of await Promise.all(executed)) {
      for (const [path, time] of done.stamps) state.set(path, time);
      logs.push(...done.logs);
      failed ||= done.failed;
    }
    addWork(logs, laterWork);
    const freed = await upkeep.freeSpace(stepJob);
    failed ||= freed.failed;
    addWork(logs, freed.work);

    // logrotate marks an entry as in use only once the log's lstat succeeded: a missing
    // log's entry older than a year is dropped even though the config still names it.
    const used = new Set(config.sections.flatMap((s) => s.files));
    for (const decision of plans.flatMap((p) => p.decisions)) if (decision.stat === undefined) used.delete(decision.path);
    failed = report(workspace.saveState(options.statePath, state, { now, used })) || failed;
    return { exitCode: failed ? 1 : 0, logs, diagnostics, plan: { now, sections: plans }, figures: workspace.figures() };
  } finally {
    // After a throw, steps may still be in flight: the journal ends after them.
    await pool?.drain().catch(() => undefined);
    await journal.close();
    workspace.close();
    if (lock?.kind === 'locked') lock.release();
  }
}

/** The directories planning a section looks into: its logs' and their olddir. */
function directoriesOf(section: Section): Set<string> {
  const { oldDir } = section.options;
  return new Set(section.files.flatMap((file) => [dirname(file), rotationDir(file, oldDir)]));
}

/** Watch mode rotates only the logs that triggered it: the section without the others.
 * A norename section goes whole or not at all: its groups are its files together. */
function onlyThese(section: Section, only: ReadonlySet<string> | undefined): Section | null {
  if (only === undefined) return section;
  if (section.options.noRename) return section.files.some((f) => only.has(f)) ? section : null;
  const files = section.files.filter((f) => only.has(f));
  return files.length === 0 ? null : { ...section, files };
}
