// `logrotor install|uninstall --cron|--systemd [--root DIR]`: the shipped cron job or
// systemd units, put in place or removed.
import type { Command } from 'commander';
import type { SubcommandContext } from '../cli/subcommand.js';
import { SUBCOMMAND_SUMMARIES } from '../cli/texts.js';
import type { InstallTarget } from './files.js';

interface InstallFlags {
  readonly cron: boolean;
  readonly systemd: boolean;
  readonly root: string;
  readonly bin?: string;
}

function targetOptions(command: Command): Command {
  return command
    .option('--cron', 'the daily cron job (/etc/cron.daily/logrotor)', false)
    .option('--systemd', 'the service and its daily timer (/etc/systemd/system/logrotor.{service,timer})', false)
    .option('--root <dir>', 'install under DIR instead of / (packaging, tests)', '/');
}

/** The chosen targets, or null (with a message and status 1) when none was chosen. */
function requireTargets(flags: InstallFlags, verb: string, context: SubcommandContext): InstallTarget[] | null {
  const chosen = [...(flags.cron ? (['cron'] as const) : []), ...(flags.systemd ? (['systemd'] as const) : [])];
  if (chosen.length > 0) return chosen;
  context.io.stderr.write(`logrotor ${verb}: choose --cron and/or --systemd\n`);
  context.setExitCode(1);
  return null;
}

export function register(program: Command, context: SubcommandContext): void {
  const { io } = context;
  targetOptions(program.command('install').description(SUBCOMMAND_SUMMARIES.install))
    .option('--bin <path>', 'the logrotor binary the files should run (default: this one)')
    .action(async (flags: InstallFlags) => {
      const chosen = requireTargets(flags, 'install', context);
      if (chosen === null) return;
      const { defaultBinary, etcDirectory } = await import('./files.js');
      const { install, nextSteps } = await import('./install.js');
      const binary = flags.bin ?? defaultBinary(process.argv[1] ?? '', process.env['PATH'] ?? '');
      const written = await install({ targets: chosen, root: flags.root, binary, etcDir: etcDirectory() });
      for (const path of written) io.stdout.write(`installed ${path}\n`);
      const steps = nextSteps(chosen, flags.root);
      if (steps.length > 0) io.stdout.write(`next:\n${steps.map((s) => `  ${s}\n`).join('')}`);
    });
  targetOptions(program.command('uninstall').description(SUBCOMMAND_SUMMARIES.uninstall)).action(async (flags: InstallFlags) => {
    const chosen = requireTargets(flags, 'uninstall', context);
    if (chosen === null) return;
    const { uninstall } = await import('./install.js');
    const removed = await uninstall(chosen, flags.root);
    for (const path of removed) io.stdout.write(`removed ${path}\n`);
    if (removed.length === 0) io.stdout.write('nothing to remove\n');
  });
}
