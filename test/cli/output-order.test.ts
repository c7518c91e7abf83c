// logrotor buffers its -v lines; a script's output, on the same stdout/stderr, must
// still come exactly where logrotate's does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOGROTATE, LOGROTOR, type Binary } from '../helpers/binaries.js';
import { makeTempBase } from '../helpers/tree.js';

/** Runs `binary -v` on a fresh tree with stdout and stderr into one file; the lines. */
function run(binary: Binary, base: string): string[] {
  const root = join(base, binary.name);
  const logs = join(root, 'logs');
  mkdirSync(logs, { recursive: true, mode: 0o755 });
  for (const name of ['a.log', 'b.log']) writeFileSync(join(logs, name), 'line\n');
  const conf = join(root, 'c.conf');
  const script = (kind: string): string => `  ${kind}\n    echo "HOOK ${kind} $1"\n    echo "HOOK ${kind} to stderr" >&2\n  endscript`;
  writeFileSync(conf, `${logs}/*.log {\n  rotate 2\n  create\n${script('prerotate')}\n${script('postrotate')}\n}\n`, { mode: 0o644 });
  const out = join(root, 'out');
  const fd = openSync(out, 'w');
  try {
    spawnSync(binary.command, [...binary.args, '-v', '-f', '-s', join(root, 'state'), conf], { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  return readFileSync(out, 'utf8').split(root).join('ROOT').split('\n');
}

test('-v lines and script output interleave as with logrotate', () => {
  const base = makeTempBase('lrorder-');
  try {
    // Only the lines both print the same way (logrotate's debug header differs), less
    // the shift of old logs, which 3.21 does before prerotate and HEAD after it.
    const shared = (line: string): boolean => /^(HOOK |running |renaming |creating new )/.test(line) && !line.includes('(rotatecount');
    const ours = run(LOGROTOR, base).filter(shared);
    const theirs = run(LOGROTATE, base).filter(shared);
    assert.ok(ours.filter((l) => l.startsWith('HOOK ')).length === 8, ours.join('\n'));
    assert.deepEqual(ours, theirs);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
