// Timing one command: wall time from this process, peak RSS from GNU time
// (`%M` is the largest RSS of the command and of every child it waited for,
// so logrotate's gzip children count just as logrotor's threads do).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export interface Sample {
  readonly ms: number;
  /** Peak RSS in KiB; null when GNU time is not installed. */
  readonly rssKiB: number | null;
}

export type Outcome = { readonly ok: true; readonly sample: Sample } | { readonly ok: false; readonly error: string };

/** Runs `argv` with stdout and stderr sent to files in `scratch` (a terminal or
 * pipe would time the reader too) and fails unless it exits 0. */
export function measure(argv: readonly string[], scratch: string): Outcome {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('empty command');
  const rssFile = join(scratch, 'rss');
  const errFile = join(scratch, 'stderr');
  const wrapped = existsSync(GNU_TIME) ? [GNU_TIME, '-f', '%M', '-o', rssFile, command, ...args] : [command, ...args];
  const out = openSync(join(scratch, 'stdout'), 'w');
  const err = openSync(errFile, 'w');
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(wrapped[0] ?? command, wrapped.slice(1), { stdio: ['ignore', out, err] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.error) return { ok: false, error: result.error.message };
    if (result.status !== 0) {
      const tail = readFileSync(errFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
      return { ok: false, error: `${command} exited ${result.status ?? result.signal}: ${tail}` };
    }
    const rssKiB = wrapped[0] === GNU_TIME ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : null;
    return { ok: true, sample: { ms, rssKiB } };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const high = sorted[middle];
  if (high === undefined) return Number.NaN;
  const low = sorted[middle - 1];
  return sorted.length % 2 === 1 || low === undefined ? high : (low + high) / 2;
}
