// The differential harness checked against logrotate itself: identical runs must compare
// equal, different runs must not, and the 3.21 normalizations must do exactly their job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LOGROTATE, type Binary } from '../helpers/binaries.js';
import { describeDifferences, runPair } from '../helpers/differential.js';
import { normalizeVersionDifferences } from '../helpers/normalize.js';
import { snapshotRun, type RunSnapshot } from '../helpers/snapshot.js';
import { CONFIG_NAME, hookScript, makeTempBase, materialize, type TreeSpec } from '../helpers/tree.js';

const DAY = 86_400;
const old = Math.floor(Date.now() / 1000) - 10 * DAY;

const richSpec: TreeSpec = {
  entries: [
    { kind: 'dir', path: 'logs', mode: 0o755 },
    { kind: 'file', path: 'logs/a.log', content: 'alpha\n', mode: 0o640, mtime: old },
    { kind: 'file', path: 'logs/a.log.1.gz', content: gzipSync('older\n'), mtime: old - DAY },
    { kind: 'file', path: 'logs/b.log', content: 'beta\n'.repeat(300), mode: 0o600 },
    { kind: 'file', path: 'logs/empty.log', content: '' },
    { kind: 'symlink', path: 'logs/link.log', target: '@ROOT@/logs/b.log' },
  ],
  state: [
    { path: '@ROOT@/logs/a.log', time: old },
    { path: '@ROOT@/logs/b.log', time: old },
    { path: '@ROOT@/logs/empty.log', time: old },
  ],
  config: `
compress
/@ROOT@/logs/a.log /@ROOT@/logs/b.log {
  daily
  rotate 3
  create 0644 root root
  sharedscripts
  postrotate${hookScript('postrotate')}  endscript
}
@ROOT@/logs/empty.log @ROOT@/logs/link.log {
  daily
  notifempty
  missingok
  olddir old
  createolddir
}
`.replaceAll('/@ROOT@', '@ROOT@'),
};

test('logrotate against itself: a rich spec compares equal', async () => {
  const pair = await runPair(richSpec, { right: LOGROTATE });
  assert.deepEqual(pair.differences, [], describeDifferences('self-test', pair, LOGROTATE, LOGROTATE));
  // The run really did something, so the equality above is not vacuous.
  assert.equal(pair.left.entries['logs/a.log.2.gz']?.type, 'file');
  assert.deepEqual(pair.left.hooks, ['postrotate|logrotate_script|@ROOT@/logs/a.log @ROOT@/logs/b.log|']);
  assert.equal(pair.left.state['@ROOT@/logs/a.log'], 'now');
});

test('logrotate against itself with -f on one side: the harness reports the differences', async () => {
  const forced: Binary = { name: 'logrotate -f', command: LOGROTATE.command, args: ['-f'] };
  const spec: TreeSpec = {
    entries: [{ kind: 'file', path: 'logs/a.log', content: 'x\n' }],
    state: [{ path: '@ROOT@/logs/a.log', time: Math.floor(Date.now() / 1000) - 60 }],
    config: '@ROOT@/logs/a.log {\n  weekly\n  rotate 1\n}\n',
  };
  const pair = await runPair(spec, { right: forced });
  assert.deepEqual(pair.differences.filter((d) => d.startsWith('file ')), [
    'file logs/a.log: {"type":"file","mode":"0644","owner":"0:0","mtime":"now","content":"x\\n"} vs (absent)',
    'file logs/a.log.1: (absent) vs {"type":"file","mode":"0644","owner":"0:0","mtime":"now","content":"x\\n"}',
  ]);
  assert.ok(pair.differences.some((d) => d.startsWith('state @ROOT@/logs/a.log:')));
});

test('two runs in a row use the later run for state times', async () => {
  const spec: TreeSpec = {
    entries: [{ kind: 'file', path: 'logs/a.log', content: 'x\n'.repeat(10) }],
    config: '@ROOT@/logs/a.log {\n  size 1\n  rotate 2\n  create\n}\n',
  };
  const pair = await runPair(spec, { right: LOGROTATE, runs: 2 });
  assert.deepEqual(pair.differences, []);
  assert.deepEqual(Object.keys(pair.left.entries).sort(), ['logs', 'logs/a.log', 'logs/a.log.1']);
});

test('snapshots decompress every supported compressor and record modes, owners and links', () => {
  const base = makeTempBase('lrharness-');
  try {
    const root = join(base, 't');
    materialize(root, {
      entries: [
        { kind: 'file', path: 'd/plain', content: 'p\n', mode: 0o600, uid: 1, gid: 4, mtime: 1_000_000 },
        { kind: 'symlink', path: 'd/link', target: '@ROOT@/d/plain' },
        { kind: 'dir', path: 'd/sub', mode: 0o700 },
      ],
      config: '',
    });
    for (const [tool, ext] of [['xz', '.xz'], ['zstd', '.zst'], ['bzip2', '.bz2']] as const) {
      writeFileSync(join(root, 'd', `c${ext}`), spawnSync(tool, ['-c'], { input: `${tool} data\n` }).stdout);
    }
    writeFileSync(join(root, 'd', 'c.gz'), gzipSync('gzip data\n'));
    const snap = snapshotRun(root, { startMs: Date.now(), endMs: Date.now() }, 0, `error: ${root}/x\n`);
    assert.deepEqual(snap.entries['d/plain'], { type: 'file', mode: '0600', owner: '1:4', mtime: '1000000', content: 'p\n' });
    assert.deepEqual(snap.entries['d/link'], { type: 'symlink', target: '@ROOT@/d/plain' });
    assert.deepEqual(snap.entries['d/sub'], { type: 'dir', mode: '0700', owner: '0:0' });
    for (const [name, text] of [['c.xz', 'xz'], ['c.zst', 'zstd'], ['c.bz2', 'bzip2'], ['c.gz', 'gzip']]) {
      assert.equal((snap.entries[`d/${name}`] as { content: string }).content, `${text} data\n`);
    }
    assert.deepEqual(snap.stderr, ['error: @ROOT@/x']);
    assert.equal(readFileSync(join(root, CONFIG_NAME), 'utf8'), '');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('3.21 normalizations change exactly the documented differences', () => {
  const run: RunSnapshot = {
    exitCode: 0,
    stderr: [
      "error: @ROOT@/c:3 unknown option 'bogus' -- ignoring line",
      "error: error running shared postrotate script for '@ROOT@/a @ROOT@/b '",
      'error: failed to compress log @ROOT@/a.1: child did not exit with status 1',
      'error: found error in @ROOT@/a , skipping',
      'warning: delayed compression for log file @ROOT@/a ignored since compression is disabled',
      'error: Ignoring @ROOT@/c because it is writable by group or others.',
      "error: bad rotation count '5 # keep'",
    ],
    entries: { old: { type: 'dir', mode: '7777', owner: '0:0' }, keep: { type: 'dir', mode: '0777', owner: '0:0' } },
    state: {},
    hooks: [
      'postrotate|logrotate_script|@ROOT@/a @ROOT@/b |',
      'preremove|logrotate_script|@ROOT@/a.5|',
      'preremove|logrotate_script|@ROOT@/a.4|',
      'prerotate|logrotate_script|@ROOT@/a|',
      'lastaction|logrotate_script|@ROOT@/a',
      '  @ROOT@/b',
      '|',
    ],
    mail: [],
  };
  assert.deepEqual(normalizeVersionDifferences(run), {
    exitCode: 1,
    stderr: [
      "warning: @ROOT@/c:3 unknown option 'bogus' -- ignoring line",
      "error: error running shared postrotate script for '@ROOT@/a @ROOT@/b'",
      'error: failed to compress log @ROOT@/a.1',
      'error: found error in @ROOT@/a, skipping',
      'error: Ignoring @ROOT@/c because it is writable by group or others.',
      "error: bad rotation count '5 # keep'",
    ],
    entries: { old: { type: 'dir', mode: '0755', owner: '0:0' }, keep: { type: 'dir', mode: '0777', owner: '0:0' } },
    state: {},
    hooks: [
      'postrotate|logrotate_script|@ROOT@/a @ROOT@/b|',
      'prerotate|logrotate_script|@ROOT@/a|',
      'preremove|logrotate_script|@ROOT@/a.5|',
      'preremove|logrotate_script|@ROOT@/a.4|',
      'lastaction|logrotate_script|@ROOT@/a\n  @ROOT@/b|',
    ],
    mail: [],
  });
});

test('snapshots show an epoch second of the run window in names as @EPOCH@, other numbers as they are', () => {
  const base = makeTempBase('lrharness-');
  try {
    const root = join(base, 't');
    const nowMs = Date.now();
    const inside = Math.floor(nowMs / 1000);
    materialize(root, {
      entries: [
        { kind: 'file', path: `d/a.log-${inside}.gz`, content: gzipSync('x\n') },
        { kind: 'file', path: 'd/a.log-1000000000', content: '' },
      ],
      config: '',
    });
    const snap = snapshotRun(root, { startMs: nowMs, endMs: nowMs }, 0, `renaming ${root}/d/a.log to ${root}/d/a.log-${inside}\n`);
    assert.deepEqual(Object.keys(snap.entries).sort(), ['d', 'd/a.log-1000000000', 'd/a.log-@EPOCH@.gz']);
    assert.deepEqual(snap.stderr, ['renaming @ROOT@/d/a.log to @ROOT@/d/a.log-@EPOCH@']);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
