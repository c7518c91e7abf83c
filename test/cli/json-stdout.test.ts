// `--json` prints exactly one JSON document on stdout, whatever the hook scripts print:
// their stdout goes to our stderr then (without --json it stays on stdout, as logrotate's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGROTOR } from '../helpers/binaries.js';

/** A tree whose section has a chatty script at every hook, and two logs due. */
function chattyTree(): { root: string; conf: string; state: string } {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-json-'));
  chmodSync(root, 0o755);
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  for (const name of ['a.log', 'b.log']) writeFileSync(join(logs, name), `${name} line\n`);
  writeFileSync(join(logs, 'a.log.1'), 'old\n');
  const say = (what: string): string => `\n    echo "${what} $1"\n    printf 'no newline at the end'\n  endscript`;
  const conf = join(root, 'rotor.conf');
  writeFileSync(
    conf,
    `${logs}/*.log {\n  rotate 1\n  firstaction${say('first')}\n  prerotate${say('pre')}\n  postrotate${say('post')}\n  preremove${say('preremove')}\n  lastaction${say('last')}\n}\n`,
  );
  return { root, conf, state: join(root, 'state') };
}

function run(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(LOGROTOR.command, [...LOGROTOR.args, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--json with chatty scripts: stdout is one JSON document (JSON.parse and jq agree); the scripts spoke on stderr', () => {
  const tree = chattyTree();
  try {
    const result = run(['--json', '-f', '-s', tree.state, tree.conf]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { exitCode: number; logs: { path: string }[] };
    assert.equal(report.exitCode, 0);
    assert.deepEqual(report.logs.map((l) => l.path).sort(), [join(tree.root, 'logs/a.log'), join(tree.root, 'logs/b.log')]);
    const jq = spawnSync('jq', ['-e', '.exitCode == 0 and (.logs | length) == 2'], { input: result.stdout, encoding: 'utf8' });
    assert.equal(jq.status, 0, jq.stderr);
    for (const what of ['first', 'pre', 'post', 'preremove', 'last']) assert.ok(result.stderr.includes(`${what} ${tree.root}`), what);
  } finally {
    rmSync(tree.root, { recursive: true, force: true });
  }
});

test('without --json the scripts keep our stdout, as with logrotate', () => {
  const tree = chattyTree();
  try {
    const result = run(['-f', '-s', tree.state, tree.conf]);
    assert.equal(result.status, 0, result.stderr);
    for (const what of ['first', 'pre', 'post', 'preremove', 'last']) assert.ok(result.stdout.includes(`${what} ${tree.root}`), what);
    assert.equal(result.stderr, '');
  } finally {
    rmSync(tree.root, { recursive: true, force: true });
  }
});
