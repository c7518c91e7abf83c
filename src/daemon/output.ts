// Where long-running modes write: one line per action on stdout, problems on stderr,
// so a container runtime or journald can separate them without parsing.
import type { CliIo } from '../cli/io.js';
import type { Diagnostic } from '../config/model.js';
import type { Logger } from '../logger.js';
import type { RunResult } from '../run.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

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

/** Logs a run actually rotated (the planner's verdict, not just an attempt). */
export function rotatedLogs(result: RunResult): ReadonlySet<string> {
  return new Set(result.logs.filter((log) => log.verdict.kind === 'rotate' && log.error === undefined).map((log) => log.path));
}

/** Lines onto the CLI's streams. */
export function cliOutput(io: CliIo): Output {
  return {
    out: (line) => io.stdout.write(`${line}\n`),
    err: (line) => io.stderr.write(`${line}\n`),
  };
}

/** Each warning and error, in logrotate's `severity: F:L text` form. */
export function diagnosticLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity !== 'debug')
    .map((d) => `${d.severity}: ${d.location ? `${d.location.file}:${d.location.line} ` : ''}${d.text}`);
}
