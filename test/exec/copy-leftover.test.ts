// Found by the rotation fuzzer (test/fuzz): with copy or copytruncate, a leftover file
// at the rotated name (here an uncompressed a.log.1 beside `compress`) was overwritten
// by the copy, and its lines were lost. logrotate creates the copy with O_EXCL and moves
// the file in the way to PATH-YYYYMMDDHH.backup first; so must logrotor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDifferences, runPair } from '../helpers/differential.js';

for (const directive of ['copy', 'copytruncate']) {
  test(`${directive}: a leftover file at the rotated name is moved to a backup, not overwritten`, async () => {
    const pair = await runPair(
      {
        entries: [
          { kind: 'file', path: 'logs/a.log', content: 'current line\n' },
          { kind: 'file', path: 'logs/a.log.1', content: 'leftover line\n' },
        ],
        config: `@ROOT@/logs/a.log {\n  ${directive}\n  compress\n  rotate 1\n}\n`,
      },
      { args: ['-f'] },
    );
    assert.deepEqual(pair.differences, [], describeDifferences(directive, pair));
    const backups = Object.entries(pair.right.entries).filter(([path]) => /^logs\/a\.log\.1-\d{10}\.backup$/.test(path));
    assert.equal(backups.length, 1, Object.keys(pair.right.entries).join(', '));
    const [, backup] = backups[0] ?? [];
    assert.equal(backup?.type === 'file' ? backup.content : null, 'leftover line\n');
    assert.equal(pair.right.exitCode, 0);
  });
}
