// `-v` fidelity: logrotate (Debian's 3.21) and logrotor run on twin trees, and the
// progress lines that name steps (renaming, creating, copying, compressing, removing,
// scripts, errors) must come out in the same order; the files left behind, the state,
// the hook calls and the exit status must agree too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { LOGROTATE } from '../helpers/binaries.js';
import { diffSnapshots, inTwoTrees, runBinary, standardArgs } from '../helpers/differential.js';
import { normalizeVersionDifferences } from '../helpers/normalize.js';
import { snapshotRun, type RunSnapshot } from '../helpers/snapshot.js';
import { hookScript, type EntrySpec, type TreeSpec } from '../helpers/tree.js';

/** The lines that report a step or its failure; bookkeeping lines (config reading, state,
 * decisions' details) are left to other tests. */
const STEP_LINE =
  /^(considering log |rotating log |renaming |old log |previous log |log .* doesn't exist|disposeName will be |creating new |(skip )?copying |truncating |Not truncating |compressing log with|removing |Using shred|(not )?running .*script|error: |warning: (?!logrotate in debug mode))/;

/** Where a rotation's preparation can start at the earliest; preremove runs inside it. */
const BEFORE_PREPARATION = /^(considering log |(not )?running (first action|prerotate|postrotate|last action) script)/;

/** 3.21 prepares a rotation (the shift of old logs, delaycompress, expiry) before its
 * prerotate script, main after it: 3.21's `running prerotate script` (and, under -d,
 * the `running script with args` line after it) moves back in front of the preparation
 * lines (from the first `rotating log` of the group) it follows. On main's output it
 * never moves, since nothing is prepared before it. */
function prerotateBeforePreparation(lines: readonly string[]): string[] {
  const out: string[] = [];
  let movedTo = -1;
  for (const line of lines) {
    let at = out.length;
    if (movedTo >= 0 && line.startsWith('running script with args ')) at = movedTo + 1;
    else if (line === 'running prerotate script') {
      for (let i = out.length - 1; i >= 0; i--) {
        const earlier = out[i] ?? '';
        if (BEFORE_PREPARATION.test(earlier)) break;
        if (earlier.startsWith('rotating log ')) at = i;
      }
    }
    movedTo = line === 'running prerotate script' ? at : -1;
    out.splice(at, 0, line);
  }
  return out;
}

function stepLines(run: RunSnapshot): RunSnapshot {
  return { ...run, stderr: prerotateBeforePreparation(run.stderr.filter((line) => STEP_LINE.test(line))) };
}

/** Both programs with `-v` (and `extra`) on twins of `spec`; fails on any difference. */
async function compareVerbose(title: string, spec: TreeSpec, extra: readonly string[] = ['-f']): Promise<RunSnapshot> {
  const { left, right } = await inTwoTrees(spec, {}, async (root, binary) => {
    const output = await runBinary(binary, root, standardArgs(root, ['-v', ...extra]));
    return stepLines(normalizeVersionDifferences(snapshotRun(root, output, output.exitCode, output.stderr)));
  });
  const differences = diffSnapshots(left, right);
  assert.deepEqual(differences, [], `${title}: ${LOGROTATE.name} vs logrotor differ in\n  ${differences.join('\n  ')}\nlogrotate said:\n  ${left.stderr.join('\n  ')}`);
  return right;
}

const file = (path: string, content: string | Uint8Array, extra: Partial<Extract<EntrySpec, { kind: 'file' }>> = {}): EntrySpec => ({
  kind: 'file',
  path,
  content,
  ...extra,
});
const logsDir: EntrySpec = { kind: 'dir', path: 'logs', mode: 0o755 };
const hooks = (...kinds: string[]): string => kinds.map((k) => `  ${k}${hookScript(k)}  endscript\n`).join('');
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
  const run = await compareVerbose('numbered, -d', numbered, ['-d', '-f']);
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
    [],
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
