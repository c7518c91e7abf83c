// minfree and purgealways in a plain run of the CLI (cron's way), on a 16 MiB tmpfs whose
// free space is exact: -d lists the removals and changes nothing; the run removes the
// oldest rotations until minfree is met, and no more; maxage applies without a rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statfsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { scratch, withFilesystem } from '../durability/fixtures.js';

const MiB = 1024 * 1024;
const DAY = 86_400;

function rotor(args: readonly string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [LOGROTOR_CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stderr: run.stderr };
}

test('a plain run: minfree removes the oldest rotations until it is met, purgealways applies maxage without rotating', async () => {
  const dirs = scratch();
  try {
    const ran = await withFilesystem(dirs.root, 'tmpfs', 16, async (mnt) => {
      const now = Math.floor(Date.now() / 1000);
      writeFileSync(join(mnt, 'app.log'), 'live\n');
      for (let i = 1; i <= 5; i++) {
        writeFileSync(join(mnt, `app.log.${i}`), Buffer.alloc(2 * MiB, 0x61 + i));
        utimesSync(join(mnt, `app.log.${i}`), now - i * DAY, now - i * DAY);
      }
      writeFileSync(join(mnt, 'b.log'), 'live\n');
      for (const [name, days] of [['b.log.1', 10], ['b.log.2', 40]] as const) {
        writeFileSync(join(mnt, name), `${name}\n`);
        utimesSync(join(mnt, name), now - days * DAY, now - days * DAY);
      }
      const conf = join(dirs.root, 'budgets.conf');
      writeFileSync(conf, `${mnt}/app.log {\n  size 100M\n  rotate 10\n  minfree 9M\n}\n${mnt}/b.log {\n  size 100M\n  rotate 10\n  maxage 30\n  purgealways\n}\n`, { mode: 0o644 });
      const state = join(dirs.root, 'state');
      const before = readdirSync(mnt).sort();
      const free = (): number => {
        const s = statfsSync(mnt);
        return s.bavail * s.bsize;
      };
      assert.ok(free() < 9 * MiB && free() + 2 * MiB < 9 * MiB, `free before: ${free()}`);

      const preview = rotor(['-d', '-s', state, conf]);
      assert.equal(preview.status, 0, preview.stderr);
      const removals = (text: string): string[] => text.split('\n').filter((l) => /^(minfree|maxage) .*: removing /.test(l)).map((l) => l.replace(/, .*$/, ''));
      const expected = [`maxage 30: removing ${mnt}/b.log.2`, `minfree 9M: removing ${mnt}/app.log.5`, `minfree 9M: removing ${mnt}/app.log.4`];
      assert.deepEqual(removals(preview.stderr).sort(), expected.sort(), preview.stderr);
      assert.deepEqual(readdirSync(mnt).sort(), before);

      const run = rotor(['-v', '-s', state, conf]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(removals(run.stderr).sort(), expected.sort(), run.stderr);
      assert.deepEqual(readdirSync(mnt).sort(), ['app.log', 'app.log.1', 'app.log.2', 'app.log.3', 'b.log', 'b.log.1']);
      assert.ok(free() >= 9 * MiB, `free after: ${free()}`);
    });
    assert.notEqual(ran, null, 'could not mount a tmpfs');
  } finally {
    dirs.cleanup();
  }
});
