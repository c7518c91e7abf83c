import { copytruncateScenarios } from './copytruncate-scenarios.js';

copytruncateScenarios('native');

// Not an assertion: Debian's logrotate under the same writer, to show what the lossless
// method buys. Its copytruncate loses whatever is written between copy and truncate.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { account, canRun, history, scratch, startWriter, withFilesystem } from './fixtures.js';

test('report: Debian logrotate copytruncate under the same writer', { skip: !canRun('/usr/sbin/logrotate') }, async (t) => {
  const dirs = scratch();
  try {
    await withFilesystem(dirs.root, 'ext4', 1024, async (dir) => {
      const log = join(dir, 'app.log');
      const conf = join(dirs.root, 'logrotate.conf');
      writeFileSync(conf, `${log} {\n  copytruncate\n  rotate 1000\n}\n`, { mode: 0o644 });
      const writer = await startWriter(log, 'append');
      let runs = 0;
      try {
        for (const deadline = Date.now() + 2500; Date.now() < deadline; runs++) {
          await sleep(120);
          execFileSync('/usr/sbin/logrotate', ['-f', '-s', join(dirs.root, 'state'), conf], { stdio: 'pipe' });
        }
      } finally {
        var count = await writer.stop();
      }
      const result = account(history(dir, 'app.log'), count);
      t.diagnostic(`logrotate 3.21 copytruncate, ${runs} rotations of ${count} lines: ${JSON.stringify(result)}`);
      console.log(`logrotate 3.21 copytruncate, ${runs} rotations of ${count} lines: lost ${result.lost}, duplicated ${result.duplicated}`);
    });
  } finally {
    dirs.cleanup();
  }
});
