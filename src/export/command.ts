// `logrotor export <config...> -o bundle.tar.gz [--since DATE]`: every file the
// configuration manages, live and rotated, in one archive (for support requests, audits).
import type { Command } from 'commander';
import type { SubcommandContext } from '../cli/subcommand.js';
import { SUBCOMMAND_SUMMARIES } from '../cli/texts.js';
import type { ExportFlags } from './export-command.js';

export function register(program: Command, context: SubcommandContext): void {
  program
    .command('export')
    .description(SUBCOMMAND_SUMMARIES.export)
    .argument('<configs...>')
    .requiredOption('-o, --output <file>', "the tar.gz to write ('-' for stdout)")
    .option('--since <date>', 'only files modified at or after DATE (YYYY-MM-DD is local midnight)')
    .option('-v, --verbose', 'print each file as it is added', false)
    .action(async (configs: string[], flags: ExportFlags) => {
      const { exportCommand } = await import('./export-command.js');
      context.setExitCode(await exportCommand(configs, flags, context.io));
    });
}

