// `logrotor status`: where every managed log stands. Reads the configuration (the
// directories `createolddir` would make are only pretended), the state file, the
// rotation journal and the metrics counters; takes no lock and writes nothing.
import { homedir } from 'node:os';
import type { CliIo } from '../cli/io.js';
import { renderLine } from '../cli/log-sinks.js';
import { loadConfig } from '../config/load.js';
import { readOnlyConfigFs } from '../config/read-only-fs.js';
import { LiveFsView, lstatThrough } from '../exec/fs-view.js';
import { readJournal } from '../journal/reader.js';
import { journalPath } from '../journal/records.js';
import { logFacts } from '../metrics/facts.js';
import { countersPath, readCounters } from '../metrics/store.js';
import { outlook } from '../plan/outlook.js';
import { NO_STATE_PATH, readState } from '../state/store.js';
import { histories } from './history.js';
import { renderJson, renderTable } from './render.js';
import { statusRow, type StatusRow } from './rows.js';

/** The exit status: 1 when the configuration or the state file has errors, or a log is
 * not healthy (a run now would fail for it, or its last attempt failed). */
/** The subcommand's options as commander parses them. */
export interface StatusFlags {
  readonly state: string;
  readonly json: boolean;
}

export async function showStatus(configs: readonly string[], flags: StatusFlags, io: CliIo, color: boolean): Promise<number> {
  const now = new Date();
  const isRoot = process.getuid?.() === 0;
  const problem = (severity: 'warning' | 'error', text: string): void => io.stderr.write(renderLine(severity, text));
  // Nothing changes while status looks, so the logs the config reader lstats (every
  // file-list match) are not looked at again when they are judged.
  const view = new LiveFsView();
  const config = await loadConfig(configs, {
    isRoot,
    home: process.env['HOME'] ?? homedir(),
    logger: { debug: () => {}, warning: (text) => problem('warning', text), error: (text) => problem('error', text) },
    fs: readOnlyConfigFs(lstatThrough(view)),
  });
  const noState = flags.state === NO_STATE_PATH;
  const stored = noState ? null : readState(flags.state);
  for (const d of stored?.diagnostics ?? []) if (d.severity !== 'debug') problem(d.severity, d.text);
  const state = stored?.entries ?? new Map<string, Date>();
  const counters = readCounters(countersPath(flags.state));
  if (!counters.ok) problem('warning', counters.error);
  const history = histories(noState ? [] : await readJournal(journalPath(flags.state)), counters.ok ? counters.counters.logs : new Map());

  const rows: StatusRow[] = [];
  for (const section of config.sections) {
    for (const path of section.files) {
      const seen = outlook(path, section.options, { state, fs: view, now, isRoot });
      rows.push(statusRow(section, seen, logFacts(path, section.options, view, state), history(path), now));
    }
  }
  io.stdout.write(flags.json ? renderJson(rows) : renderTable(rows, color));
  return config.failed || stored?.failed === true || rows.some((row) => !row.healthy) ? 1 : 0;
}
