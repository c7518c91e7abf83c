// Finishing a run that was killed (kill -9, power loss), before the next run plans: the
// journal's last run is read, what is left of it worked out (analysis.ts, pure), the
// steps it was in the middle of repaired, and the rest carried out by the executor,
// journaled in the same file so that a crash during recovery is recovered too.
import type { RunTally } from '../../exec/tally.js';
import type { Archiver } from '../../exec/archiver.js';
import { LiveEffects } from '../../exec/effects/live.js';
import { LiveFsView } from '../../exec/fs-view.js';
import type { HookRunner } from '../../exec/hooks.js';
import type { LogReport } from '../../exec/log-report.js';
import type { StepObserver } from '../../exec/observer.js';
import { repair } from '../../exec/repair.js';
import { executeSection } from '../../exec/section/run-section.js';
import type { Logger } from '../../logger.js';
import { readLastRun } from '../reader.js';
import { Journal, type JournalTap } from '../writer.js';
import { planRecovery } from './analysis.js';

export interface Recovered {
  /** State times of the rotations recovery finished. */
  readonly stamps: ReadonlyMap<string, Date>;
  readonly failed: boolean;
  readonly logs: readonly LogReport[];
}

export interface RecoveryContext {
  readonly logger: Logger;
  readonly now: Date;
  readonly mailCommand: string;
  readonly tap: JournalTap | null;
  /** How hook scripts (postrotate, preremove) run. */
  readonly runHook: HookRunner;
  /** The run's archive (a killed run's archive steps are done again, under their names). */
  readonly archiver: Archiver;
  /** Counts what the finished steps did, with the run's own. */
  readonly tally: RunTally;
}

const NOTHING: Recovered = { stamps: new Map(), failed: false, logs: [] };

export async function recoverJournal(path: string, ctx: RecoveryContext): Promise<Recovered> {
  const plan = planRecovery(await readLastRun(path), new LiveFsView(), ctx.now);
  if (plan === null) return NOTHING;
  const { logger } = ctx;
  for (const { situation, action } of plan.inFlight) logger.warning(`the last run ${situation}: ${await repair(action, logger)}`);
  const journal = await Journal.resume(path, ctx.tap);
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
    for (const section of plan.sections) {
      for (const { situation, action } of section.unsettled) logger.warning(`the last run ${situation}: ${await repair(action, logger)}`);
      for (const [log, time] of section.complete) stamps.set(log, time);
      for (const resumed of section.plans) {
        logger.warning(`finishing the interrupted rotation of ${resumed.plan.section.files.join(', ')}`);
        const effects = new LiveEffects(resumed.plan, ctx.runHook, ctx.archiver, ctx.tally);
        const done = await executeSection({ plan: resumed.plan, logger, now: ctx.now, mailCommand: ctx.mailCommand, effects, observer });
        failed ||= done.failed;
        logs.push(...done.logs);
        for (const [log, time] of resumed.stamps) {
          if (!done.logs.some((l) => l.path === log && l.error !== undefined)) stamps.set(log, time);
        }
      }
    }
  } finally {
    await journal.close(true);
  }
  return { stamps, failed, logs };
}
