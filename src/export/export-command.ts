// The body of `logrotor export`, loaded only when that subcommand runs.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { CliIo } from '../cli/io.js';
import { cliOutput, diagnosticLines } from '../cli/line-output.js';
import { configSource } from '../config/source.js';
import { writeBundle } from './bundle.js';
import { managedFiles } from './managed-files.js';

/** The subcommand's options as commander parses them. */
export interface ExportFlags {
  readonly output: string;
  readonly since?: string;
  readonly verbose: boolean;
}

export async function exportCommand(configs: readonly string[], flags: ExportFlags, io: CliIo): Promise<number> {
  const output = cliOutput(io);
  const since = flags.since === undefined ? null : parseSince(flags.since);
  if (since === undefined) {
    output.err(`logrotor: bad --since date '${flags.since ?? ''}' (use YYYY-MM-DD or an ISO 8601 time)`);
    return 1;
  }
  const config = await configSource(flags.verbose ? (text) => output.out(text) : null)(configs);
  diagnosticLines(config.diagnostics).forEach((line) => output.err(line));
  const files = await managedFiles(config.sections, since);
  if (flags.verbose) files.forEach((file) => output.err(`adding ${file.path}`));
  // Logs can hold secrets: the bundle is readable by its owner only.
  const sink: Writable = flags.output === '-' ? process.stdout : createWriteStream(flags.output, { mode: 0o600 });
  const result = await writeBundle(files, sink);
  for (const skip of result.skipped) output.err(`warning: skipped ${skip.path}: ${skip.reason}`);
  if (flags.output !== '-') output.out(`wrote ${result.files} files (${result.bytes} bytes before compression) to ${flags.output}`);
  return config.failed || result.skipped.length > 0 ? 1 : 0;
}

/** null for no filter is the caller's; undefined means unparseable. */
function parseSince(text: string): Date | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
