// olddir on another filesystem (a tmpfs mounted inside the tree) against logrotate:
// copy, copytruncate and renamecopy rotate into it; a plain rename is refused when the
// config is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVerbose, file, hooks, logsDir } from './verbose-diff.js';

/** A container without CAP_SYS_ADMIN cannot mount: these tests then say so and skip. */
function mountProblem(): string | false {
  const probe = mkdtempSync(join(tmpdir(), 'logrotor-mount-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { encoding: 'utf8' });
    if (mounted.status !== 0) return `cannot mount a tmpfs here: ${mounted.stderr.trim()}`;
    execFileSync('umount', [probe]);
    return false;
  } finally {
    rmdirSync(probe);
  }
}
const skip = mountProblem();

/** A fresh tmpfs on ROOT/logs/old for the run; unmounted again after the snapshot. */
function otherDevice(root: string): () => void {
  const dir = join(root, 'logs', 'old');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'tmpfs', dir]);
  return () => execFileSync('umount', [dir]);
}

const entries = [logsDir, { kind: 'dir', path: 'logs/old', mode: 0o755 } as const, file('logs/a.log', 'a\n'), file('logs/b.log', 'b\n'), file('logs/c.log', 'c\n')];

test('olddir on another device: copy, copytruncate and renamecopy rotate into it', { skip }, async () => {
  const run = await compareVerbose(
    'olddir, other device',
    {
      entries,
      config:
        `@ROOT@/logs/a.log {\n  olddir old\n  copy\n  rotate 1\n  compress\n}\n` +
        `@ROOT@/logs/b.log {\n  olddir old\n  copytruncate\n  rotate 1\n${hooks('postrotate')}}\n` +
        `@ROOT@/logs/c.log {\n  olddir old\n  renamecopy\n  rotate 1\n  create\n}\n`,
    },
    { setup: otherDevice },
  );
  assert.equal(run.exitCode, 0);
  const names = Object.keys(run.entries).sort();
  assert.deepEqual(names, ['logs', 'logs/a.log', 'logs/b.log', 'logs/c.log', 'logs/old', 'logs/old/a.log.1.gz', 'logs/old/b.log.1', 'logs/old/c.log.1']);
});

test('olddir on another device without a copy mode: refused when the config is read', { skip }, async () => {
  const run = await compareVerbose(
    'olddir, other device, rename',
    {
      entries,
      config: `@ROOT@/logs/a.log {\n  olddir old\n  rotate 1\n}\n@ROOT@/logs/b.log {\n  olddir old\n  copy\n  rotate 1\n}\n`,
    },
    { setup: otherDevice },
  );
  assert.equal(run.exitCode, 1);
  assert.ok(run.stderr.includes('error: @ROOT@/meta/logrotate.conf:4 olddir old and log file @ROOT@/logs/a.log are on different devices'), run.stderr.join('\n'));
  assert.equal(run.entries['logs/a.log']?.type, 'file');
});
