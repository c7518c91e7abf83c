import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { childFailure, hookRunner } from '../../src/exec/hooks.js';
import { MemoryLogger } from '../../src/logger.js';
import { lines, recorder, tempLogDir } from './helpers.js';

const runScript = hookRunner('stdout');
const quiet = new MemoryLogger();
const runHook = (script: string, args: readonly string[]) => runScript(script, args, quiet);

test('scripts run as /bin/sh -c SCRIPT logrotate_script ARG1 [ARG2]', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const hook = recorder(record, 'x');
  assert.deepEqual(await runHook(hook.text, ['/l/a.log', '/l/a.log.1']), { exitCode: 0, signal: null });
  assert.deepEqual(await runHook(`${hook.text}`, ['/l/*.log']), { exitCode: 0, signal: null });
  assert.deepEqual(lines(record), ['x logrotate_script /l/a.log /l/a.log.1', 'x logrotate_script /l/*.log']);
  assert.equal((await runHook('[ $# -eq 1 ]', ['one'])).exitCode, 0);
});

test('failures are values with logrotate reasons', async () => {
  const failed = await runHook('exit 4', ['a']);
  assert.deepEqual(failed, { exitCode: 4, signal: null });
  assert.equal(childFailure(failed), 'child did not exit with status 0');
  const killed = await runHook('kill -TERM $$', ['a']);
  assert.equal(killed.signal, 'SIGTERM');
  assert.equal(childFailure(killed), 'child did not terminate normally');
  assert.equal(childFailure({ exitCode: 0, signal: null }), null);
});
