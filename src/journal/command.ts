// `logrotor journal [-s STATE] [--json] [--limit N]`: the recent actions recorded in the
// rotation journal beside the state file, for audits (what moved, when, by which run).
import type { Command } from 'commander';
import type { SubcommandContext } from '../cli/subcommand.js';
import { SUBCOMMAND_SUMMARIES } from '../cli/texts.js';
import { BUILD_DEFAULTS } from '../config/defaults.js';
import type { JournalFlags } from './show.js';

export function register(program: Command, context: SubcommandContext): void {
  program
    .command('journal')
    .description(SUBCOMMAND_SUMMARIES.journal)
    .option('-s, --state <statefile>', 'the state file whose journal to read', BUILD_DEFAULTS.statePath)
    .option('--json', 'one JSON object per line', false)
    .option('--limit <n>', 'show the last N actions (0: all)', '50')
    .action(async (flags: JournalFlags) => {
      const { showJournal } = await import('./show.js');
      context.setExitCode(await showJournal(flags, context.io));
    });
}

