// A real Prometheus (Debian's `prometheus`) for tests: on 127.0.0.1 at a free port, its
// data in a temp dir, scraping the given targets every second; queried with promtool.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, waitUntilReady, type ServerProcess } from './process.js';

const run = promisify(execFile);

export interface PrometheusOptions {
  /** A private directory: config, data and log go here. */
  readonly dir: string;
  /** `host:port` to scrape (job `logrotor`), every second. */
  readonly targets: readonly string[];
  /** Rule files to load; evaluated every second. */
  readonly ruleFiles?: readonly string[];
}

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Prometheus {
  readonly url: string;
  readonly server: ServerProcess;
  /** An instant query through `promtool query instant`. */
  query(expr: string): Promise<Sample[]>;
  /** Polls `expr` until `done` accepts its samples; fails after `timeoutMs` with the last answer. */
  until(expr: string, done: (samples: Sample[]) => boolean, timeoutMs?: number): Promise<Sample[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  const port = await freePort();
  const config = join(options.dir, 'prometheus.yml');
  const data = join(options.dir, 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      ...(options.ruleFiles === undefined ? [] : ['rule_files:', ...options.ruleFiles.map((file) => `  - ${JSON.stringify(file)}`)]),
      'scrape_configs:',
      '  - job_name: logrotor',
      '    static_configs:',
      `      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  const server = startProcess(
    'prometheus',
    '/usr/bin/prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { logFile: join(options.dir, 'prometheus.log'), cwd: options.dir },
  );
  try {
    await waitUntilReady(server, async () => (await fetch(`${url}/-/ready`)).status === 200, 30_000, 200);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const query = async (expr: string): Promise<Sample[]> => {
    const { stdout } = await run('/usr/bin/promtool', ['query', 'instant', '-o', 'json', url, expr], { timeout: 15_000 });
    const answer = JSON.parse(stdout) as { metric: Record<string, string>; value: [number, string] }[];
    return answer.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
  };
  return {
    url,
    server,
    query,
    async until(expr, done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Sample[] = [];
      while (Date.now() < deadline) {
        last = await query(expr);
        if (done(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`prometheus: ${expr} did not reach the expected value in ${timeoutMs} ms; last answer ${JSON.stringify(last)}`);
    },
    stop: () => server.stop(),
  };
}
