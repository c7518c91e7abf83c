// `logrotor watch <config...>`: rotate each size-governed log as soon as it crosses its
// `size`/`maxsize`, without a schedule (time-based logs need `daemon` or cron).
import type { Command } from 'commander';
import type { SubcommandContext } from '../cli/subcommand.js';
import { SUBCOMMAND_SUMMARIES } from '../cli/texts.js';
import { foregroundOptions, type ForegroundFlags } from '../service/options.js';

export function register(program: Command, context: SubcommandContext): void {
  foregroundOptions(
    program.command('watch').description(SUBCOMMAND_SUMMARIES.watch).argument('<configs...>'),
  ).action(async (configs: string[], flags: ForegroundFlags) => {
    const { cliOutput } = await import('../cli/line-output.js');
    const { foreground } = await import('../service/foreground.js');
    context.setExitCode(await foreground(configs, { ...flags, watch: true }, cliOutput(context.io)));
  });
}
