// `su` against logrotate: files made and compressed by the su user keep restrictive
// modes and owners, and a log the su user cannot reach is an error already when it is
// looked at, as logrotate stats logs after switching ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { EntrySpec } from '../helpers/tree.js';
import { compareVerbose, file, hooks } from './verbose-diff.js';

const NOBODY = { uid: 65534, gid: 65534 };
const SU = '  su nobody nogroup\n';

test('su: create and compress as nobody keep a 0600 log private, old rotations shift', async () => {
  const run = await compareVerbose('su, restrictive modes', {
    entries: [
      { kind: 'dir', path: 'logs', mode: 0o755, ...NOBODY },
      file('logs/a.log', 'secret\n', { mode: 0o600, ...NOBODY }),
      file('logs/a.log.1.gz', gzipSync('older secret\n'), { mode: 0o600, ...NOBODY }),
      file('logs/b.log', 'other\n', { mode: 0o600, ...NOBODY }),
    ],
    config:
      `@ROOT@/logs/a.log {\n${SU}  rotate 2\n  create\n  compress\n${hooks('postrotate')}}\n` +
      `@ROOT@/logs/b.log {\n${SU}  rotate 1\n  create 0640 nobody nogroup\n  compress\n  delaycompress\n}\n`,
  });
  assert.equal(run.exitCode, 0);
  assert.deepEqual(
    Object.fromEntries(Object.entries(run.entries).map(([path, e]) => [path, e.type === 'file' ? `${e.mode} ${e.owner}` : e.type])),
    {
      logs: 'dir',
      'logs/a.log': '0600 65534:65534',
      'logs/a.log.1.gz': '0600 65534:65534',
      'logs/a.log.2.gz': '0600 65534:65534',
      'logs/b.log': '0640 65534:65534',
      'logs/b.log.1': '0600 65534:65534',
    },
  );
});

test('su: a directory the su user cannot write: the rename fails, nothing changes', async () => {
  const run = await compareVerbose('su, read-only dir', {
    entries: [{ kind: 'dir', path: 'logs', mode: 0o755 }, file('logs/a.log', 'root dir\n', { mode: 0o644, ...NOBODY })],
    config: `@ROOT@/logs/a.log {\n${SU}  rotate 1\n  create\n}\n`,
  });
  assert.equal(run.exitCode, 1);
  assert.equal(run.entries['logs/a.log']?.type, 'file');
});

const hidden: readonly EntrySpec[] = [
  // Only root may look inside: the su user cannot even stat the log.
  { kind: 'dir', path: 'logs', mode: 0o700 },
  file('logs/a.log', 'hidden\n'),
];

test('su: a log the su user cannot stat is an error when it is considered (missingok or not)', async () => {
  const run = await compareVerbose('su, unreachable log', {
    entries: hidden,
    config: `@ROOT@/logs/a.log {\n${SU}  missingok\n  rotate 1\n${hooks('firstaction', 'lastaction')}}\n`,
  });
  assert.equal(run.exitCode, 1);
  assert.ok(run.stderr.includes('error: stat of @ROOT@/logs/a.log failed: Permission denied'), run.stderr.join('\n'));
  // Nothing was due, so no script ran and the log got no new state time.
  assert.deepEqual(run.hooks, []);
});

test('su: the same under -d', async () => {
  const run = await compareVerbose('su, unreachable log, -d', {
    entries: hidden,
    config: `@ROOT@/logs/a.log {\n${SU}  rotate 1\n}\n`,
  }, { args: ['-d', '-f'] });
  assert.equal(run.exitCode, 1);
});

test('su: -v names every switch as logrotate does, its children\'s too (script, mail, uncompress, compressors, shred)', async () => {
  const run = await compareVerbose('su, children', {
    entries: [
      { kind: 'dir', path: 'logs', mode: 0o755, ...NOBODY },
      file('logs/a.log', 'a\n', NOBODY),
      file('logs/a.log.1.gz', gzipSync('a1\n'), NOBODY),
      file('logs/b.log', 'b\n', NOBODY),
      file('logs/b.log.1', 'b1\n', NOBODY),
    ],
    config:
      `@ROOT@/logs/a.log {\n${SU}  rotate 1\n  compress\n  shred\n  mail ops@example.invalid\n${hooks('postrotate', 'preremove')}}\n` +
      `@ROOT@/logs/b.log {\n${SU}  rotate 1\n  compress\n  compresscmd /usr/bin/xz\n  delaycompress\n}\n`,
  });
  assert.equal(run.exitCode, 0);
  const switches = run.stderr.filter((line) => line.startsWith('switching '));
  assert.deepEqual([...new Set(switches)], [
    'switching euid from 0 to 65534 and egid from 0 to 65534 (pid @PID@)',
    'switching euid from 65534 to 0 and egid from 65534 to 0 (pid @PID@)',
    'switching uid to 65534 and gid to 65534 permanently (pid @PID@)',
  ]);
  assert.equal(switches.length, 13, switches.join('\n'));
});
