import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
const ROWS = [
  'many-files',
  'many-files',
  'big-compress: 4.0 MiB log, gzip -6, wall time',
  'big-compress: 4.0 MiB log, gzip -6, peak RSS',
  'big-compress: 4.0 MiB log, gzip -6, .gz size',
  'big-config',
  'status',
  'purge',
  'startup',
  'copytruncate',
  'archive-many: 20 logs of 16 KiB',
  'archive-big: 4.0 MiB log',
  'daemon --watch: 50 logs, idle 0.5 s after 0.2 s, RSS',
  'daemon --watch: 50 logs, idle 0.5 s after 0.2 s, CPU',
  'daemon soak: 30 runs',
];
/** Rows of logrotor's long-running modes, which logrotate has not. */
const DAEMON_ROWS = /^\| daemon /;

// The archive rows start a Ceph cluster (10-15 s idle, more on a busy machine).
test('the quick bench runs both tools on every workload and writes the table', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-bench-test-'));
  try {
    const out = join(dir, 'table.md');
    const result = spawnSync(process.execPath, [BENCH], { env: { ...process.env, BENCH_QUICK: '1', BENCH_OUT: out }, encoding: 'utf8' });
    assert.equal(result.status, 0, `bench failed:\n${result.stdout}\n${result.stderr}`);
    const text = readFileSync(out, 'utf8');
    assert.equal(result.stdout, text, 'the table printed is the table written');
    assert.match(text, /^- Reference: logrotate \d+\.\d+/m);
    const rows = text.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Workload'));
    assert.equal(rows.length, ROWS.length, text);
    ROWS.forEach((name, i) => assert.ok(rows[i]?.startsWith(`| ${name}`), `row ${i} should be ${name}: ${rows[i]}`));
    for (const row of rows) {
      const [, , ours, theirs, ratio] = row.split('|').map((c) => c.trim());
      assert.match(ours ?? '', /^\d/, `logrotor measured in: ${row}`);
      if (DAEMON_ROWS.test(row)) {
        assert.equal(theirs, '– (no daemon mode)', row);
        continue;
      }
      // logrotate has no archive: those rows measure the SDK's own PUTs instead.
      assert.match(theirs ?? '', row.startsWith('| archive-') ? /^no archive; the SDK's PUTs alone: \d/ : /^\d/, `logrotate measured in: ${row}`);
      if (!row.startsWith('| copytruncate')) assert.match(ratio ?? '', /^\d+\.\d\d×$/, row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
