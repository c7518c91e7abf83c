// A config with 10,000 sections must load in well under logrotate's own time for it
// (about 0.7 s of CPU on the reference machine); the bound here only catches work that
// grows faster than linearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, makeTree } from './helpers.js';

test('10,000 sections load in seconds, not minutes', () => {
  const tree = makeTree();
  try {
    const logs = tree.dir('logs');
    const body = (i: number): string =>
      `${logs}/app${i}.log {\n  daily\n  rotate 7\n  compress\n  missingok\n  create 0640 root root\n  postrotate\n    echo hi\n  endscript\n}\n`;
    const conf = tree.write('big.conf', Array.from({ length: 10_000 }, (_, i) => body(i)).join(''));
    // CPU time, not wall time: the tests running alongside (test/run.mjs runs several
    // files at once) do not count against the bound.
    const started = process.cpuUsage();
    const loaded = load([conf]);
    const used = process.cpuUsage(started);
    const seconds = (used.user + used.system) / 1e6;
    assert.equal(loaded.sections.length, 10_000);
    assert.deepEqual(loaded.messages, []);
    assert.ok(seconds < 8, `took ${seconds.toFixed(2)} s of CPU`);
  } finally {
    tree.remove();
  }
});
