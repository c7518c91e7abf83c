// A failing preremove against logrotate: the file stays, later steps of that log are
// skipped and the run exits 1. logrotate then also prints `Failed to remove old log F:`
// with a stale errno text; logrotor prints only the one line that says what happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVerbose, file, logsDir } from './verbose-diff.js';

const FAILING = '  preremove\n    exit 3\n  endscript\n';

test('a failing preremove keeps the file, on disposal and after compression', async () => {
  const run = await compareVerbose(
    'failing preremove',
    {
      entries: [logsDir, file('logs/a.log', 'a\n'), file('logs/a.log.1', 'a1\n'), file('logs/a.log.2', 'a2\n'), file('logs/b.log', 'b\n')],
      config: `@ROOT@/logs/a.log {\n  rotate 1\n${FAILING}}\n@ROOT@/logs/b.log {\n  rotate 1\n  compress\n${FAILING}}\n`,
    },
    // Deliberate: logrotate's second line after the preremove error, with a stale errno.
    { ignore: /^error: Failed to remove old log / },
  );
  assert.equal(run.exitCode, 1);
  assert.deepEqual(
    run.stderr.filter((l) => l.startsWith('error: ')),
    [
      "error: error running preremove script for @ROOT@/logs/a.log.2 of '@ROOT@/logs/a.log'. Not removing this file.",
      "error: error running preremove script for @ROOT@/logs/b.log.1 of '@ROOT@/logs/b.log'. Not removing this file.",
    ],
  );
  // a.log.2 (the shifted a.log.1) was to go; compression's input stays beside its output.
  assert.deepEqual(Object.keys(run.entries).sort(), ['logs', 'logs/a.log.1', 'logs/a.log.2', 'logs/b.log.1', 'logs/b.log.1.gz']);
});
