// Found by the rotation fuzzer (test/fuzz): with compresscmd gzip, logrotor compressed in
// process and ignored compressoptions it did not know, so `compressoptions --bogus-option`
// succeeded where gzip (and so logrotate) fails, keeps the uncompressed file and exits 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDifferences, runPair } from '../helpers/differential.js';

test('an option gzip does not know fails the compression, as with logrotate', async () => {
  const pair = await runPair(
    {
      entries: [{ kind: 'file', path: 'logs/a.log', content: 'line\n' }],
      config: '@ROOT@/logs/a.log {\n  compress\n  compressoptions --bogus-option\n  rotate 1\n}\n',
    },
    { args: ['-f'] },
  );
  assert.deepEqual(pair.differences, [], describeDifferences('compressoptions --bogus-option', pair));
  assert.equal(pair.right.exitCode, 1);
  assert.equal(pair.right.entries['logs/a.log.1']?.type, 'file');
  assert.equal(pair.right.entries['logs/a.log.1.gz'], undefined);
});
