// Rendering of `logrotor journal`: a table for people, JSON lines for tools.
import { access } from 'node:fs/promises';
import type { CliIo } from '../cli/io.js';
import { auditRows, type AuditRow } from './audit.js';
import { readJournal } from './reader.js';
import { journalPath } from './records.js';

function line(row: AuditRow): string {
  const outcome = row.recovery ? `${row.outcome} (recovery)` : row.outcome;
  return `${row.at}  ${row.run}  ${row.log}  ${row.action}  ${outcome}`;
}

/** The subcommand's options as commander parses them. */
export interface JournalFlags {
  readonly state: string;
  readonly json: boolean;
  readonly limit: string;
}

export async function showJournal(flags: JournalFlags, io: CliIo): Promise<number> {
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 0) {
    io.stderr.write(`logrotor journal: --limit wants a whole number, not '${flags.limit}'\n`);
    return 2;
  }
  const path = journalPath(flags.state);
  try {
    await access(path);
  } catch {
    io.stderr.write(`logrotor journal: no journal at ${path} (nothing was rotated with this state file yet)\n`);
    return 1;
  }
  const rows = auditRows(await readJournal(path));
  for (const row of limit === 0 ? rows : rows.slice(-limit)) {
    io.stdout.write(`${flags.json ? JSON.stringify(row) : line(row)}\n`);
  }
  return 0;
}
