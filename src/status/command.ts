// `logrotor status [-s STATE] [--json] <config>...`: each managed log's size, last and
// next rotation, whether it is due now and why, its rotations and its last failure.
import type { Command } from 'commander';
import type { SubcommandContext } from '../cli/subcommand.js';
import { SUBCOMMAND_SUMMARIES } from '../cli/texts.js';
import { BUILD_DEFAULTS } from '../config/defaults.js';
import type { StatusFlags } from './status.js';

export function register(program: Command, context: SubcommandContext): void {
  program
    .command('status')
    .description(SUBCOMMAND_SUMMARIES.status)
    .argument('<configs...>')
    .option('-s, --state <statefile>', 'the state file (and its journal and metrics counters) to read', BUILD_DEFAULTS.statePath)
    .option('--json', 'one JSON array, a row per log', false)
    .action(async (configs: string[], flags: StatusFlags) => {
      const { showStatus } = await import('./status.js');
      // Color only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
      const color = process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
      context.setExitCode(await showStatus(configs, flags, context.io, color));
    });
}
