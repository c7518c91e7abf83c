// Prometheus' text exposition format (version 0.0.4), which node_exporter's textfile
// collector reads too. Pure; families and samples come out in a fixed order, so two
// renderings of the same snapshot are byte-identical.

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: readonly Sample[];
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Families by name, each with its HELP and TYPE lines and its samples sorted by their
 * labels; families without samples are left out. */
export function renderExposition(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const family of [...families].sort((a, b) => compare(a.name, b.name))) {
    if (family.samples.length === 0) continue;
    out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    const lines = family.samples.map((sample) => ({ labels: labelText(sample.labels), value: numberText(sample.value) }));
    lines.sort((a, b) => compare(a.labels, b.labels));
    for (const line of lines) out.push(`${family.name}${line.labels} ${line.value}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort(compare);
  if (names.length === 0) return '';
  return `{${names.map((name) => `${name}="${escapeLabelValue(labels[name] ?? '')}"`).join(',')}}`;
}

/** In label values a backslash, a double quote and a line feed are escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** In HELP text only a backslash and a line feed are. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
