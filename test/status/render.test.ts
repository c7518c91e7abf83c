process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson, renderTable } from '../../src/status/render.js';
import type { StatusRow } from '../../src/status/rows.js';

const base: StatusRow = {
  log: '/var/log/app/a.log',
  pattern: '/var/log/app/*.log',
  config: { file: 'app.conf', line: 1 },
  size: 7_549_747,
  lastRotation: new Date('2026-12-02T07:00:00Z'),
  next: { text: 'size 10M: 7.2M now', timeRuleMetAt: null },
  verdict: { kind: 'not-due', reasons: ['too-small'], text: 'not due: size 7.2M < 10M' },
  rotations: { count: 4, bytes: 31 * 1024 * 1024 },
  lastFailure: null,
  failsNow: false,
  healthy: true,
};

const failing: StatusRow = {
  ...base,
  log: '/var/log/app/bb.log',
  size: null,
  lastRotation: null,
  next: { text: 'daily: next after 2026-12-03 00:00', timeRuleMetAt: new Date('2026-12-03T00:00:00Z') },
  verdict: { kind: 'missing', path: '/var/log/app/bb.log', missingOk: false, text: 'missing (no missingok)' },
  rotations: { count: 0, bytes: 0 },
  lastFailure: { at: new Date('2026-12-01T03:12:00Z'), what: 'compress /var/log/app/bb.log.1 -> /var/log/app/bb.log.1.gz: failed', source: 'journal', lastAttempt: true },
  failsNow: true,
  healthy: false,
};

test('an aligned table: every column starts where its header does', () => {
  assert.equal(
    renderTable([base, failing], false),
    [
      'LOG                  SIZE  LAST ROTATION     NEXT ROTATION                       NOW                       ROTATIONS  LAST FAILURE',
      '/var/log/app/a.log   7.2M  2026-12-02 07:00  size 10M: 7.2M now                  not due: size 7.2M < 10M  4, 31M     -',
      '/var/log/app/bb.log  -     never             daily: next after 2026-12-03 00:00  missing (no missingok)    0          2026-12-01 03:12 compress /var/log/app/bb.log.1 -> /var/log/app/bb.log.1.gz: failed',
      '',
    ].join('\n'),
  );
});

test('with color: bold headers, the verdict by severity, a last attempt that failed in red', () => {
  const table = renderTable([base, failing], true);
  const lines = table.split('\n');
  assert.match(lines[0] ?? '', /^\x1b\[1mLOG {16}\x1b\[0m {2}\x1b\[1mSIZE\x1b\[0m/);
  assert.ok(lines[1]?.includes('\x1b[32mnot due: size 7.2M < 10M\x1b[0m'), lines[1]);
  assert.ok(lines[2]?.includes('\x1b[31mmissing (no missingok)  \x1b[0m'), lines[2]);
  assert.ok(lines[2]?.endsWith('\x1b[31m2026-12-01 03:12 compress /var/log/app/bb.log.1 -> /var/log/app/bb.log.1.gz: failed\x1b[0m'), lines[2]);
  // Without the escapes it is the plain table.
  assert.equal(table.replace(/\x1b\[\d+m/g, ''), renderTable([base, failing], false));
  const due = renderTable([{ ...base, verdict: { kind: 'due', why: 'size', text: 'due: size 12M > 10M' } }], true);
  assert.ok(due.includes('\x1b[33mdue: size 12M > 10M\x1b[0m'), due);
});

test('JSON: one array, dates in ISO 8601, sizes in bytes', () => {
  const parsed = JSON.parse(renderJson([base, failing])) as Record<string, unknown>[];
  assert.equal(parsed.length, 2);
  assert.deepEqual(parsed[1], {
    log: '/var/log/app/bb.log',
    pattern: '/var/log/app/*.log',
    config: { file: 'app.conf', line: 1 },
    size: null,
    lastRotation: null,
    next: { text: 'daily: next after 2026-12-03 00:00', timeRuleMetAt: '2026-12-03T00:00:00.000Z' },
    verdict: { kind: 'missing', path: '/var/log/app/bb.log', missingOk: false, text: 'missing (no missingok)' },
    rotations: { count: 0, bytes: 0 },
    lastFailure: { at: '2026-12-01T03:12:00.000Z', what: 'compress /var/log/app/bb.log.1 -> /var/log/app/bb.log.1.gz: failed', source: 'journal', lastAttempt: true },
    failsNow: true,
    healthy: false,
  });
  assert.equal(renderJson([]), '[]\n');
});
