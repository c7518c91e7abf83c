// `--json`: one object on stdout per run. The schema is documented in docs/cli.md;
// bump SCHEMA when a field changes meaning or disappears (adding fields is compatible).
import type { Diagnostic } from '../config/model.js';
import type { Plan } from '../plan/model.js';
import type { LogReport } from '../exec/log-report.js';
import type { RunResult } from '../run/result.js';
import type { LineSeverity } from './log-sinks.js';

const SCHEMA = 'logrotor.run/1';

export interface JsonMessage {
  readonly severity: LineSeverity;
  readonly text: string;
}

export interface JsonReport {
  readonly schema: typeof SCHEMA;
  readonly mode: 'debug' | 'rotate';
  readonly exitCode: number;
  readonly now: string;
  readonly logs: readonly LogReport[];
  readonly diagnostics: readonly Diagnostic[];
  /** Warnings and errors logged during the run, in order. */
  readonly messages: readonly JsonMessage[];
  /** Only with -d: the full plan the executor would carry out. */
  readonly plan?: Plan;
}

export function renderJsonReport(
  debug: boolean,
  now: Date,
  exitCode: number,
  result: RunResult | undefined,
  messages: readonly JsonMessage[],
): string {
  const report: JsonReport = {
    schema: SCHEMA,
    mode: debug ? 'debug' : 'rotate',
    exitCode,
    now: now.toISOString(),
    logs: result?.logs ?? [],
    diagnostics: result?.diagnostics ?? [],
    messages: messages.filter((m) => m.severity !== 'debug'),
    ...(debug && result?.plan !== undefined ? { plan: result.plan } : {}),
  };
  // Dates inside the plan serialize through Date#toJSON (ISO 8601, UTC).
  return `${JSON.stringify(report, null, 2)}\n`;
}
