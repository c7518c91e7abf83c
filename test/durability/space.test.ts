// Space preflight: a rotation whose copy or compressed file cannot fit on its filesystem
// is skipped with one error line, before anything moves, and its state time stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratch, withFilesystem } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const OLD_STATE = 'logrotate state -- version 2\n';

for (const directives of ['copytruncate', 'create\n  compress', 'copy']) {
  test(`${directives.replace('\n  ', ' + ')}: a log that cannot be copied or compressed on a full tmpfs is left untouched, exit 1, one error`, async () => {
    const dirs = scratch();
    try {
      const ran = await withFilesystem(dirs.root, 'tmpfs', 2, async (dir) => {
        const log = join(dir, 'app.log');
        const conf = join(dirs.root, 'rotor.conf');
        const state = join(dirs.root, 'state');
        // 1.2 MB of a 2 MB filesystem: its copy cannot fit beside it.
        const content = `${'y'.repeat(99)}\n`.repeat(12_000);
        writeFileSync(log, content);
        writeFileSync(conf, `${log} {\n  ${directives}\n  rotate 3\n  daily\n}\n`, { mode: 0o644 });
        const stamp = `"${log}" 2020-1-1-0:0:0\n`;
        writeFileSync(state, OLD_STATE + stamp, { mode: 0o600 });
        const run = spawnSync(process.execPath, [CLI, '-s', state, conf], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(run.status, 1, run.stderr);
        const errors = run.stderr.split('\n').filter((l) => l !== '');
        assert.equal(errors.length, 1, run.stderr);
        assert.match(
          errors[0] ?? '',
          new RegExp(`^error: not enough space to rotate ${log}: ${dir} has \\d+ bytes free, the copies and compressed files need \\d+; log left untouched$`),
        );
        const [free, need] = (errors[0] ?? '').match(/\d+(?= bytes free)|\d+(?=; log)/g)?.map(Number) ?? [];
        assert.ok(free !== undefined && need !== undefined && free < need && need > content.length);
        assert.deepEqual(readdirSync(dir), ['app.log']);
        assert.equal(readFileSync(log, 'utf8'), content);
        assert.ok(readFileSync(state, 'utf8').includes(stamp), 'the state time did not move');
      });
      assert.notEqual(ran, null, 'could not mount tmpfs');
    } finally {
      dirs.cleanup();
    }
  });
}

test('a log that fits is rotated on the same filesystem (the preflight does not refuse everything)', async () => {
  const dirs = scratch();
  try {
    const ran = await withFilesystem(dirs.root, 'tmpfs', 2, async (dir) => {
      const log = join(dir, 'app.log');
      const conf = join(dirs.root, 'rotor.conf');
      writeFileSync(log, `${'y'.repeat(99)}\n`.repeat(3_000));
      writeFileSync(conf, `${log} {\n  copytruncate\n  compress\n  rotate 1\n}\n`, { mode: 0o644 });
      const run = spawnSync(process.execPath, [CLI, '-f', '-s', join(dirs.root, 'state'), conf], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(readdirSync(dir).sort(), ['app.log', 'app.log.1.gz']);
    });
    assert.notEqual(ran, null, 'could not mount tmpfs');
  } finally {
    dirs.cleanup();
  }
});
