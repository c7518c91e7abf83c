// `logrotor daemon <config...>`: scheduled runs in the foreground, for containers and
// hosts without cron; `--watch` adds size-triggered rotation.
import type { Command } from 'commander';
import type { CliIo } from '../cli/io.js';
import type { SubcommandContext } from '../cli/subcommands.js';
import { SUBCOMMAND_SUMMARIES } from '../cli/texts.js';
import { BUILD_DEFAULTS } from '../config/defaults.js';

export const DEFAULT_SCHEDULE = '0 * * * *';

/** Settings shared by `daemon` and `watch`. */
export interface ForegroundFlags {
  readonly state: string;
  readonly mail: string;
  readonly verbose: boolean;
  /** HOST:PORT for /metrics and /healthz; off when absent. */
  readonly metricsListen?: string;
}

interface DaemonFlags extends ForegroundFlags {
  readonly schedule: string;
  readonly watch: boolean;
}

/** The options `daemon` and `watch` both take, with logrotate's letters. */
export function foregroundOptions(command: Command): Command {
  return command
    .option('-s, --state <statefile>', 'state file, shared with logrotate', BUILD_DEFAULTS.statePath)
    .option('-m, --mail <command>', 'mail program', BUILD_DEFAULTS.mailCommand)
    .option('-v, --verbose', 'print debug lines too', false)
    .option('--metrics-listen <host:port>', 'serve Prometheus metrics on /metrics and a health check on /healthz (off unless given)');
}

export function register(program: Command, context: SubcommandContext): void {
  foregroundOptions(
    program
      .command('daemon')
      .description(SUBCOMMAND_SUMMARIES.daemon)
      .argument('<configs...>')
      .option('--schedule <cron>', 'cron expression: 5 fields, or 6 with seconds first', DEFAULT_SCHEDULE)
      .option('--watch', 'also rotate a log as soon as it exceeds its size or maxsize', false),
  ).action(async (configs: string[], flags: DaemonFlags) => {
    context.setExitCode(await runDaemon(configs, flags, context.io));
  });
}

async function runDaemon(configs: readonly string[], flags: DaemonFlags, io: CliIo): Promise<number> {
  const { cliOutput } = await import('./output.js');
  const { cronScheduler, scheduleError } = await import('./scheduler.js');
  const { foreground } = await import('./foreground.js');
  const output = cliOutput(io);
  const invalid = scheduleError(flags.schedule);
  if (invalid !== null) {
    output.err(`logrotor: ${invalid}`);
    return 1;
  }
  return foreground(configs, { ...flags, scheduler: cronScheduler }, output);
}
