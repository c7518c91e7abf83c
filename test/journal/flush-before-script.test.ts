// A step's `done` record is held back until the next record (one write instead of two),
// but never across a script: a run killed while postrotate runs must not leave a
// finished step looking like one in flight (recovery would redo it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJournal } from '../../src/journal/reader.js';
import { journalPath, stepKey, type JournalRecord } from '../../src/journal/records.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('every step before postrotate has its done record on disk when postrotate runs', () => {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-journal-flush-'));
  try {
    const dir = join(root, 'logs');
    mkdirSync(dir, { mode: 0o755 });
    const state = join(root, 'state');
    const snapshot = join(root, 'journal-at-postrotate');
    writeFileSync(join(dir, 'app.log'), 'one\n');
    writeFileSync(join(dir, 'app.log.1'), 'older\n');
    const conf = join(root, 'rotor.conf');
    const script = `  postrotate\n    cp ${journalPath(state)} ${snapshot}\n  endscript\n`;
    writeFileSync(conf, `${dir}/app.log {\n  rotate 3\n  create 0640\n  compress\n  delaycompress\n${script}}\n`, { mode: 0o644 });
    const run = spawnSync(process.execPath, [CLI, '-f', '-s', state, conf], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);

    const seen = parseJournal(readFileSync(snapshot, 'utf8'));
    const intents = seen.filter((r): r is Extract<JournalRecord, { t: 'intent' | 'done' | 'failed' }> => r.t === 'intent');
    const done = new Set(seen.flatMap((r) => (r.t === 'done' ? [stepKey(r.log, r.action)] : [])));
    // Before postrotate: the stamp, delaycompress's compression of the old .1 (and its
    // removal), the gap of indices with no old log and the shift of the one there, the
    // move and the create; compressing this .1 comes later.
    assert.deepEqual(
      intents.map((r) => r.action.kind),
      ['stamp', 'compress', 'remove', 'shift-gap', 'rename', 'rename', 'create'],
    );
    assert.deepEqual(intents.filter((r) => !done.has(stepKey(r.log, r.action))), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
