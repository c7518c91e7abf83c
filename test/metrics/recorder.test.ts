// The metrics of real runs: what the run's effects counted, the facts
// it looks up afterwards, and the counters kept between runs.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MemoryLogger } from '../../src/logger.js';
import { MetricsRecorder, recordRunToFile } from '../../src/metrics/recorder.js';
import { outcomeOfRun } from '../../src/metrics/run-outcome.js';
import { liveWorkspace } from '../../src/run/live-workspace.js';
import { runRotation } from '../../src/run/run.js';
import { readState } from '../../src/state/store.js';
import { tempLogDir } from '../exec/helpers.js';

function tree(): { logs: string; conf: string; state: string } {
  const logs = tempLogDir();
  const root = join(logs, '..');
  writeFileSync(join(logs, 'a.log'), 'a'.repeat(4000));
  writeFileSync(join(logs, 'a.log.1.gz'), gzipSync('old one\n'));
  writeFileSync(join(logs, 'a.log.2.gz'), gzipSync('old two\n'));
  writeFileSync(join(logs, 'b.log'), 'b\n');
  writeFileSync(join(logs, 'c.log'), '');
  const conf = join(root, 'conf');
  writeFileSync(
    conf,
    `${logs}/a.log {\n  size 1\n  rotate 2\n  compress\n}\n` +
      `${logs}/b.log {\n  size 1\n  prerotate\n    exit 1\n  endscript\n}\n` +
      `${logs}/c.log {\n  size 1\n}\n`,
    { mode: 0o644 },
  );
  return { logs, conf, state: join(root, 'state') };
}

async function run(conf: string, state: string) {
  const startedAt = new Date();
  const result = await runRotation({ configPaths: [conf], statePath: state, workspace: liveWorkspace(), force: false, mailCommand: '/bin/false', lock: 'normal', logger: new MemoryLogger(), now: startedAt });
  return { result, exitCode: result.exitCode, startedAt, finishedAt: new Date(), complete: true };
}

test('one rotation that succeeds and one that fails, as the run\'s effects counted them', async () => {
  const { logs, conf, state } = tree();
  const finished = await run(conf, state);
  assert.equal(finished.exitCode, 1);
  const outcome = outcomeOfRun(finished);
  assert.deepEqual(outcome.logs, [
    { path: `${logs}/a.log`, result: 'rotated' },
    { path: `${logs}/b.log`, result: 'failed', error: `error running non-shared prerotate script for ${logs}/b.log of '${logs}/b.log': child did not exit with status 0` },
    { path: `${logs}/c.log`, result: 'skipped' },
  ]);
  assert.equal(outcome.success, false);
  assert.equal(outcome.complete, true);
  assert.equal(outcome.compressedBytes, statSync(`${logs}/a.log.1.gz`).size);
  // rotate 2: the old .2.gz moved up to .3.gz, beyond the count, and went.
  assert.deepEqual(outcome.removed, [{ path: `${logs}/a.log.3.gz`, reason: 'rotate' }]);
});

test('the recorder counts across runs (and processes) and looks at the logs afresh', async () => {
  const { logs, conf, state } = tree();
  const file = join(logs, '..', 'logrotor.prom');
  assert.deepEqual(recordRunToFile(file, state, await run(conf, state)), []);
  writeFileSync(join(logs, 'a.log'), 'again\n');
  const second = new MetricsRecorder(state);
  assert.deepEqual(second.record(await run(conf, state)), []);
  const snapshot = second.snapshot();
  assert.deepEqual(snapshot.counters.runs, { succeeded: 0, failed: 2 });
  assert.equal(snapshot.counters.logs.get(`${logs}/a.log`)?.rotations, 2);
  assert.equal(snapshot.counters.logs.get(`${logs}/b.log`)?.failures, 2);
  assert.deepEqual(snapshot.counters.removedFiles, { rotate: 2, maxage: 0, maxtotalsize: 0, minfree: 0 });
  const a = snapshot.logs.get(`${logs}/a.log`);
  assert.equal(a?.size, null, 'rotated without create: no live log');
  assert.deepEqual(a?.rotations, { count: 2, bytes: statSync(`${logs}/a.log.1.gz`).size + statSync(`${logs}/a.log.2.gz`).size });
  assert.deepEqual(a?.lastRotation, readState(state).entries.get(`${logs}/a.log`));
  assert.equal(snapshot.logs.get(`${logs}/b.log`)?.size, 2);
  assert.equal(snapshot.logs.get(`${logs}/c.log`)?.size, 0);
  const text = second.exposition();
  assert.match(text, new RegExp(`^logrotor_log_rotations_total\\{log="${logs}/a.log"\\} 2$`, 'm'));
  assert.match(text, new RegExp(`^logrotor_log_failures_total\\{log="${logs}/b.log"\\} 2$`, 'm'));
  assert.match(text, /^logrotor_last_run_success 0$/m);
  assert.match(text, /^logrotor_removed_files_total\{reason="rotate"\} 2$/m);
  // The first run's file: written once, with that run's figures.
  assert.match(readFileSync(file, 'utf8'), /^logrotor_runs_total\{result="failure"\} 1$/m);
});

test('a run whose configuration could not be read does not drop the logs it did not see', async () => {
  const { logs, conf, state } = tree();
  const recorder = new MetricsRecorder(state);
  assert.deepEqual(recorder.record(await run(conf, state)), []);
  const broken = await run(join(logs, '..', 'no-such.conf'), state);
  assert.equal(broken.exitCode, 1);
  assert.equal(outcomeOfRun(broken).complete, false);
  recorder.record(broken);
  const snapshot = recorder.snapshot();
  assert.equal(snapshot.counters.logs.get(`${logs}/a.log`)?.rotations, 1);
  assert.deepEqual([...snapshot.logs.keys()], [`${logs}/a.log`, `${logs}/b.log`, `${logs}/c.log`]);
  assert.deepEqual(snapshot.counters.runs, { succeeded: 0, failed: 2 });
});
