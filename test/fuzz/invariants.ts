// What must hold after any fuzzed run of logrotor, whatever the config said. Each check
// returns the violations it found, worded for the report; an empty list is a pass.
import { parseState } from '../../src/state/format.js';
import type { PlanJson } from './allowed-loss.js';
import type { Expectation } from './allowed-loss.js';
import { ledgerLine } from './case-generator.js';

export const GOOD_STATUSES: ReadonlySet<number> = new Set([0, 1, 3]);

const STACK_TRACE = /^\s+at \S|^\w*Error: |node:internal|Uncaught|ERR_[A-Z_]+/m;

/** Lines that hook scripts, compressors and other children print on the shared stderr
 * (dash names a failing command after $0, which is `logrotate_script`). */
const CHILD_OUTPUT = /^(logrotate_script|sh|shred|gzip|xz|zstd|bzip2|su|bash|compressor): |^Try '/;

export function crashes(name: string, stderr: string, status: number | null): string[] {
  const problems: string[] = [];
  if (status === null || !GOOD_STATUSES.has(status)) problems.push(`${name}: exit status ${status} (expected 0, 1 or 3)`);
  const trace = STACK_TRACE.exec(stderr);
  if (trace !== null) problems.push(`${name}: stack trace or uncaught error on stderr: ${JSON.stringify(trace[0])} in ${JSON.stringify(stderr.slice(0, 600))}`);
  return problems;
}

/** Every message is one line with its prefix. Allowed without a prefix: children's
 * output, the lines a compressor wrote after logrotate's header for it, and what
 * logrotate itself prints verbatim across lines: file lists that span lines, the rest
 * of the file that some messages echo, and names with a newline in them.
 * `configLines` holds the config files' lines and the pieces of such names. */
export function unprefixedLines(stderr: string, configLines: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  let compressorOutput = false;
  for (const line of stderr.split('\n')) {
    if (line === '') continue;
    if (/^(error|warning): /.test(line)) {
      compressorOutput = line.includes('Compressing program wrote following message');
      continue;
    }
    if (compressorOutput || CHILD_OUTPUT.test(line) || echoesConfig(line.trim(), configLines)) continue;
    problems.push(`message line without error:/warning: prefix: ${JSON.stringify(line)}`);
  }
  return problems;
}

/** Multi-line file lists are printed as written (`found error in PATTERN, skipping`),
 * and some messages echo the rest of the file. */
function echoesConfig(line: string, configLines: ReadonlySet<string>): boolean {
  for (const config of configLines) {
    const words = config.replace(/\s*\{$/, '');
    if (words.length >= 3 && line.startsWith(words)) return true;
  }
  return false;
}

/** The --json object ends stdout (scripts may print before it); it starts at a line
 * that is a lone `{`. */
export function jsonReport(name: string, stdout: string, status: number | null): { report: Record<string, unknown> | null; problems: string[] } {
  const start = stdout.startsWith('{\n') ? 0 : stdout.lastIndexOf('\n{\n') + 1;
  if (start === 0 && !stdout.startsWith('{')) return { report: null, problems: [`${name}: no --json object on stdout`] };
  try {
    const report = JSON.parse(stdout.slice(start)) as Record<string, unknown>;
    const problems = report['exitCode'] === status ? [] : [`${name}: --json says exitCode ${String(report['exitCode'])}, the process exited ${status}`];
    return { report, problems };
  } catch (error) {
    return { report: null, problems: [`${name}: --json output is not JSON: ${String(error)}`] };
  }
}

export function triedOutside(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /Read-only file system|EROFS/.test(line))
    .map((line) => `wrote (or tried to) outside the case, which the config never named: ${line}`);
}

/** No ledger line lost unless the plan removed it, none duplicated beyond the plan's copies. */
export function ledgerLosses(caseIndex: number, ledger: readonly (readonly string[])[], expectation: Expectation, counts: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  ledger.forEach((lines, file) => {
    const max = expectation.maxCopies.get(file);
    if (max === undefined) return; // not a file before the run (e.g. behind a symlink only)
    const min = expectation.mayVanish.has(file) ? 0 : 1;
    for (let line = 0; line < lines.length; line++) {
      const count = counts.get(ledgerLine(caseIndex, file, line)) ?? 0;
      if (count < min) problems.push(`data lost: file-${file} line-${line} is gone though the plan kept it (${lines.length} lines in that file)`);
      else if (count > max) problems.push(`data duplicated: file-${file} line-${line} is in ${count} files, the plan allows ${max}`);
      if (count < min || count > max) break; // one line per file says enough
    }
  });
  return problems;
}

/** The state file logrotor wrote reads back cleanly and names only paths of the case. */
export function stateProblems(text: string, statePath: string, caseDir: string): string[] {
  const parsed = parseState(text, statePath);
  const problems = parsed.diagnostics.filter((d) => d.severity !== 'debug').map((d) => `state file does not read back: ${d.text}`);
  for (const path of parsed.entries.keys()) {
    const inside = path.startsWith(`${caseDir}/`) || (!path.startsWith('/') && !path.split('/').includes('..'));
    if (!inside) problems.push(`state file names a path outside the case: ${JSON.stringify(path)}`);
  }
  return problems;
}

/** Plan and run read the clock separately; across a boundary their decisions may differ
 * (an hourly log or a dated name across the hour, `minutes N` across its minute), and the
 * plan no longer describes the run: the same hour, and every log's verdict the same. */
export function planDescribesRun(plan: PlanJson, planReport: Record<string, unknown> | null, runReport: Record<string, unknown> | null): boolean {
  const runNow = runReport?.['now'];
  if (typeof runNow !== 'string') return false;
  const a = new Date(plan.now);
  const b = new Date(runNow);
  if (a.toDateString() !== b.toDateString() || a.getHours() !== b.getHours()) return false;
  const verdicts = (report: Record<string, unknown> | null): string =>
    JSON.stringify(((report?.['logs'] ?? []) as { path: string; verdict: unknown }[]).map((log) => [log.path, log.verdict]));
  return verdicts(planReport) === verdicts(runReport);
}
