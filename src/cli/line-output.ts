// Where line-oriented modes (daemon, watch, export) write: results on stdout, problems
// on stderr, so a container runtime or journald can separate them without parsing.
import type { Diagnostic } from '../config/model.js';
import type { CliIo } from './io.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
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
