// What a subcommand module gets from the command line: the streams and the way to set
// the exit status. A leaf module, so subcommands and the registry never import each other.
import type { Command } from 'commander';
import type { CliIo } from './io.js';

export interface SubcommandContext {
  readonly io: CliIo;
  /** The process exit status once the action has finished. */
  setExitCode(code: number): void;
}

export type RegisterSubcommand = (program: Command, context: SubcommandContext) => void;
