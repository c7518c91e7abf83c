// A real Prometheus scrapes `logrotor daemon --metrics-listen` and promtool reads back
// what one succeeding and one failing rotation left; the counters survive a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readState } from '../../src/state/store.js';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { freePort, startProcess, waitUntilReady, type ServerProcess } from '../servers/process.js';
import { startPrometheus, type Prometheus, type Sample } from '../servers/prometheus.js';
import { scene, sizes } from './fixture.js';

const RULES = fileURLToPath(new URL('../../../etc/prometheus/logrotor-alerts.yml', import.meta.url));

/** The daemon's health text once a run has finished, else null. */
async function finishedRun(port: number): Promise<string | null> {
  const text = await (await fetch(`http://127.0.0.1:${port}/healthz`)).text();
  return text.includes('no run has finished yet') ? null : text;
}

const one = (value: number) => (samples: Sample[]) => samples.length === 1 && samples[0]?.value === value;
const label = (path: string): string => JSON.stringify(path);

test('Prometheus scrapes the daemon: one succeeding and one failing rotation, counters across a restart', { timeout: 180_000 }, async (t) => {
  const s = scene('lrprom-');
  const port = await freePort();
  const servers: ServerProcess[] = [];
  const daemon = (): ServerProcess => {
    const args = ['daemon', '--schedule', '0 0 1 1 *', '--metrics-listen', `127.0.0.1:${port}`, '-s', s.state, s.conf];
    const server = startProcess('logrotor daemon', process.execPath, [LOGROTOR_CLI, ...args], { logFile: join(s.base, 'daemon.log'), cwd: s.base });
    servers.push(server);
    return server;
  };
  let prometheus: Prometheus | undefined;
  try {
    const first = daemon();
    await waitUntilReady(first, async () => (await finishedRun(port)) !== null, 30_000);
    assert.match((await finishedRun(port)) ?? '', /^failing: last run, finished .*, failed\n$/);
    prometheus = await startPrometheus({ dir: join(s.base, 'prometheus'), targets: [`127.0.0.1:${port}`], ruleFiles: [RULES] });
    const p = prometheus;
    await p.until('logrotor_last_run_success', one(0));

    const value = async (expr: string): Promise<number | undefined> => {
      const samples = await p.query(expr);
      assert.equal(samples.length, 1, `${expr}: ${JSON.stringify(samples)}`);
      return samples[0]?.value;
    };
    assert.equal(await value('up{job="logrotor"}'), 1);
    assert.equal(await value('logrotor_runs_total{result="failure"}'), 1);
    assert.equal(await value('logrotor_runs_total{result="success"}'), 0);
    assert.equal(await value(`logrotor_log_rotations_total{log=${label(s.good)}}`), 1);
    assert.equal(await value(`logrotor_log_rotations_total{log=${label(s.bad)}}`), 0);
    assert.equal(await value(`logrotor_log_failures_total{log=${label(s.bad)}}`), 1);
    assert.equal(await value(`logrotor_log_failures_total{log=${label(s.good)}}`), 0);
    assert.equal(await value('logrotor_removed_files_total{reason="rotate"}'), 1);
    assert.equal(await value('logrotor_compressed_bytes_total'), sizes(`${s.good}.1.gz`));
    assert.equal(await value(`logrotor_log_rotated_bytes{log=${label(s.good)}}`), sizes(`${s.good}.1.gz`, `${s.good}.2.gz`));
    assert.equal(await value(`logrotor_log_rotated_files{log=${label(s.good)}}`), 2);
    assert.equal(await value(`logrotor_log_rotated_files{log=${label(s.bad)}}`), 1);
    assert.deepEqual(await p.query(`logrotor_log_size_bytes{log=${label(s.good)}}`), [], 'rotated without create: no live log');
    const stamp = readState(s.state).entries.get(s.good);
    assert.equal(await value(`logrotor_log_last_rotation_timestamp_seconds{log=${label(s.good)}}`), (stamp?.getTime() ?? 0) / 1000);
    assert.ok(((await value('logrotor_run_duration_seconds')) ?? 0) > 0);
    // The shipped rule sees the failed run.
    await p.until('ALERTS{alertname="LogrotorLastRunFailed",alertstate="firing"}', (samples) => samples.length === 1);

    await t.test('a failing rotation\'s removal before its failure is counted', async () => {
      assert.equal(await value('logrotor_removed_files_total{reason="maxage"}'), 1);
    });

    // Counters outlive the process: a second daemon counts on from the first one's figures.
    await first.stop();
    assert.equal((await first.exited).code, 0);
    writeFileSync(s.good, 'again\n');
    daemon();
    await p.until('logrotor_runs_total{result="failure"}', one(2));
    assert.equal(await value(`logrotor_log_rotations_total{log=${label(s.good)}}`), 2);
    assert.equal(await value(`logrotor_log_failures_total{log=${label(s.bad)}}`), 2);
    assert.equal(await value('logrotor_removed_files_total{reason="rotate"}'), 2);

    // What the daemon serves passes promtool's own check.
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const checked = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    assert.deepEqual({ status: checked.status, out: checked.stdout + checked.stderr }, { status: 0, out: '' });
  } finally {
    await prometheus?.stop();
    for (const server of servers) await server.stop();
    rmSync(s.base, { recursive: true, force: true });
  }
});
