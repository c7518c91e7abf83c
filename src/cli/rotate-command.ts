// The default command: `logrotor [options] <config>...`, logrotate's own command line.
import type { JournalTap } from '../journal/writer.js';
import type { RunResult } from '../run/result.js';
import type { LockMode } from '../state/lock.js';
import type { CliIo } from './io.js';
import { renderJsonReport } from './json-report.js';
import { FanoutLogger, FileSink, MemorySink, StreamSink, SyslogSink, renderLine, type LogSink } from './log-sinks.js';
import { PROGRAM, bannerText, usageText } from './texts.js';
import { packageVersion } from './version.js';

export interface RotateFlags {
  readonly debug: boolean;
  readonly force: boolean;
  readonly verbose: boolean;
  readonly state: string;
  readonly mail: string;
  readonly log: string | undefined;
  readonly skipStateLock: boolean;
  readonly waitForStateLock: boolean;
  readonly json: boolean;
  /** node_exporter textfile written at the end of every real run (not under -d). */
  readonly metricsFile: string | undefined;
}

/** What the command line cannot set: the crash tests' journal tap. */
export interface RotateDeps {
  readonly journalTap?: JournalTap;
}

export async function rotateCommand(configs: readonly string[], flags: RotateFlags, io: CliIo, deps: RotateDeps = {}): Promise<number> {
  if (configs.length === 0) {
    io.stderr.write(bannerText(packageVersion()) + usageText());
    return 1;
  }
  if (flags.skipStateLock && flags.waitForStateLock) {
    io.stderr.write(`${PROGRAM}: options --skip-state-lock and --wait-for-state-lock are mutually exclusive\n`);
    return 1;
  }

  const sinks: LogSink[] = [new StreamSink(io.stderr, flags.verbose || flags.debug)];
  if (flags.log === 'syslog') sinks.push(new SyslogSink());
  else if (flags.log !== undefined) {
    const file = FileSink.open(flags.log);
    if (typeof file === 'string') io.stderr.write(renderLine('error', file));
    else sinks.push(file);
  }
  const memory = new MemorySink();
  if (flags.json) sinks.push(memory);
  const logger = new FanoutLogger(sinks);

  const now = new Date();
  let result: RunResult | undefined;
  let exitCode: number;
  try {
    // Imported here so --version, --usage and bad arguments never load the config and planner stack.
    const { runRotation } = await import('../run/run.js');
    const workspace = flags.debug ? (await import('../run/preview-workspace.js')).previewWorkspace : (await import('../run/live-workspace.js')).liveWorkspace({ ...deps, scriptStdout: flags.json ? 'stderr' : 'stdout' });
    result = await runRotation({
      configPaths: configs,
      statePath: flags.state,
      workspace,
      force: flags.force,
      mailCommand: flags.mail,
      lock: lockMode(flags),
      logger,
      now,
    });
    exitCode = result.exitCode;
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error));
    exitCode = 1;
  }
  if (flags.metricsFile !== undefined && !flags.debug) {
    const { recordRunToFile } = await import('../metrics/recorder.js');
    const run = { result, exitCode, startedAt: now, finishedAt: new Date(), complete: true };
    const problems = recordRunToFile(flags.metricsFile, flags.state, run);
    for (const problem of problems) logger.error(problem);
    if (problems.length > 0 && exitCode === 0) exitCode = 1;
  }
  await logger.close();
  if (flags.json) io.stdout.write(renderJsonReport(flags.debug, now, exitCode, result, memory.lines));
  return exitCode;
}

function lockMode(flags: RotateFlags): LockMode {
  if (flags.skipStateLock) return 'skip';
  if (flags.waitForStateLock) return 'wait';
  return 'normal';
}
