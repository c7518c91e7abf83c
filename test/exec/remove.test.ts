import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookRunner } from '../../src/exec/hooks.js';
import { removeFile, removeRenameCopyTemp } from '../../src/exec/remove.js';
import { lines, recorder, stepContext, tempLogDir, write } from './helpers.js';

const runHook = hookRunner('stdout');

test('plain removal unlinks', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'a.log.5');
  write(file, 'old');
  assert.deepEqual(await removeFile(file, stepContext(), runHook), { ok: true });
  assert.ok(!existsSync(file));
});

test('a file already gone is reported but counts as removed', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'gone');
  const ctx = stepContext();
  assert.deepEqual(await removeFile(file, ctx, runHook), { ok: true });
  assert.deepEqual(ctx.logger.lines, [{ severity: 'error', text: `error unlinking log file ${file}: No such file or directory` }]);
});

test('preremove gets the file as $1; its failure keeps the file', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const file = join(dir, 'a.log.5');
  write(file, 'old');
  const ok = stepContext({ scripts: { preremove: recorder(record, 'pre') } });
  assert.deepEqual(await removeFile(file, ok, runHook), { ok: true });
  write(file, 'old');
  const bad = stepContext({ scripts: { preremove: recorder(record, 'bad', 1) } });
  assert.deepEqual(await removeFile(file, bad, runHook), {
    ok: false,
    error: `error running preremove script for ${file} of '/pattern/*.log' (child did not exit with status 0). Not removing this file.`,
  });
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(lines(record), [`pre logrotate_script ${file}`, `bad logrotate_script ${file}`]);
});

test('shred overwrites and removes; shredcycles is passed', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'secret.log.1');
  write(file, 'secret');
  const ctx = stepContext({ shred: true, shredCycles: 2 });
  assert.deepEqual(await removeFile(file, ctx, runHook), { ok: true });
  assert.ok(!existsSync(file));
  assert.deepEqual(ctx.logger.lines, [{ severity: 'debug', text: `Using shred to remove the file ${file}` }]);
});

test('shred refuses a hard-linked file', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'secret.log.1');
  write(file, 'secret');
  const { linkSync } = await import('node:fs');
  linkSync(file, join(dir, 'twin'));
  const result = await removeFile(file, stepContext({ shred: true }), runHook);
  assert.deepEqual(result, { ok: false, error: `error opening ${file}: Operation not supported` });
  assert.ok(existsSync(file));
});

test("renamecopy's .tmp is unlinked plainly; a failure is silent, as in logrotate", async () => {
  const dir = tempLogDir();
  const file = join(dir, 'a.log.tmp');
  write(file, 'copied already');
  assert.deepEqual(await removeRenameCopyTemp(file), { ok: true });
  assert.ok(!existsSync(file));
  assert.deepEqual(await removeRenameCopyTemp(file), { ok: true });
});
