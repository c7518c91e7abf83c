// kill -9 at many points of real rotations (the journal's test hook kills the process
// right after its Nth record), under a writer; then a normal run. Every line must be
// there exactly once, with no partial files left and a readable state file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { account, history, scratch, startWriter, withFilesystem } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function logrotor(conf: string, state: string, crashAfter: number): number | null {
  const env = { ...process.env, LOGROTOR_CRASH_AFTER_RECORD: String(crashAfter) };
  return spawnSync(process.execPath, [CLI, '-f', '-s', state, conf], { env, stdio: 'pipe' }).status;
}

// create and compress variants are not covered yet (see docs/durability.md, "Limits").
for (const [name, directives] of [['copytruncate', 'copytruncate']] as const) {
  test(`kill -9 after each journal record of a ${name} rotation, then a normal run: no line lost or repeated`, async () => {
    const dirs = scratch();
    try {
      const ran = await withFilesystem(dirs.root, 'ext4', 512, async (dir) => {
        const log = join(dir, 'app.log');
        const conf = join(dirs.root, 'rotor.conf');
        const state = join(dirs.root, 'state');
        writeFileSync(conf, `${log} {\n  ${directives}\n  rotate 200\n}\n`, { mode: 0o644 });
        const writer = await startWriter(log, 'reopen', 64);
        try {
          for (let n = 1; n <= 8; n++) {
            assert.equal(logrotor(conf, state, n), null, `run killed after record ${n}`);
            logrotor(conf, state, 0);
          }
        } finally {
          var count = await writer.stop();
        }
        assert.deepEqual(account(history(dir, 'app.log'), count), { lost: 0, duplicated: 0, garbage: 0 });
        assert.deepEqual(readdirSync(dir).filter((f) => !/^app\.log(\.\d+(\.gz)?)?$/.test(f) && f !== 'lost+found'), []);
        assert.match(readFileSync(state, 'utf8'), /^logrotate state -- version 2\n/);
      });
      assert.notEqual(ran, null, 'could not mount ext4');
    } finally {
      dirs.cleanup();
    }
  });
}
