import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { serveMetrics, type Health, type MetricsEndpoint } from '../../src/metrics/server.js';
import { freePort } from '../servers/process.js';

interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

function fetchText(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function started(health: () => Health): Promise<MetricsEndpoint> {
  const endpoint = await serveMetrics({ host: '127.0.0.1', port: 0 }, { exposition: () => 'x_total 1\n', health });
  assert.notEqual(typeof endpoint, 'string', String(endpoint));
  return endpoint as MetricsEndpoint;
}

test('/metrics in the exposition format, /healthz by the last run, nothing else', async () => {
  let health: Health = { ok: true, text: 'ok: no run has finished yet' };
  const endpoint = await started(() => health);
  try {
    assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await fetchText(`${endpoint.url}/metrics`), { status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: 'x_total 1\n' });
    assert.deepEqual(await fetchText(`${endpoint.url}/healthz`), { status: 200, type: 'text/plain; charset=utf-8', body: 'ok: no run has finished yet\n' });
    health = { ok: false, text: 'failing: last run failed' };
    assert.equal((await fetchText(`${endpoint.url}/healthz`)).status, 503);
    assert.equal((await fetchText(`${endpoint.url}/metrics`, 'HEAD')).body, '');
    assert.equal((await fetchText(`${endpoint.url}/other`)).status, 404);
    assert.equal((await fetchText(`${endpoint.url}/metrics`, 'POST')).status, 405);
  } finally {
    await endpoint.close();
  }
});

test('a port in use is one clear message', async () => {
  const first = await started(() => ({ ok: true, text: 'ok' }));
  try {
    const port = Number(new URL(first.url).port);
    const second = await serveMetrics({ host: '127.0.0.1', port }, { exposition: () => '', health: () => ({ ok: true, text: 'ok' }) });
    assert.equal(second, `cannot serve metrics on 127.0.0.1:${port}: Address already in use`);
  } finally {
    await first.close();
  }
  const port = await freePort();
  assert.equal(
    await serveMetrics({ host: '192.0.2.1', port }, { exposition: () => '', health: () => ({ ok: true, text: 'ok' }) }),
    `cannot serve metrics on 192.0.2.1:${port}: Cannot assign requested address`,
  );
});
