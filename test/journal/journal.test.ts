// The rotation journal as an audit trail: outcomes derived from intent/done records,
// torn lines, and `logrotor journal` after real runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditRows } from '../../src/journal/audit.js';
import { parseJournal } from '../../src/journal/reader.js';
import { journalPath, stepKey, type JournalRecord } from '../../src/journal/records.js';
import type { Action } from '../../src/plan/model.js';
import { main } from '../../src/cli/program.js';
import { CapturedIo } from '../../src/cli/io.js';
import { CRASHING_CLI } from '../helpers/crashing-cli.js';

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
  const read = parseJournal(records.map((r) => JSON.stringify(r)).join('\n'));
  const rows = auditRows(read).map((r) => [r.run, r.action, r.outcome, r.recovery]);
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
    // The first run: stamp, the gap of two indices, rename, create; the second the
    // same, with the gap one index and a shift.
    assert.equal(lines.length, 9);
    assert.match(lines[8] ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}[0-9a-f]{8} {2}\S+app\.log {2}create \S+ \(mode 0644, uid 0, gid 0\) {2}done$/);
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

const LOGS = ['a', 'b', 'c'];
/** Per log, rotate 2 + compress + create with nothing rotated yet: stamp, the shift's
 * gap (no old rotation yet), rename, create, compress, remove. */
const STEPS_PER_LOG = 6;
/** run, section, an intent and a done per step, end. */
const RECORDS = 2 + 2 * STEPS_PER_LOG * LOGS.length + 1;

/** A fresh tree of three logs in one compressed section; `run` rotates it with the CLI,
 * killed after the journal record `crashAt` names ('' = not killed). */
function compressedSection(): { run(crashAt: string): { status: number | null; signal: string | null; stderr: string }; records(): JournalRecord[]; lines(): string[]; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-journal-deferred-'));
  chmodSync(root, 0o700);
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  for (const name of LOGS) writeFileSync(join(logs, `${name}.log`), `${name} line\n`.repeat(5000));
  const conf = join(root, 'rotor.conf');
  writeFileSync(conf, `${logs}/*.log {\n  rotate 2\n  compress\n  create\n}\n`, { mode: 0o644 });
  const state = join(root, 'state');
  const text = (): string => readFileSync(journalPath(state), 'utf8');
  return {
    run: (crashAt) => {
      const env = { ...process.env, LOGROTOR_CRASH_AFTER_RECORD: crashAt };
      const run = spawnSync(process.execPath, [CRASHING_CLI, '-f', '-s', state, conf], { env, encoding: 'utf8', timeout: 30_000 });
      return { status: run.status, signal: run.signal, stderr: run.stderr };
    },
    records: () => parseJournal(text()),
    lines: () => text().split('\n').filter((l) => l !== ''),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

test('a normal run with deferred done records: every intent has one done after it, none without, and end comes last', () => {
  const tree = compressedSection();
  try {
    const run = tree.run('');
    assert.equal(run.status, 0, run.stderr);
    const records = tree.records();
    assert.equal(tree.lines().length, records.length, 'every line is a whole record');
    assert.deepEqual([records[0]?.t, records[1]?.t, records.at(-1)?.t], ['run', 'section', 'end']);
    assert.equal(records.filter((r) => r.t === 'end').length, 1);
    const open = new Map<string, number>();
    let intents = 0;
    let dones = 0;
    for (const record of records) {
      if (record.t === 'intent') {
        const key = stepKey(record.log, record.action);
        assert.ok(!open.has(key), `a second intent of ${key}`);
        open.set(key, intents++);
      } else if (record.t === 'done') {
        const key = stepKey(record.log, record.action);
        assert.ok(open.delete(key), `done without an intent before it: ${key}`);
        dones++;
      } else {
        assert.ok(record.t !== 'failed', 'nothing failed');
      }
    }
    assert.deepEqual([...open.keys()], [], 'intents left without their done');
    assert.deepEqual([intents, dones, records.length], [STEPS_PER_LOG * LOGS.length, STEPS_PER_LOG * LOGS.length, RECORDS]);
    for (const name of LOGS) {
      const log = records.filter((r) => (r.t === 'intent' || r.t === 'done') && r.log.endsWith(`/${name}.log`));
      assert.equal(log.length, 2 * STEPS_PER_LOG, name);
    }
  } finally {
    tree.cleanup();
  }
});

test('killed by LOGROTOR_CRASH_AFTER_RECORD=N, for every N of the run: the journal holds exactly N whole records', () => {
  for (let n = 1; n <= RECORDS; n++) {
    const tree = compressedSection();
    try {
      const run = tree.run(String(n));
      assert.equal(run.signal, 'SIGKILL', `N=${n}: not killed (status ${run.status}): ${run.stderr}`);
      assert.equal(tree.lines().length, n, `N=${n}: lines`);
      assert.equal(tree.records().length, n, `N=${n}: records`);
      if (n === RECORDS) assert.equal(tree.records().at(-1)?.t, 'end');
    } finally {
      tree.cleanup();
    }
  }
});

test('killed after the first done:compress (a deferred record): it is the last record, its intent is before it', () => {
  const tree = compressedSection();
  try {
    assert.equal(tree.run('done:compress').signal, 'SIGKILL');
    const records = tree.records();
    const last = records.at(-1);
    assert.ok(last?.t === 'done' && last.action.kind === 'compress', JSON.stringify(last));
    assert.equal(records.filter((r) => r.t === 'done' && r.action.kind === 'compress').length, 1);
    const key = stepKey(last.log, last.action);
    assert.equal(records.filter((r) => r.t === 'intent' && stepKey(r.log, r.action) === key).length, 1);
    assert.ok(!records.some((r) => r.t === 'end'));
  } finally {
    tree.cleanup();
  }
});
