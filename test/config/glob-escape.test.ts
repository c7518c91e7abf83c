// Found by the rotation fuzzer (test/fuzz): a file list word with a backslash escape and
// no wildcard ("…/back\\slash.log" for the file back\slash.log) was kept as written, so
// the log was reported missing. glob(3) takes the escapes out when that file exists, and
// keeps the word as written when it does not. Compared with logrotate under -d.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOGROTATE, LOGROTOR } from '../helpers/binaries.js';
import { runBinary } from '../helpers/differential.js';
import { makeTempBase } from '../helpers/tree.js';

test('backslash escapes in a file list word without wildcards are resolved as glob(3) does', async () => {
  const root = makeTempBase('logrotor-escape-');
  try {
    mkdirSync(join(root, 'logs'), { mode: 0o755 });
    writeFileSync(join(root, 'logs', 'back\\slash.log'), 'x\n');
    writeFileSync(join(root, 'logs', 'xy.log'), 'x\n');
    const words = ['"@/back\\\\slash.log"', '"@/no\\\\pe.log"', '@/un\\quoted.log', '"@/x\\y.log"', '"@/x\\z.log"'];
    const config = `${words.map((w) => w.replace('@', join(root, 'logs'))).join(' ')} {\n  missingok\n}\n`;
    writeFileSync(join(root, 'logrotate.conf'), config, { mode: 0o644 });
    const considered = async (binary: typeof LOGROTOR): Promise<string[]> => {
      const run = await runBinary(binary, root, ['-d', '-s', join(root, 'state'), join(root, 'logrotate.conf')]);
      return run.stderr.split('\n').filter((line) => line.startsWith('considering log ')).map((line) => line.split(root).join('ROOT'));
    };
    const ours = await considered(LOGROTOR);
    assert.deepEqual(ours, [
      'considering log ROOT/logs/back\\slash.log',
      'considering log ROOT/logs/no\\\\pe.log',
      'considering log ROOT/logs/unquoted.log',
      'considering log ROOT/logs/xy.log',
      'considering log ROOT/logs/x\\z.log',
    ]);
    assert.deepEqual(ours, await considered(LOGROTATE));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
