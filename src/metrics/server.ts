// `/metrics` and `/healthz` over plain HTTP (node:http) for `daemon` and `watch`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { strerror } from '../strerror.js';
import { authority, type ListenAddress } from './address.js';
import { EXPOSITION_CONTENT_TYPE } from './exposition.js';

export interface Health {
  readonly ok: boolean;
  readonly text: string;
}

export interface MetricsSource {
  exposition(): string;
  health(): Health;
}

export interface MetricsEndpoint {
  /** Where it listens, with the port the system chose for port 0. */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on `address`; the endpoint, or the message saying why it cannot. */
export function serveMetrics(address: ListenAddress, source: MetricsSource): Promise<MetricsEndpoint | string> {
  const server = createServer((request, response) => answer(request, response, source));
  return new Promise((resolve) => {
    server.once('error', (err) => resolve(`cannot serve metrics on ${authority(address)}: ${strerror(err)}`));
    server.listen(address.port, address.host, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
      resolve({
        url: `http://${authority({ host: address.host, port })}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            // A scraper's keep-alive connection would hold close() open until it idles out.
            server.closeAllConnections();
          }),
      });
    });
  });
}

function answer(request: IncomingMessage, response: ServerResponse, source: MetricsSource): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    reply(response, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n', { Allow: 'GET, HEAD' });
    return;
  }
  switch (path) {
    case '/metrics':
      reply(response, 200, EXPOSITION_CONTENT_TYPE, source.exposition());
      return;
    case '/healthz': {
      const health = source.health();
      reply(response, health.ok ? 200 : 503, 'text/plain; charset=utf-8', `${health.text}\n`);
      return;
    }
    case '/':
      reply(response, 200, 'text/plain; charset=utf-8', 'logrotor: /metrics (Prometheus), /healthz\n');
      return;
    default:
      reply(response, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
  }
}

function reply(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
