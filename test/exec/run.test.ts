import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { MemoryLogger } from '../../src/logger.js';
import { liveWorkspace } from '../../src/run/live-workspace.js';
import { previewWorkspace } from '../../src/run/preview-workspace.js';
import { runRotation, type RunOptions } from '../../src/run/run.js';
import { tempLogDir, write } from './helpers.js';

function setup(): { logs: string; conf: string; state: string } {
  const logs = tempLogDir();
  const root = dirname(logs);
  write(join(logs, 'a.log'), 'data\n');
  const conf = join(root, 'conf');
  writeFileSync(conf, `${logs}/a.log {\n  rotate 1\n  postrotate\n    touch ${root}/ran\n  endscript\n}\n`, { mode: 0o644 });
  return { logs, conf, state: join(root, 'state') };
}

function options(conf: string, state: string, extra: Partial<RunOptions> = {}): RunOptions {
  return { configPaths: [conf], statePath: state, workspace: liveWorkspace(), force: true, mailCommand: '/bin/false', lock: 'normal', logger: new MemoryLogger(), now: new Date(2026, 10, 22, 15, 4, 5), ...extra };
}

test('-d prints the steps and changes nothing, state included', async () => {
  const { logs, conf, state } = setup();
  const logger = new MemoryLogger();
  const result = await runRotation(options(conf, state, { workspace: previewWorkspace, logger }));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(readdirSync(logs), ['a.log']);
  assert.deepEqual(readdirSync(dirname(logs)).sort(), ['conf', 'logs']);
  const texts = logger.lines.map((l) => l.text);
  assert.ok(texts.includes(`renaming ${logs}/a.log to ${logs}/a.log.1`), texts.join('\n'));
  assert.ok(texts.some((t) => t.startsWith(`running script with args ${logs}/a.log ${logs}/a.log.1: "`)));
  assert.equal(result.logs[0]?.verdict.kind, 'rotate');
});

test('a real run rotates and writes the state with the run time', async () => {
  const { logs, conf, state } = setup();
  const result = await runRotation(options(conf, state));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(readdirSync(logs).sort(), ['a.log.1']);
  assert.equal(readFileSync(state, 'utf8'), `logrotate state -- version 2\n"${logs}/a.log" 2026-11-22-15:4:5\n`);
  assert.deepEqual(result.logs[0]?.actions, [`renaming ${logs}/a.log to ${logs}/a.log.1`]);
});

test('a state file locked by someone else: exit 3, nothing rotated', async () => {
  const { logs, conf, state } = setup();
  writeFileSync(state, 'logrotate state -- version 2\n', { mode: 0o640 });
  const holder = spawn('flock', ['-x', state, '-c', 'echo locked; sleep 5'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(holder.stdout, 'data');
  try {
    const logger = new MemoryLogger();
    const result = await runRotation(options(conf, state, { logger }));
    assert.equal(result.exitCode, 3);
    assert.deepEqual(readdirSync(logs), ['a.log']);
    assert.ok(logger.lines.some((l) => l.severity === 'error' && l.text.startsWith(`state file ${state} is already locked`)));
  } finally {
    holder.kill();
  }
});

test('a missing log (missingok) loses a state entry older than a year; a present one keeps it', async () => {
  const { logs, conf, state } = setup();
  writeFileSync(conf, `${logs}/a.log ${logs}/gone.log {\n  missingok\n  weekly\n}\n`, { mode: 0o644 });
  writeFileSync(state, `logrotate state -- version 2\n"${logs}/a.log" 2025-10-1-0:0:0\n"${logs}/gone.log" 2025-10-1-0:0:0\n`);
  const result = await runRotation(options(conf, state, { force: false }));
  assert.equal(result.exitCode, 0);
  assert.equal(readFileSync(state, 'utf8'), `logrotate state -- version 2\n"${logs}/a.log" 2026-11-22-15:4:5\n`);
});

test('a config error message alone does not fail the run: `size` without its argument exits 0, as logrotate', async () => {
  const { logs, conf, state } = setup();
  writeFileSync(conf, `${logs}/a.log {\n  size\n  rotate 1\n}\n`);
  const logger = new MemoryLogger();
  const result = await runRotation(options(conf, state, { workspace: previewWorkspace, logger }));
  assert.deepEqual(logger.lines.filter((l) => l.severity === 'error').map((l) => l.text), [`${conf}:2 argument expected after size`]);
  assert.equal(result.exitCode, 0);
  writeFileSync(conf, `${logs}/a.log {\n  rotate\n  size 1\n}\n`);
  assert.equal((await runRotation(options(conf, state, { workspace: previewWorkspace }))).exitCode, 1);
});

test('-d with createolddir: the directory is announced and planned into, and not made', async () => {
  const { logs, conf, state } = setup();
  writeFileSync(conf, `${logs}/a.log {\n  rotate 2\n  olddir archive\n  createolddir 0700\n}\n`);
  const logger = new MemoryLogger();
  const result = await runRotation(options(conf, state, { workspace: previewWorkspace, logger }));
  const texts = logger.lines.map((l) => l.text);
  assert.ok(texts.includes(`creating new directory ${logs}/archive mode = 0700 uid = -1 gid = -1`), texts.join('\n'));
  assert.ok(texts.includes(`renaming ${logs}/a.log to ${logs}/archive/a.log.1`), texts.join('\n'));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(readdirSync(logs), ['a.log']);
});
