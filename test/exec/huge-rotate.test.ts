// rotate 0x7fffffff: logrotate walks 2^31 indices (hours). logrotor plans the indices that
// hold a file, so -d --json, -v and a real run end at once, in bounded memory. Before,
// -d planned one step per index: under a small heap (as under heavy load) V8 died with
// its "JavaScript heap out of memory" stack trace, otherwise the run hung.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { tempLogDir, write } from './helpers.js';

test('rotate 0x7fffffff under a 64 MB heap: -d --json and a real run end at once with the right files', () => {
  const logs = tempLogDir();
  write(join(logs, 'a.log'), 'now\n');
  write(join(logs, 'a.log.1'), 'one\n');
  write(join(logs, 'a.log.2147483647'), 'top\n');
  const conf = join(dirname(logs), 'conf');
  writeFileSync(conf, `${logs}/a.log {\n  rotate 0x7fffffff\n}\n`, { mode: 0o644 });
  const state = join(dirname(logs), 'state');
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--max-old-space-size=64', LOGROTOR_CLI, ...args, '-f', '-s', state, conf], { encoding: 'utf8', timeout: 20_000 });
  const debug = run(['-d', '--json']);
  assert.equal(debug.status, 0, debug.stderr.slice(-2000));
  assert.ok(debug.stderr.includes(`old logs ${logs}/a.log.2147483645 down to ${logs}/a.log.3 do not exist (2147483643 indices, not walked one by one)`), debug.stderr);
  const plan = JSON.parse(debug.stdout) as { plan: { sections: { rotations: { prepare: { kind: string }[] }[] }[] } };
  assert.deepEqual(plan.plan.sections[0]?.rotations[0]?.prepare.map((a) => a.kind), ['stamp', 'rename', 'shift-gap', 'rename']);
  const real = run(['-v']);
  assert.equal(real.status, 0, real.stderr.slice(-2000));
  // The top rotation moved to the wrapped index and fell out, as in logrotate.
  assert.deepEqual(readdirSync(logs).sort(), ['a.log.1', 'a.log.2']);
});
