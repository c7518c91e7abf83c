// `logrotor --version` must start within 1.5× of a bare `node -e ''`: the rotation stack
// (config reader, planner, executor) is only imported when a rotation runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CapturedIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/program.js';
import { LOGROTOR_CLI } from '../helpers/binaries.js';

function fastest(args: readonly string[], samples: number[]): void {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args);
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  assert.equal(result.status, 0);
}

test('--version starts within 1.5x of bare node', () => {
  const bare: number[] = [];
  const ours: number[] = [];
  // Alternating and taking the minimum keeps other load on the machine out of the ratio.
  for (let i = 0; i < 15; i++) {
    fastest(['-e', ''], bare);
    fastest([LOGROTOR_CLI, '--version'], ours);
  }
  const ratio = Math.min(...ours) / Math.min(...bare);
  assert.ok(ratio <= 1.5, `logrotor --version ${Math.min(...ours).toFixed(1)} ms vs node ${Math.min(...bare).toFixed(1)} ms (${ratio.toFixed(2)}x)`);
});

test('the bin\'s shortcut for a leading --version/--help/-?/--usage answers exactly like main()', async () => {
  for (const args of [['--version'], ['--help', 'x.conf'], ['-?'], ['--usage', '--bogus']]) {
    const io = new CapturedIo();
    const code = await main(args, io);
    const bin = spawnSync(process.execPath, [LOGROTOR_CLI, ...args], { encoding: 'utf8' });
    assert.deepEqual([bin.status, bin.stdout, bin.stderr], [code, io.out, io.err], args.join(' '));
  }
});
