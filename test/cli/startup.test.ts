// `logrotor --version` must start about as fast as a bare node: the rotation stack
// (config reader, planner, executor) is only imported when a rotation runs. How fast is
// `npm run bench`'s to measure (startup workload); here, which modules load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CapturedIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/program.js';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { loadedModules } from '../helpers/loaded-modules.js';

test('--version, --help and --usage load the bin alone: no commander, no config, planner or executor', () => {
  for (const flag of ['--version', '--help', '--usage']) {
    const { status, modules } = loadedModules([LOGROTOR_CLI, flag]);
    assert.equal(status, 0);
    assert.ok(modules.includes('src/cli/texts.js'), flag);
    const heavy = modules.filter((m) => m.startsWith('node_modules/') || /^src\/(plan|exec|run|journal|state)\//.test(m) || m === 'src/cli/program.js' || m === 'src/config/load.js');
    assert.deepEqual(heavy, [], flag);
  }
});

test('the bin\'s shortcut for a leading --version/--help/-?/--usage answers exactly like main()', async () => {
  for (const args of [['--version'], ['--help', 'x.conf'], ['-?'], ['--usage', '--bogus']]) {
    const io = new CapturedIo();
    const code = await main(args, io);
    const bin = spawnSync(process.execPath, [LOGROTOR_CLI, ...args], { encoding: 'utf8' });
    assert.deepEqual([bin.status, bin.stdout, bin.stderr], [code, io.out, io.err], args.join(' '));
  }
});
