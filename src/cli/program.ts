// The command line: logrotate's options (popt semantics) plus our subcommands.
// `main` returns the exit status; only the bin (main.ts) ends the process.
import { Command, CommanderError, type Option } from 'commander';
import { BUILD_DEFAULTS } from '../config/defaults.js';
import type { CliIo } from './io.js';
import { rotateCommand, type RotateDeps, type RotateFlags } from './rotate-command.js';
import type { RegisterSubcommand } from './subcommand.js';
import { SUBCOMMANDS } from './subcommands.js';
import { renderLine } from './log-sinks.js';
import { DEBUG_MODE_WARNING, PROGRAM, earlyText } from './texts.js';

/** Thrown from an option listener: popt acts on --version/--help/--usage the moment it
 * sees them, so `--version --bogus` succeeds while `--bogus --version` fails. */
class EarlyExit extends Error {
  constructor(
    readonly option: Option,
    readonly text: string,
  ) {
    super(option.name());
  }
}

/** What tests may put in place of the real thing. */
export interface CliDeps extends RotateDeps {
  readonly subcommands?: readonly RegisterSubcommand[];
}

export async function main(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const { subcommands = SUBCOMMANDS, ...rotateDeps } = deps;
  let exitCode = 0;
  const program = new Command(PROGRAM)
    .helpOption(false)
    .helpCommand(false)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => {} })
    .option('-d, --debug')
    .option('-f, --force')
    .option('-v, --verbose')
    .option('-s, --state <statefile>', '', BUILD_DEFAULTS.statePath)
    .option('-m, --mail <command>', '', BUILD_DEFAULTS.mailCommand)
    .option('-l, --log <logfile>')
    .option('--skip-state-lock')
    .option('--wait-for-state-lock')
    .option('--json')
    .option('--metrics-file <path>')
    .option('--version')
    .option('-?, --help')
    .option('--usage')
    .argument('[configs...]')
    .action(async (configs: string[], options: Record<string, unknown>) => {
      exitCode = await rotateCommand(configs, rotateFlags(options), io, rotateDeps);
    });
  for (const option of program.options) {
    const text = earlyText(option.long);
    if (text !== undefined) {
      program.on(`option:${option.name()}`, () => {
        throw new EarlyExit(option, text);
      });
    }
  }
  // popt prints this while still parsing, so it comes before any argument error.
  program.on('option:debug', () => io.stderr.write(renderLine('warning', DEBUG_MODE_WARNING) + '\n'));
  const context = { io, setExitCode: (code: number) => void (exitCode = code) };
  for (const register of subcommands) register(program, context);
  // Subcommands are ours, not logrotate's: they keep commander's own help and messages
  // instead of popt's emulation above.
  let inSubcommand = false;
  program.hook('preSubcommand', () => {
    inSubcommand = true;
  });
  for (const command of program.commands) {
    command
      .helpOption('-h, --help', 'display help for command')
      .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  }

  try {
    await program.parseAsync(normalizeShortValues(argv), { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof EarlyExit) {
      const bad = unknownOptionBefore(program, argv, error.option);
      if (bad === undefined) {
        io.stdout.write(error.text);
        return 0;
      }
      io.stderr.write(`${PROGRAM}: bad argument ${bad}: unknown error\n`);
      return 2;
    }
    if (error instanceof CommanderError && inSubcommand) {
      // commander has already printed the help or the message.
      return error.code === 'commander.helpDisplayed' ? 0 : error.exitCode;
    }
    if (error instanceof CommanderError) {
      io.stderr.write(`${PROGRAM}: bad argument ${badArgument(error, argv)}: unknown error\n`);
      return 2;
    }
    throw error;
  }
}

function rotateFlags(options: Record<string, unknown>): RotateFlags {
  const text = (key: string): string | undefined => {
    const value = options[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    debug: options['debug'] === true,
    force: options['force'] === true,
    verbose: options['verbose'] === true,
    state: text('state') ?? BUILD_DEFAULTS.statePath,
    mail: text('mail') ?? BUILD_DEFAULTS.mailCommand,
    log: text('log'),
    skipStateLock: options['skipStateLock'] === true,
    waitForStateLock: options['waitForStateLock'] === true,
    json: options['json'] === true,
    metricsFile: text('metricsFile'),
  };
}

/** popt accepts `-s=FILE` as well as `-sFILE`; commander would keep the `=`. */
function normalizeShortValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') {
      out.push(...argv.slice(index));
      break;
    }
    const match = /^-([sml])=(.*)$/s.exec(arg);
    if (match?.[1] !== undefined && match[2] !== undefined) out.push(`-${match[1]}`, match[2]);
    else out.push(arg);
  }
  return out;
}

/** The argument as the user typed it, which is what popt names in its message. */
function badArgument(error: CommanderError, argv: readonly string[]): string {
  // A missing value can only happen at the end of the command line.
  if (error.code === 'commander.optionMissingArgument') return argv[argv.length - 1] ?? '';
  return /'([^']*)'/.exec(error.message)?.[1] ?? argv[0] ?? '';
}

/** The first unknown option typed before `stop` (commander would act on `stop` anyway). */
function unknownOptionBefore(program: Command, argv: readonly string[], stop: Option): string | undefined {
  const find = (flag: string): Option | undefined => program.options.find((o) => o.long === flag || o.short === flag);
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--' || arg === stop.long || arg === stop.short) return undefined;
    if (arg.length < 2 || !arg.startsWith('-')) continue;
    const flag = arg.startsWith('--') ? (arg.split('=')[0] ?? arg) : arg.slice(0, 2);
    const option = find(flag);
    if (option === undefined) return arg;
    if (option.required && arg === flag) index++; // its value, whatever it looks like
  }
  return undefined;
}
