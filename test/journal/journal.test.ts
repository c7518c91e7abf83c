// The rotation journal as an audit trail: outcomes derived from intent/done records,
// torn lines, and `logrotor journal` after real runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditRows } from '../../src/journal/audit.js';
import { parseJournal, type JournalRecord } from '../../src/journal/records.js';
import type { Action } from '../../src/plan/model.js';
import { main } from '../../src/cli/program.js';
import { CapturedIo } from '../../src/cli/io.js';

const at = '2026-01-02T03:04:05.000Z';
const rename: Action = { kind: 'rename', from: '/l/app.log', to: '/l/app.log.1' };
const create: Action = { kind: 'create', path: '/l/app.log', attrs: { mode: 0o640, uid: 0, gid: 4 } };
const compress: Action = { kind: 'compress', from: '/l/app.log.1', to: '/l/app.log.1.gz', attrsFrom: '/l/app.log.1' };
const step = (t: 'intent' | 'done', action: Action): JournalRecord => ({ t, at, log: '/l/app.log', action });

test('outcomes: done, failed (the run went on or ended), interrupted (killed), and steps done by recovery', () => {
  const records: JournalRecord[] = [
    { t: 'run', at, pid: 1, id: 'aaaa' },
    step('intent', rename),
    step('done', rename),
    step('intent', create),
    step('intent', compress),
    { t: 'end', at },
    { t: 'run', at, pid: 2, id: 'bbbb' },
    step('intent', rename),
    { t: 'recover', at, pid: 3 },
    step('intent', create),
    step('done', create),
    { t: 'end', at, recovered: true },
  ];
  const rows = auditRows(records).map((r) => [r.run, r.action, r.outcome, r.recovery]);
  assert.deepEqual(rows, [
    ['aaaa', 'rename /l/app.log -> /l/app.log.1', 'done', false],
    ['aaaa', 'create /l/app.log (mode 0640, uid 0, gid 4)', 'failed', false],
    ['aaaa', 'compress /l/app.log.1 -> /l/app.log.1.gz', 'failed', false],
    ['bbbb', 'rename /l/app.log -> /l/app.log.1', 'interrupted', false],
    ['bbbb', 'create /l/app.log (mode 0640, uid 0, gid 4)', 'done', true],
  ]);
});

test('a torn last line and foreign lines are skipped; stamp times come back as dates', () => {
  const stamp: Action = { kind: 'stamp', log: '/l/app.log', time: new Date(at) };
  const text = `${JSON.stringify({ t: 'run', at, pid: 1 })}\n${JSON.stringify(step('done', stamp))}\n{"t":"bogus"}\n[1]\n{"t":"intent","at":"${at}","lo`;
  const records = parseJournal(text);
  assert.equal(records.length, 2);
  const done = records[1];
  assert.ok(done?.t === 'done' && done.action.kind === 'stamp');
  assert.ok(done.action.time instanceof Date && done.action.time.getTime() === Date.parse(at));
});

test('logrotor journal lists the actions of real runs, newest last, as text and JSON, with --limit', async () => {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-journal-'));
  try {
    chmodSync(root, 0o700);
    const logs = join(root, 'logs');
    mkdirSync(logs, { mode: 0o755 });
    const log = join(logs, 'app.log');
    const conf = join(root, 'rotor.conf');
    const state = join(root, 'state');
    writeFileSync(log, 'one\n');
    writeFileSync(conf, `${log} {\n  rotate 2\n  create\n}\n`, { mode: 0o644 });
    const run = new CapturedIo();
    assert.equal(await main(['-f', '-s', state, conf], run), 0, run.err);
    appendFileSync(log, 'two\n');
    assert.equal(await main(['-f', '-s', state, conf], run), 0, run.err);

    const json = new CapturedIo();
    assert.equal(await main(['journal', '-s', state, '--json', '--limit', '3'], json), 0, json.err);
    const rows = json.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      rows.map((r) => [r['log'], r['action'], r['outcome'], r['recovery']]),
      [
        [log, `rename ${join(logs, 'app.log.1')} -> ${join(logs, 'app.log.2')}`, 'done', false],
        [log, `rename ${log} -> ${join(logs, 'app.log.1')}`, 'done', false],
        [log, `create ${log} (mode 0644, uid 0, gid 0)`, 'done', false],
      ],
    );
    assert.notEqual(rows[0]?.['run'], undefined);

    const text = new CapturedIo();
    assert.equal(await main(['journal', '-s', state], text), 0, text.err);
    const lines = text.out.trim().split('\n');
    // Each run: stamp, two shifts, rename, create.
    assert.equal(lines.length, 10);
    assert.match(lines[9] ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}[0-9a-f]{8} {2}\S+app\.log {2}create \S+ \(mode 0644, uid 0, gid 0\) {2}done$/);
    const runs = new Set(lines.map((l) => l.split('  ')[1]));
    assert.equal(runs.size, 2);

    const none = new CapturedIo();
    assert.equal(await main(['journal', '-s', join(root, 'other')], none), 1);
    assert.match(none.err, /no journal at \S+other\.journal/);
    assert.equal(await main(['journal', '-s', state, '--limit', 'x'], none), 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
