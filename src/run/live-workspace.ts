// The workspace of a real run: the state file locked, a killed run finished, every step
// journaled and done, the finishing steps of logs overlapped, the state written.
import { nodeFs } from '../config/fs.js';
import { LiveEffects } from '../exec/effects/live.js';
import { hostname } from 'node:os';
import { LiveArchiver } from '../exec/archiver.js';
import { LiveFsView } from '../exec/fs-view.js';
import { RunTally } from '../exec/tally.js';
import { hookRunner, type ScriptStdout } from '../exec/hooks.js';
import { FinishPool } from '../exec/section/finish-pool.js';
import { recoverJournal, type RecoveryContext } from '../journal/recovery/recover.js';
import { journalPath } from '../journal/records.js';
import { Journal, type JournalTap } from '../journal/writer.js';
import { lockState } from '../state/lock.js';
import { NO_STATE_PATH, writeState } from '../state/store.js';
import { strerror } from '../strerror.js';
import type { JournalSession, Workspace, WorkspaceFactory } from './workspace.js';

export interface LiveDeps {
  /** Told about each journal record as it is written (the crash tests' kill switch). */
  readonly journalTap?: JournalTap;
  /** Where hook scripts' stdout goes (`--json` keeps ours for the report). */
  readonly scriptStdout?: ScriptStdout;
}

export function liveWorkspace(deps: LiveDeps = {}): WorkspaceFactory {
  return ({ logger: sink, now, statePath }) => {
    // The run's lines stay in a one-log-at-a-time run's order while steps overlap.
    const pool = new FinishPool(sink);
    const tally = new RunTally();
    const archiver = new LiveArchiver({ statePath, host: hostname(), now }, tally);
    const logger = pool.logger;
    const tap = deps.journalTap ?? null;
    const runHook = hookRunner(deps.scriptStdout ?? 'stdout');
    const workspace: Workspace = {
      logger,
      pool,
      configFs: nodeFs,
      lock: (statePath, mode) => lockState(statePath, mode),
      openJournal: (path, mailCommand) => openJournal(path, { logger, now, mailCommand, tap, runHook, archiver, tally }),
      planningView: () => new LiveFsView(),
      currentView: () => new LiveFsView(),
      holds: (path, options) => archiver.holds(path, options),
      effects: (plan) => new LiveEffects(plan, runHook, archiver, tally),
      saveState: (path, entries, options) => writeState(path, entries, options),
      figures: () => tally.figures(archiver.backlog()),
      close: () => archiver.close(),
    };
    return workspace;
  };
}

const NO_JOURNAL: JournalSession = { recovered: null, observer: undefined, close: () => Promise.resolve() };

async function openJournal(statePath: string, ctx: RecoveryContext): Promise<JournalSession> {
  if (statePath === NO_STATE_PATH) return NO_JOURNAL;
  // The journal only adds safety: a journal that cannot be read or written is reported
  // and the run goes on as logrotate would.
  const unjournaled = (err: unknown): null => (ctx.logger.warning(`rotation journal unavailable: ${strerror(err)}`), null);
  const path = journalPath(statePath);
  const recovered = await recoverJournal(path, ctx).catch(unjournaled);
  const journal = await Journal.open(path, ctx.tap).catch(unjournaled);
  return { recovered, observer: journal ?? undefined, close: async () => journal?.close() };
}
