// Side-by-side runs: the contenders take turns (A B, then B A, …) so slow
// drifts of a shared machine (page cache, other load) hit both alike, and the
// workload is reset before every single run.
import { measure, median, type Sample } from './measure.js';
import type { Metrics, Workload } from './workloads.js';

export interface Contender {
  readonly name: string;
  argv(args: readonly string[]): string[];
}

export interface Runs {
  readonly samples: readonly Sample[];
  readonly metrics: readonly Metrics[];
  /** The first failure; the contender is not run again after it. */
  readonly error?: string;
}

export async function compare(workload: Workload, contenders: readonly Contender[], runs: number, scratch: string): Promise<Map<string, Runs>> {
  const results = new Map<string, { samples: Sample[]; metrics: Metrics[]; error?: string }>(
    contenders.map((c) => [c.name, { samples: [], metrics: [] }]),
  );
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const result = results.get(contender.name);
      if (result === undefined || result.error !== undefined) continue;
      await workload.reset();
      const outcome = measure(contender.argv(workload.args), scratch);
      // Always collected, even after a failure: for some workloads it also stops what reset started.
      const metrics = await Promise.resolve()
        .then(() => workload.metrics?.())
        .then(
        (value) => ({ ok: true as const, value }),
        (err: unknown) => ({ ok: false as const, error: `after the run: ${String(err)}` }),
      );
      if (!outcome.ok) {
        result.error = outcome.error;
        continue;
      }
      if (!metrics.ok) {
        result.error = metrics.error;
        continue;
      }
      result.samples.push(outcome.sample);
      if (metrics.value !== undefined) result.metrics.push(metrics.value);
    }
  }
  return results;
}

export function medianMs(runs: Runs): number {
  return median(runs.samples.map((s) => s.ms));
}

export function medianRssKiB(runs: Runs): number {
  return median(runs.samples.flatMap((s) => (s.rssKiB === null ? [] : [s.rssKiB])));
}

export function medianMetric(runs: Runs, name: string): number {
  return median(runs.metrics.flatMap((m) => (m[name] === undefined ? [] : [m[name]])));
}
