// promtool (Debian's `prometheus` package) judges what logrotor exposes and the alert
// rules it ships: the exposition passes `check metrics` (format and naming lint), the
// rules pass `check rules` and fire exactly when `test rules` expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderExposition } from '../../src/metrics/exposition.js';
import { metricFamilies } from '../../src/metrics/families.js';
import { foldRun } from '../../src/metrics/fold.js';
import { NO_COUNTERS } from '../../src/metrics/model.js';
import { makeTempBase } from '../helpers/tree.js';

const RULES = fileURLToPath(new URL('../../../etc/prometheus/logrotor-alerts.yml', import.meta.url));

function promtool(args: readonly string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync('/usr/bin/promtool', args, { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('promtool check metrics accepts every family, with awkward log paths and archive figures', () => {
  const counters = foldRun(NO_COUNTERS, {
    startedAt: new Date('2026-12-01T03:00:00Z'),
    finishedAt: new Date('2026-12-01T03:00:02Z'),
    success: false,
    complete: true,
    logs: [
      { path: '/var/log/a "quoted"\\dir/app.log', result: 'rotated' },
      { path: '/var/log/new\nline.log', result: 'failed', error: 'x' },
    ],
    compressedBytes: 10,
    removed: [{ path: '/var/log/x.1', reason: 'maxtotalsize' }],
    archive: { archivedFiles: 1, archivedBytes: 2, failedFiles: 0, failedBytes: 0, queuedFiles: 3, queuedBytes: 4 },
  });
  const facts = { size: 12, rotations: { count: 1, bytes: 5 }, lastRotation: new Date('2026-12-01T03:00:01Z') };
  const logs = new Map([...counters.logs.keys()].map((path) => [path, facts]));
  const text = renderExposition(metricFamilies({ counters, logs }));
  assert.match(text, /^logrotor_archive_queued_files 3$/m);
  assert.deepEqual(promtool(['check', 'metrics'], text), { status: 0, out: '' });
});

test('promtool check rules accepts the shipped alert rules', () => {
  assert.deepEqual(promtool(['check', 'rules', RULES]), { status: 0, out: `Checking ${RULES}\n  SUCCESS: 3 rules found\n\n` });
});

test('the alert rules fire after 26 h without a successful run, and when the last run failed', () => {
  const base = makeTempBase('lrrules-');
  try {
    const tests = join(base, 'tests.yml');
    // Host a: last success at time 0, the run at 24 h fails. Host b: never succeeded.
    writeFileSync(
      tests,
      `rule_files: [${JSON.stringify(RULES)}]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'logrotor_last_success_timestamp_seconds{instance="a",job="logrotor"}'
        values: '0x1800'
      - series: 'logrotor_last_run_success{instance="a",job="logrotor"}'
        values: '1x1439 0x400'
      - series: 'logrotor_runs_total{instance="b",job="logrotor",result="success"}'
        values: '0x1800'
    alert_rule_test:
      - eval_time: 25h59m
        alertname: LogrotorNoSuccessfulRotation
        exp_alerts: []
      - eval_time: 26h1m
        alertname: LogrotorNoSuccessfulRotation
        exp_alerts:
          - exp_labels: { instance: a, job: logrotor, severity: warning }
            exp_annotations:
              summary: No successful logrotor run on a in 26 hours
              description: The last successful run finished 1d 2h 1m 0s ago. \`logrotor status\` on the host shows which log fails and why.
      - eval_time: 23h59m
        alertname: LogrotorLastRunFailed
        exp_alerts: []
      - eval_time: 24h
        alertname: LogrotorLastRunFailed
        exp_alerts:
          - exp_labels: { instance: a, job: logrotor, severity: warning }
            exp_annotations:
              summary: The last logrotor run on a failed
              description: A log was not rotated, or a script, a step or the state file failed. \`logrotor status\` on the host shows which log and why.
      - eval_time: 25h
        alertname: LogrotorNeverSucceeded
        exp_alerts: []
      - eval_time: 27h
        alertname: LogrotorNeverSucceeded
        exp_alerts:
          - exp_labels: { instance: b, job: logrotor, result: success, severity: warning }
            exp_annotations:
              summary: No logrotor run on b has ever succeeded
              description: logrotor's metrics are there, but no run has succeeded for 26 hours. \`logrotor status\` on the host shows which log fails and why.
`,
    );
    const result = promtool(['test', 'rules', tests]);
    assert.equal(result.status, 0, result.out);
    assert.match(result.out, /SUCCESS/);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
