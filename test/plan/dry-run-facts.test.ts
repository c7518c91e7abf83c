// Under -d the config reader's lstat of each log is reused by the planner. That must not
// change any verdict: a su section still looks with its user's rights, and missing logs
// and directories are judged as logrotate judges them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/logger.js';
import { previewWorkspace } from '../../src/run/preview-workspace.js';
import { runRotation } from '../../src/run/run.js';

const NOW = new Date();

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-dryfacts-'));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'priv'), { mode: 0o700 });
  mkdirSync(join(root, 'open'), { mode: 0o755 });
  writeFileSync(join(root, 'priv', 'a.log'), 'a\n', { mode: 0o644 });
  writeFileSync(join(root, 'open', 'b.log'), 'b\n', { mode: 0o644 });
  const config = [
    `${root}/priv/a.log {\n  su nobody nogroup\n  daily\n}`,
    `${root}/open/b.log ${root}/open/gone.log {\n  daily\n  missingok\n}`,
    `${root}/open/never.log {\n  daily\n}`,
    `${root}/priv {\n  daily\n}`,
    '',
  ].join('\n');
  writeFileSync(join(root, 'conf'), config, { mode: 0o644 });
  return root;
}

/** The lines both tools print about the logs themselves, with the tree's name taken out. */
function verdictLines(text: string, root: string): string[] {
  return text
    .split('\n')
    .filter((line) => /considering log|stat of|does not exist|needs rotating|does not need rotating|No logs found/.test(line))
    .map((line) => line.replaceAll(root, 'ROOT').replace(/ \(log has .*\)$/, ''));
}

test('-d verdicts with reused lstats match logrotate, su sections included', async () => {
  const root = tree();
  try {
    const logger = new MemoryLogger();
    const result = await runRotation({
      configPaths: [join(root, 'conf')],
      statePath: '/dev/null',
      workspace: previewWorkspace,
      force: false,
      mailCommand: '/bin/false',
      lock: 'normal',
      logger,
      now: NOW,
    });
    const ours = verdictLines(logger.lines.map((l) => (l.severity === 'error' ? `error: ${l.text}` : l.text)).join('\n'), root);
    const theirs = spawnSync('/usr/sbin/logrotate', ['-d', '-s', '/dev/null', join(root, 'conf')], { encoding: 'utf8' });
    assert.deepEqual(ours, verdictLines(theirs.stderr, root));
    assert.deepEqual(ours, [
      'considering log ROOT/priv/a.log',
      'error: stat of ROOT/priv/a.log failed: Permission denied',
      'considering log ROOT/open/b.log',
      '  log does not need rotating',
      'considering log ROOT/open/gone.log',
      '  log ROOT/open/gone.log does not exist -- skipping',
      'considering log ROOT/open/never.log',
      'error: stat of ROOT/open/never.log failed: No such file or directory',
      'No logs found. Rotation not needed.',
    ]);
    assert.equal(result.exitCode, 1);
    assert.equal(theirs.status, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
