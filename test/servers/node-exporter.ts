// A real node_exporter (Debian's `prometheus-node-exporter`) for tests: only its textfile
// collector, over the given directory, on 127.0.0.1 at a free port.
import { join } from 'node:path';
import { freePort, startProcess, waitUntilReady, type ServerProcess } from './process.js';

export interface NodeExporter {
  readonly url: string;
  readonly server: ServerProcess;
  /** GET /metrics. */
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

export async function startNodeExporter(options: { readonly dir: string; readonly textfileDir: string }): Promise<NodeExporter> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startProcess(
    'node_exporter',
    '/usr/bin/prometheus-node-exporter',
    [
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${options.textfileDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { logFile: join(options.dir, 'node-exporter.log'), cwd: options.dir },
  );
  const scrape = async (): Promise<string> => {
    const response = await fetch(`${url}/metrics`);
    if (response.status !== 200) throw new Error(`node_exporter answered ${response.status}`);
    return response.text();
  };
  try {
    await waitUntilReady(server, async () => (await fetch(`${url}/metrics`)).status === 200, 20_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, server, scrape, stop: () => server.stop() };
}
