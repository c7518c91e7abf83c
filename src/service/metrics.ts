// `--metrics-listen` for `daemon` and `watch`: every run is counted, and /metrics and
// /healthz answer from the last run's figures. A bad address or a port in use is
// reported once; the rotations go on without metrics.
import { parseListenAddress } from '../metrics/address.js';
import { healthOf } from '../metrics/families.js';
import { MetricsRecorder } from '../metrics/recorder.js';
import { serveMetrics } from '../metrics/server.js';
import type { Output } from '../cli/line-output.js';
import type { RunResult } from '../run/result.js';
import type { RunOptions } from '../run/run.js';

export type RunFunction = (options: RunOptions) => Promise<RunResult>;

export interface LiveMetrics {
  /** `run`, with each of its runs counted (thrown ones as failed runs). */
  metered(run: RunFunction): RunFunction;
  close(): Promise<void>;
}

export async function startLiveMetrics(listen: string, statePath: string, output: Output): Promise<LiveMetrics | null> {
  const address = parseListenAddress(listen);
  if (typeof address === 'string') {
    output.err(`error: ${address}; running without metrics`);
    return null;
  }
  const recorder = new MetricsRecorder(statePath);
  for (const problem of recorder.load()) output.err(`warning: ${problem}`);
  const endpoint = await serveMetrics(address, {
    exposition: () => recorder.exposition(),
    health: () => healthOf(recorder.snapshot().counters),
  });
  if (typeof endpoint === 'string') {
    output.err(`error: ${endpoint}; running without metrics`);
    return null;
  }
  output.out(`logrotor: serving metrics on ${endpoint.url}/metrics and ${endpoint.url}/healthz`);
  const record = (options: RunOptions, result: RunResult | undefined): void => {
    const run = { result, exitCode: result?.exitCode ?? 1, startedAt: options.now, finishedAt: new Date(), complete: options.onlyLogs === undefined };
    for (const problem of recorder.record(run)) output.err(`error: ${problem}`);
  };
  return {
    metered: (run) => async (options) => {
      let result: RunResult | undefined;
      try {
        result = await run(options);
        return result;
      } finally {
        record(options, result);
      }
    },
    close: () => endpoint.close(),
  };
}
