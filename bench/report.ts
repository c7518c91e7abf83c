// The results table (markdown) and the description of the machine it was measured on.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release } from 'node:os';

export interface Row {
  readonly workload: string;
  readonly logrotor: string;
  readonly logrotate: string;
  readonly ratio: string;
  readonly target: string;
  /** null: informational row, or a side failed so nothing can be judged. */
  readonly met: boolean | null;
}

export function machine(logrotate: string): string[] {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const version = spawnSync(logrotate, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? 'unknown';
  return [
    `- CPU: ${cpu}, ${availableParallelism()} cores`,
    `- Kernel: Linux ${release()}`,
    `- Node.js: ${process.version}`,
    `- Reference: ${version} (${logrotate})`,
  ];
}

export function loadLine(label: string): string {
  return `- Load average ${label}: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;
}

export function table(rows: readonly Row[]): string {
  const lines = ['| Workload | logrotor | logrotate | Ratio | Target | Met |', '|---|---:|---:|---:|---|---|'];
  for (const r of rows) lines.push(`| ${r.workload} | ${r.logrotor} | ${r.logrotate} | ${r.ratio} | ${r.target} | ${r.met === null ? '–' : r.met ? 'yes' : 'no'} |`);
  return lines.join('\n');
}

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}
