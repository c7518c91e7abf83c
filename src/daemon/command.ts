// `logrotor daemon <config...>`: scheduled runs in the foreground, for containers and
// hosts without cron; `--watch` adds size-triggered rotation.
import type { Command } from 'commander';
import type { CliIo } from '../cli/io.js';
import type { SubcommandContext } from '../cli/subcommand.js';
import { SUBCOMMAND_SUMMARIES } from '../cli/texts.js';
import { foregroundOptions, type ForegroundFlags } from '../service/options.js';

export const DEFAULT_SCHEDULE = '0 * * * *';

interface DaemonFlags extends ForegroundFlags {
  readonly schedule: string;
  readonly watch: boolean;
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
  const { cliOutput } = await import('../cli/line-output.js');
  const { cronScheduler, scheduleError } = await import('./scheduler.js');
  const { foreground } = await import('../service/foreground.js');
  const output = cliOutput(io);
  const invalid = scheduleError(flags.schedule);
  if (invalid !== null) {
    output.err(`logrotor: ${invalid}`);
    return 1;
  }
  return foreground(configs, { ...flags, scheduler: cronScheduler }, output);
}
