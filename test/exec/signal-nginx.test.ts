// `signal USR1 PIDFILE` against a real nginx under load: while many concurrent requests
// run, logrotor rotates nginx's access log several times (rename, create, then the signal
// instead of a postrotate shell script; compress with delaycompress). Afterwards every
// request's line must be in the live log or one of the rotated files exactly once, and
// every rotation must hold lines (the rotations really happened under load).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { get, NGINX, startNginx } from '../servers/nginx.js';

const ROTATIONS = 6;
const CONCURRENCY = 64;

function logrotor(args: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LOGROTOR_CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('close', (status) => resolve({ status, stderr }));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('signal USR1 with a pid file: nginx reopens its log after each rotation under load, and no request line is lost or doubled', { skip: !existsSync(NGINX) && `${NGINX} is not installed`, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-nginx-'));
  const nginx = await startNginx(dir).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  try {
    const conf = join(dir, 'rotor.conf');
    const state = join(dir, 'state');
    writeFileSync(
      conf,
      `${nginx.accessLog} {\n  rotate 100\n  create 0644 root root\n  compress\n  delaycompress\n  signal USR1 ${nginx.pidFile}\n}\n`,
      { mode: 0o644 },
    );

    // The load: CONCURRENCY clients, each sending its own numbered requests back to back.
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let next = 0;
    let loading = true;
    const answered: number[] = [];
    const failures: string[] = [];
    const client = async (): Promise<void> => {
      while (loading) {
        const n = next++;
        const status = await get(nginx.port, `/r/${n}`, agent).catch((err: unknown) => `error ${String(err)}`);
        if (status === 200) answered.push(n);
        else failures.push(`/r/${n}: ${String(status)}`);
      }
    };
    const clients = Array.from({ length: CONCURRENCY }, client);

    const runs: { status: number | null; stderr: string }[] = [];
    for (let i = 0; i < ROTATIONS; i++) {
      await sleep(300);
      runs.push(await logrotor(['-f', '-s', state, conf]));
    }
    await sleep(300);
    loading = false;
    await Promise.all(clients);
    agent.destroy();
    await nginx.stop();

    assert.deepEqual(runs.filter((r) => r.status !== 0 || r.stderr !== ''), [], 'every rotation went through without a message');
    assert.deepEqual(failures, []);
    // nginx reopened each time (a worker that cannot reopen says so, and keeps writing into
    // the rotated file, whose lines delaycompress then compresses away from it).
    const errorLog = readFileSync(join(nginx.prefix, 'logs', 'error.log'), 'utf8');
    assert.equal(errorLog.split('\n').filter((line) => line.includes('received from') && line.includes('SIGUSR1')).length, ROTATIONS);
    assert.deepEqual(errorLog.split('\n').filter((line) => /\[(emerg|alert|crit)\]/.test(line)), []);
    const files = readdirSync(join(nginx.prefix, 'logs')).filter((name) => name.startsWith('access.log')).sort();
    const lines = new Map<string, number>();
    const perFile = new Map<string, number>();
    for (const name of files) {
      const raw = readFileSync(join(nginx.prefix, 'logs', name));
      const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      const requests = text.split('\n').filter((line) => line.startsWith('/r/'));
      perFile.set(name, requests.length);
      for (const line of requests) lines.set(line, (lines.get(line) ?? 0) + 1);
    }
    // The live log and one rotation per run: .1 plain (delaycompress), the older ones compressed.
    assert.deepEqual(files, ['access.log', 'access.log.1', ...Array.from({ length: ROTATIONS - 1 }, (_, i) => `access.log.${i + 2}.gz`)].sort());
    for (const [name, count] of perFile) assert.ok(name === 'access.log' || count > 0, `${name} holds no request: the rotations were not under load (${JSON.stringify([...perFile])})`);
    assert.ok(answered.length > 1000, `only ${answered.length} requests in the load`);
    const missing = answered.filter((n) => lines.get(`/r/${n}`) !== 1);
    assert.deepEqual(missing.map((n) => `/r/${n} x${lines.get(`/r/${n}`) ?? 0}`), [], 'each answered request logged exactly once');
    assert.equal(lines.size, answered.length, 'no line for a request that was not answered');
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
