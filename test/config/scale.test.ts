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
    const started = process.hrtime.bigint();
    const loaded = load([conf]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    assert.equal(loaded.sections.length, 10_000);
    assert.deepEqual(loaded.messages, []);
    assert.ok(seconds < 8, `took ${seconds.toFixed(2)} s`);
  } finally {
    tree.remove();
  }
});
