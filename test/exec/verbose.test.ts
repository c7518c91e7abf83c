// `-v` fidelity against logrotate: see verbose-diff.ts for what is compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { TreeSpec } from '../helpers/tree.js';
import { compareVerbose, file, hooks, logsDir } from './verbose-diff.js';

const DAY = 86_400;
const longAgo = Math.floor(Date.now() / 1000) - 30 * DAY;

const numbered: TreeSpec = {
  entries: [logsDir, file('logs/a.log', 'now\n'), file('logs/a.log.1', 'one\n'), file('logs/a.log.2.gz', gzipSync('two\n'))],
  config: `@ROOT@/logs/a.log {\n  rotate 3\n  compress\n  delaycompress\n  create 0640 root root\n${hooks('prerotate', 'postrotate', 'preremove')}}\n`,
};

test('-v: numbered rotation with compress, delaycompress, create and every per-log script', async () => {
  const run = await compareVerbose('numbered', numbered);
  // a.log.3.gz never existed: its shift is announced, then found missing.
  assert.ok(run.stderr.includes('old log @ROOT@/logs/a.log.3.gz does not exist'), run.stderr.join('\n'));
});

test('-d: the same steps announced in the same order, and nothing done', async () => {
  const run = await compareVerbose('numbered, -d', numbered, { args: ['-d', '-f'] });
  assert.ok(run.stderr.includes('renaming @ROOT@/logs/a.log to @ROOT@/logs/a.log.1'), run.stderr.join('\n'));
  assert.equal(run.entries['logs/a.log.1']?.type, 'file');
  assert.equal(run.entries['logs/a.log.2.gz']?.type, 'file');
});

test('-v: renamecopy with compress and olddir', async () => {
  await compareVerbose('renamecopy', {
    entries: [logsDir, { kind: 'dir', path: 'logs/old', mode: 0o755 }, file('logs/a.log', 'renamed\n')],
    config: `@ROOT@/logs/a.log {\n  rotate 1\n  renamecopy\n  compress\n  olddir old\n${hooks('postrotate')}}\n`,
  });
});

test('-v: dateext with expiry by count and mail of the expired', async () => {
  const dated = ['20200101', '20200102', '20200103'].map((d) => file(`logs/a.log-${d}.gz`, gzipSync(`${d}\n`), { mtime: longAgo }));
  await compareVerbose(
    'dateext',
    {
      entries: [logsDir, file('logs/a.log', 'today\n'), ...dated],
      config: `@ROOT@/logs/a.log {\n  daily\n  dateext\n  rotate 2\n  compress\n  mail ops@example.com\n${hooks('preremove')}}\n`,
      state: [{ path: '@ROOT@/logs/a.log', time: longAgo }],
    },
    { args: [] },
  );
});

test('-v: sharedscripts with a missing log under missingok', async () => {
  await compareVerbose('shared, missingok', {
    entries: [logsDir, file('logs/a.log', 'a\n'), file('logs/a.log.1', 'a1\n'), file('logs/b.log', 'b\n')],
    config: `@ROOT@/logs/a.log @ROOT@/logs/missing.log @ROOT@/logs/b.log {\n  missingok\n  sharedscripts\n  rotate 2\n${hooks('firstaction', 'prerotate', 'postrotate', 'lastaction')}}\n`,
  });
});

test('-v: rotate 0 disposes of the log it just rotated, through preremove', async () => {
  await compareVerbose('rotate 0', {
    entries: [logsDir, file('logs/a.log', 'gone\n'), file('logs/a.log.1', 'stale\n')],
    config: `@ROOT@/logs/a.log {\n  rotate 0\n${hooks('postrotate', 'preremove')}}\n`,
  });
});

test('-v: copytruncate with compress', async () => {
  await compareVerbose('copytruncate', {
    entries: [logsDir, file('logs/a.log', 'copied\n'.repeat(50), { mode: 0o640 }), file('logs/a.log.1.gz', gzipSync('older\n'))],
    config: `@ROOT@/logs/a.log {\n  rotate 2\n  copytruncate\n  compress\n${hooks('postrotate')}}\n`,
  });
});

test('-v: a failed shift stops that log right there; the next log still rotates', async () => {
  const run = await compareVerbose('failed shift', {
    entries: [
      logsDir,
      file('logs/a.log', 'a\n'),
      file('logs/a.log.1', 'a1\n'),
      // A directory where a.log.1 has to go next: rename(2) fails with EISDIR.
      { kind: 'dir', path: 'logs/a.log.2', mode: 0o755 },
      file('logs/b.log', 'b\n'),
    ],
    config: `@ROOT@/logs/a.log @ROOT@/logs/b.log {\n  rotate 1\n  create\n${hooks('postrotate')}}\n`,
  });
  assert.equal(run.exitCode, 1);
  // Nothing after the failed rename is announced for a.log.
  const failed = run.stderr.findIndex((l) => l.startsWith('error: error renaming @ROOT@/logs/a.log.1'));
  assert.equal(run.stderr[failed + 1], 'rotating log @ROOT@/logs/b.log, log->rotateCount is 1', run.stderr.join('\n'));
});

// Only indices that hold a file are planned one by one; the runs between them are described
// as logrotate walks them, index by index (shift.ts).
const longChain: TreeSpec = {
  entries: [logsDir, file('logs/a.log', 'now\n'), file('logs/a.log.1', 'one\n'), file('logs/a.log.7', 'seven\n'), file('logs/a.log.2999', 'top\n')],
  config: `@ROOT@/logs/a.log {\n  rotate 3000\n${hooks('preremove')}}\n`,
};

test('-v: rotate 3000 with three old logs: the lines of all 3000 indices, the three renames', async () => {
  const run = await compareVerbose('rotate 3000', longChain);
  assert.equal(run.stderr.filter((l) => l.startsWith('old log ')).length, 2997);
  assert.equal(run.entries['logs/a.log.3000']?.type, 'file');
});

test('-d: rotate 3000, one renaming line per index', async () => {
  const run = await compareVerbose('rotate 3000, -d', longChain, { args: ['-d', '-f'] });
  assert.equal(run.stderr.filter((l) => l.startsWith('renaming @ROOT@/logs/a.log.')).length, 3000);
});

test('-v: maxage over a long chain: each index without a file is stat-ed and reported, the expired one removed', async () => {
  await compareVerbose('maxage chain', {
    entries: [logsDir, file('logs/a.log', 'now\n'), file('logs/a.log.2', 'young\n'), file('logs/a.log.40', 'old\n', { mtime: longAgo })],
    config: `@ROOT@/logs/a.log {\n  rotate 50\n  maxage 10\n${hooks('preremove')}}\n`,
  });
});
