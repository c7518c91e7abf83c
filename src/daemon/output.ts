// How a daemon run reports: one stdout line per action, problems on stderr, each once.
import { diagnosticLines, type Output } from '../cli/line-output.js';
import type { Logger } from '../logger.js';
import type { RunResult } from '../run/result.js';

/** A logger for one run that prints warnings and errors as they happen and remembers
 * them, so the report printed afterwards does not repeat them. */
export class RunLogger implements Logger {
  private readonly printed = new Set<string>();
  constructor(
    private readonly output: Output,
    private readonly verbose: boolean,
  ) {}
  debug(text: string): void {
    if (this.verbose) this.output.out(text);
  }
  warning(text: string): void {
    this.print(`warning: ${text}`);
  }
  error(text: string): void {
    this.print(`error: ${text}`);
  }
  /** Prints a line on stderr unless this run already printed it. */
  print(line: string): void {
    if (this.printed.has(line)) return;
    this.printed.add(line);
    this.output.err(line);
  }
}

/** One stdout line per action done, then every error the run did not already print. */
export function reportRun(result: RunResult, logger: RunLogger, output: Output): void {
  for (const line of diagnosticLines(result.diagnostics)) logger.print(line);
  for (const log of result.logs) {
    for (const action of log.actions) output.out(`${log.path}: ${action}`);
    if (log.error !== undefined) logger.print(`error: ${log.error}`);
  }
}
