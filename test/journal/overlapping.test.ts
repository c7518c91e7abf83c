// Journals of runs whose finishing steps overlap (`run` with steps: 'overlapping'):
// several compressions in flight at a kill are all settled and finished; a `failed`
// record leaves its log's rotation as it is; journals of older versions (no `steps`)
// keep their rule (only the last intent was in flight, earlier open ones had failed).
// Also the audit outcomes of interleaved records, and readLastRun reading from the end.
import { RunTally } from '../../src/exec/tally.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import { auditRows } from '../../src/journal/audit.js';
import { parseJournal, readJournal, readLastRun } from '../../src/journal/reader.js';
import { journalPath, type JournaledRotation, type JournalRecord } from '../../src/journal/records.js';
import { open as openHandle, type FileHandle } from 'node:fs/promises';
import { LiveArchiver } from '../../src/exec/archiver.js';
import { hookRunner } from '../../src/exec/hooks.js';
import { recoverJournal } from '../../src/journal/recovery/recover.js';
import { Journal } from '../../src/journal/writer.js';
import { rotationNames } from '../../src/plan/rotation-names.js';
import { script } from '../exec/helpers.js';
import { rotation, sectionPlan } from '../helpers/plans.js';
import { MemoryLogger } from '../../src/logger.js';
import type { Action } from '../../src/plan/model.js';
import { readState } from '../../src/state/store.js';
import { main } from '../../src/cli/program.js';
import { CapturedIo } from '../../src/cli/io.js';
import { contents } from '../helpers/contents.js';

const at = '2026-11-22T10:00:00.000Z';
/** The killed run's state time: a minute ago, in whole seconds as the state file keeps it. */
const STAMP = new Date(Math.floor((Date.now() - 60_000) / 1000) * 1000);
const OPTIONS = { ...DEFAULT_OPTIONS, compress: true, rotate: 3, create: {} };

interface Scratch {
  readonly root: string;
  readonly logs: string;
  readonly state: string;
  readonly journal: string;
  cleanup(): void;
}

function scratch(): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-overlap-journal-'));
  chmodSync(root, 0o700);
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  const state = join(root, 'state');
  return { root, logs, state, journal: journalPath(state), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The rotation `rotate 3`, `compress`, `create` plans for `log` with nothing shifted yet. */
function rotationOf(log: string): JournaledRotation {
  const shift = (index: number): Action => ({
    kind: 'rename',
    from: `${log}.${index}.gz`,
    to: `${log}.${index + 1}.gz`,
    shift: { rotateCount: 3, logStart: 1, index },
  });
  return {
    log,
    finalName: `${log}.1`,
    prepare: [{ kind: 'stamp', log, time: STAMP }, shift(3), shift(2), shift(1)],
    rotate: [
      { kind: 'rename', from: log, to: `${log}.1` },
      { kind: 'create', path: log, attrs: { mode: 0o644, uid: 0, gid: 0 }, aclFrom: `${log}.1` },
    ],
    finish: [
      { kind: 'compress', from: `${log}.1`, to: `${log}.1.gz`, attrsFrom: `${log}.1` },
      { kind: 'remove', path: `${log}.1`, reason: 'compressed' },
    ],
  };
}

const step = (t: 'intent' | 'done' | 'failed', log: string, action: Action): JournalRecord => ({ t, at, log, action });

/** intent + done for every step before the compression, then the compression's intent. */
function upToCompress(rotation: JournaledRotation): JournalRecord[] {
  const before = [...rotation.prepare, ...rotation.rotate].flatMap((action) => [step('intent', rotation.log, action), step('done', rotation.log, action)]);
  const compress = rotation.finish[0];
  assert.ok(compress?.kind === 'compress');
  return [...before, step('intent', rotation.log, compress)];
}

function compressOf(rotation: JournaledRotation): Action {
  const compress = rotation.finish[0];
  assert.ok(compress !== undefined);
  return compress;
}

const contentOf = (name: string): string => Array.from({ length: 3000 }, (_, i) => `${name} line ${i}\n`).join('');
const olderOf = (name: string): string => `older ${name}\n`;

/** Lays out `names` as they were when the section was recorded (each log and its
 * `.1.gz`); returns the section record's `existing` (inodes by rotation name). */
function before(logs: string, names: readonly string[]): Record<string, number> {
  const existing: Record<string, number> = {};
  for (const name of names) {
    const log = join(logs, name);
    writeFileSync(log, contentOf(name));
    writeFileSync(`${log}.1.gz`, gzipSync(olderOf(name)));
    for (const path of rotationNames(rotationOf(log))) {
      const ino = lstatSync(path, { throwIfNoEntry: false })?.ino;
      if (ino !== undefined) existing[path] = ino;
    }
  }
  return existing;
}

/** What the killed run did to `name` up to its compression: the shift, the rename, the
 * new log, and (`partial`) the first bytes of the compressed file. */
function rotatedUpToCompress(logs: string, name: string, partial: Buffer | null): void {
  const log = join(logs, name);
  // rename(2) keeps the inodes, as the killed run's renames did.
  renameSync(`${log}.1.gz`, `${log}.2.gz`);
  renameSync(log, `${log}.1`);
  writeFileSync(log, '', { mode: 0o644 });
  if (partial !== null) writeFileSync(`${log}.1.gz`, partial);
}

/** A gzip stream cut short, as a killed compression leaves it. */
const partialGzipOf = (name: string): Buffer => gzipSync(contentOf(name)).subarray(0, 40);

function sectionRecord(logs: string, names: readonly string[], existing: Record<string, number>): JournalRecord {
  return { t: 'section', at, pattern: `${logs}/*.log`, options: OPTIONS, rotations: names.map((n) => rotationOf(join(logs, n))), existing };
}

function writeJournal(path: string, records: readonly JournalRecord[]): void {
  writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
}


/** The finished rotation of `name`: the new empty log, its content compressed in .1.gz,
 * the older rotation shifted to .2.gz. */
const finished = (name: string): Record<string, string> => ({
  [name]: '',
  [`${name}.1.gz`]: contentOf(name),
  [`${name}.2.gz`]: olderOf(name),
});

const logLines = (logger: MemoryLogger, severity: 'warning' | 'error'): string[] => logger.lines.filter((l) => l.severity === severity).map((l) => l.text);

test('overlapping run killed with two compressions in flight: both partial files removed, both rotations finished, their state times kept', async () => {
  const dirs = scratch();
  try {
    const names = ['a.log', 'b.log'];
    const [a, b] = names.map((n) => join(dirs.logs, n)) as [string, string];
    const existing = before(dirs.logs, names);
    for (const name of names) rotatedUpToCompress(dirs.logs, name, partialGzipOf(name));
    const [ra, rb] = [rotationOf(a), rotationOf(b)];
    // a's compression was still running when b's began: both intents are open.
    writeJournal(dirs.journal, [
      { t: 'run', at, pid: 1, id: 'killed01', steps: 'overlapping' },
      sectionRecord(dirs.logs, names, existing),
      ...upToCompress(ra),
      ...upToCompress(rb),
    ]);
    const conf = join(dirs.root, 'rotor.conf');
    writeFileSync(conf, `${dirs.logs}/*.log {\n  weekly\n  rotate 3\n  compress\n  create\n}\n`, { mode: 0o644 });

    const io = new CapturedIo();
    assert.equal(await main(['-s', dirs.state, conf], io), 0, io.err);
    assert.deepEqual(io.err.split('\n').filter((l) => l !== ''), [
      `warning: the last run was killed during compress of ${a}: partial ${a}.1.gz removed`,
      `warning: the last run was killed during compress of ${b}: partial ${b}.1.gz removed`,
      `warning: finishing the interrupted rotation of ${a}`,
      `warning: finishing the interrupted rotation of ${b}`,
    ]);
    assert.deepEqual(contents(dirs.logs), { ...finished('a.log'), ...finished('b.log') });
    // The killed run's state times; with `weekly` nothing was rotated again.
    const state = readState(dirs.state);
    assert.equal(state.failed, false);
    assert.deepEqual([...state.entries].sort(), [
      [a, STAMP],
      [b, STAMP],
    ]);

    // Recovery's own steps went to the killed run's records, then the new run's.
    const records = await readJournal(dirs.journal);
    const recover = records.findIndex((r) => r.t === 'recover');
    assert.ok(recover > 0);
    const recovered = records.slice(recover + 1, records.findIndex((r, i) => i > recover && r.t === 'end'));
    const summary = recovered.map((r) => (r.t === 'intent' || r.t === 'done' || r.t === 'failed' ? `${r.t} ${r.action.kind} ${r.log}` : r.t));
    assert.deepEqual(summary, [
      `intent compress ${a}`,
      `done compress ${a}`,
      `intent remove ${a}`,
      `done remove ${a}`,
      `intent compress ${b}`,
      `done compress ${b}`,
      `intent remove ${b}`,
      `done remove ${b}`,
    ]);
    assert.deepEqual(await readLastRun(dirs.journal), [], 'the journal ends with the new run\'s end');
  } finally {
    dirs.cleanup();
  }
});

test('overlapping run with a failed step: that log stays as it was, the other is finished', async () => {
  const dirs = scratch();
  try {
    const names = ['a.log', 'b.log'];
    const [a, b] = names.map((n) => join(dirs.logs, n)) as [string, string];
    const existing = before(dirs.logs, names);
    // a's compression failed (and cleaned up after itself) while b went on; then the
    // run was killed during b's compression.
    rotatedUpToCompress(dirs.logs, 'a.log', null);
    rotatedUpToCompress(dirs.logs, 'b.log', partialGzipOf('b.log'));
    const [ra, rb] = [rotationOf(a), rotationOf(b)];
    const bSteps = upToCompress(rb);
    writeJournal(dirs.journal, [
      { t: 'run', at, pid: 1, id: 'killed02', steps: 'overlapping' },
      sectionRecord(dirs.logs, names, existing),
      ...upToCompress(ra),
      ...bSteps.slice(0, 6),
      step('failed', a, compressOf(ra)),
      ...bSteps.slice(6),
    ]);
    const logger = new MemoryLogger();
    const result = await recoverJournal(dirs.journal, { logger, now: new Date(), mailCommand: '/bin/false', tap: null, runHook: hookRunner('stdout'), ...archiving(dirs.state) });
    assert.deepEqual(logLines(logger, 'warning'), [
      `the last run was killed during compress of ${b}: partial ${b}.1.gz removed`,
      `finishing the interrupted rotation of ${b}`,
    ]);
    assert.deepEqual(logLines(logger, 'error'), []);
    assert.equal(result.failed, false);
    assert.deepEqual([...result.stamps], [[b, STAMP]]);
    assert.deepEqual(contents(dirs.logs), {
      'a.log': '',
      'a.log.1': contentOf('a.log'),
      'a.log.2.gz': olderOf('a.log'),
      ...finished('b.log'),
    });
  } finally {
    dirs.cleanup();
  }
});

test('journal of an older version (run without steps): only the last open intent was in flight, an earlier open one had failed', async () => {
  const dirs = scratch();
  try {
    const names = ['a.log', 'b.log'];
    const [a, b] = names.map((n) => join(dirs.logs, n)) as [string, string];
    const existing = before(dirs.logs, names);
    for (const name of names) rotatedUpToCompress(dirs.logs, name, partialGzipOf(name));
    writeJournal(dirs.journal, [
      { t: 'run', at, pid: 1, id: 'oldfmt01' },
      sectionRecord(dirs.logs, names, existing),
      ...upToCompress(rotationOf(a)),
      ...upToCompress(rotationOf(b)),
    ]);
    const logger = new MemoryLogger();
    const result = await recoverJournal(dirs.journal, { logger, now: new Date(), mailCommand: '/bin/false', tap: null, runHook: hookRunner('stdout'), ...archiving(dirs.state) });
    assert.deepEqual(logLines(logger, 'warning'), [
      `the last run was killed during compress of ${b}: partial ${b}.1.gz removed`,
      `finishing the interrupted rotation of ${b}`,
    ]);
    assert.deepEqual([...result.stamps], [[b, STAMP]]);
    // a is left exactly as the old rule says its failed step left it, partial file included.
    assert.deepEqual(readFileSync(`${a}.1.gz`), partialGzipOf('a.log'));
    assert.equal(readFileSync(`${a}.1`, 'utf8'), contentOf('a.log'));
    assert.equal(readFileSync(a, 'utf8'), '');
    assert.equal(gunzipSync(readFileSync(`${a}.2.gz`)).toString(), olderOf('a.log'));
    assert.deepEqual(readdirSync(dirs.logs).sort(), ['a.log', 'a.log.1', 'a.log.1.gz', 'a.log.2.gz', 'b.log', 'b.log.1.gz', 'b.log.2.gz']);
    assert.equal(gunzipSync(readFileSync(`${b}.1.gz`)).toString(), contentOf('b.log'));
  } finally {
    dirs.cleanup();
  }
});

test('audit rows of interleaved intents, done and failed records, old and new journals', () => {
  const compress = (log: string): Action => ({ kind: 'compress', from: `${log}.1`, to: `${log}.1.gz`, attrsFrom: `${log}.1` });
  const rename = (log: string): Action => ({ kind: 'rename', from: log, to: `${log}.1` });
  const create = (log: string): Action => ({ kind: 'create', path: log, attrs: { mode: 0o640, uid: 0, gid: 4 } });
  const records: JournalRecord[] = [
    { t: 'run', at, pid: 1, id: 'run00001', steps: 'overlapping' },
    step('intent', '/l/a', compress('/l/a')),
    step('intent', '/l/b', rename('/l/b')),
    step('done', '/l/b', rename('/l/b')),
    step('intent', '/l/b', compress('/l/b')),
    step('failed', '/l/a', compress('/l/a')),
    step('intent', '/l/c', compress('/l/c')),
    step('done', '/l/c', compress('/l/c')),
    step('done', '/l/b', compress('/l/b')),
    { t: 'end', at },
    // Killed with two compressions open: both interrupted, one finished by recovery.
    { t: 'run', at, pid: 2, id: 'run00002', steps: 'overlapping' },
    step('intent', '/l/a', compress('/l/a')),
    step('intent', '/l/b', compress('/l/b')),
    step('intent', '/l/c', compress('/l/c')),
    step('done', '/l/b', compress('/l/b')),
    { t: 'recover', at, pid: 3 },
    step('intent', '/l/a', compress('/l/a')),
    step('done', '/l/a', compress('/l/a')),
    step('intent', '/l/c', compress('/l/c')),
    step('failed', '/l/c', compress('/l/c')),
    { t: 'end', at, recovered: true },
    // Older journal: an intent followed by another one had failed.
    { t: 'run', at, pid: 4, id: 'run00003' },
    step('intent', '/l/a', rename('/l/a')),
    step('intent', '/l/a', create('/l/a')),
    step('done', '/l/a', create('/l/a')),
    step('intent', '/l/b', rename('/l/b')),
  ];
  // As `logrotor journal` reads them: the older journal's records upgraded.
  const read = parseJournal(records.map((r) => JSON.stringify(r)).join('\n'));
  const rows = auditRows(read).map((r) => `${r.run} ${r.log} ${r.action.split(' ')[0] ?? ''} ${r.outcome}${r.recovery ? ' (recovery)' : ''}`);
  assert.deepEqual(rows, [
    'run00001 /l/a compress failed',
    'run00001 /l/b rename done',
    'run00001 /l/b compress done',
    'run00001 /l/c compress done',
    'run00002 /l/a compress interrupted',
    'run00002 /l/b compress done',
    'run00002 /l/c compress interrupted',
    'run00002 /l/a compress done (recovery)',
    'run00002 /l/c compress failed (recovery)',
    'run00003 /l/a rename failed',
    'run00003 /l/a create done',
    'run00003 /l/b rename interrupted',
  ]);
});

test('readLastRun: [] after an ended run whatever the size; the last run whole, even when it starts before the last 64 KiB', async () => {
  const dirs = scratch();
  try {
    const path = dirs.journal;
    const padding = '/very/long/path/'.repeat(8);
    const filler = (n: number): JournalRecord => step('done', `${padding}${n}.log`, { kind: 'rename', from: `${padding}${n}.log`, to: `${padding}${n}.log.1` });
    const ended = (id: number): JournalRecord[] => [{ t: 'run', at, pid: id, id: `e${id}` }, filler(id), { t: 'end', at }];
    const text = (records: readonly JournalRecord[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join('');

    assert.deepEqual(await readLastRun(path), [], 'no journal');
    const history = Array.from({ length: 400 }, (_, i) => ended(i)).flat();
    writeFileSync(path, text(history));
    assert.ok(lstatSync(path).size > 128 * 1024);
    assert.deepEqual(await readLastRun(path), []);

    // A killed run after them, small: exactly its records.
    const killed: JournalRecord[] = [{ t: 'run', at, pid: 9, id: 'killed', steps: 'overlapping' }, filler(1), step('intent', '/l/a', { kind: 'rename', from: '/l/a', to: '/l/a.1' })];
    writeFileSync(path, text([...history, ...killed]));
    assert.deepEqual(await readLastRun(path), parseJournal(text(killed)));
    // ... with a torn last line.
    appendFileSync(path, '{"t":"done","at":"2026');
    assert.deepEqual(await readLastRun(path), parseJournal(text(killed)));

    // A killed run whose own records are more than 64 KiB: its start is read too.
    const long: JournalRecord[] = [{ t: 'run', at, pid: 10, id: 'longrun', steps: 'overlapping' }, ...Array.from({ length: 600 }, (_, i) => filler(i))];
    const longText = text(long);
    assert.ok(Buffer.byteLength(longText) > 64 * 1024 + 1024);
    writeFileSync(path, text(history) + longText);
    const got = await readLastRun(path);
    assert.equal(got.length, long.length);
    assert.deepEqual(got, parseJournal(longText));

    // The 64 KiB cut falling exactly at the start of the last run's `run` line: the tail
    // read first has no `run` line at all.
    const runLine = `${JSON.stringify({ t: 'run', at, pid: 11, id: 'atcut' })}\n`;
    let tailRecords = '';
    for (let n = 0; Buffer.byteLength(runLine + tailRecords) < 64 * 1024 - 1024; n++) tailRecords += `${JSON.stringify(filler(n))}\n`;
    // One last record, its log name padded to fill the 64 KiB exactly.
    const padded = (k: number): string => `${JSON.stringify(step('done', `/${'x'.repeat(k)}`, { kind: 'remove', path: '/p', reason: 'compressed' }))}\n`;
    const deficit = 64 * 1024 - Buffer.byteLength(runLine + tailRecords);
    tailRecords += padded(deficit - Buffer.byteLength(padded(0)));
    assert.equal(Buffer.byteLength(runLine + tailRecords), 64 * 1024, 'the run line starts exactly 64 KiB from the end');
    writeFileSync(path, text(history) + runLine + tailRecords);
    const atCut = await readLastRun(path);
    assert.equal(atCut[0]?.t, 'run');
    assert.deepEqual(atCut, parseJournal(runLine + tailRecords));
  } finally {
    dirs.cleanup();
  }
});

test('the first step after a section\'s firstaction is synced, even when an earlier section\'s finishing steps write records meanwhile', async () => {
  const dirs = scratch();
  const probe = await openHandle(join(dirs.root, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { datasync(this: FileHandle): Promise<void> };
  await probe.close();
  const original = proto.datasync;
  /** The journal's last record at each datasync: the record that call makes durable. */
  const synced: string[] = [];
  proto.datasync = function (this: FileHandle): Promise<void> {
    const last = parseJournal(readFileSync(dirs.journal, 'utf8')).at(-1);
    synced.push(last === undefined ? '?' : last.t === 'intent' || last.t === 'done' || last.t === 'failed' ? `${last.t} ${last.action.kind} ${last.log}` : last.t);
    return original.call(this);
  };
  try {
    const [a, b] = [join(dirs.logs, 'a.log'), join(dirs.logs, 'b.log')];
    const [ra, rb] = [rotationOf(a), rotationOf(b)];
    const journal = await Journal.open(dirs.journal);
    await journal.section(sectionPlan([a], [rotation(ra)], { compress: true }));
    for (const action of [...ra.prepare, ...ra.rotate]) {
      await journal.before(action, a);
      await journal.after(action, a);
    }
    await journal.before(compressOf(ra), a);
    // The next section has a firstaction script; a's compression goes on in the background.
    const second = journal.section(sectionPlan([b], [rotation(rb)], { compress: true, scripts: { firstaction: script('true') } }));
    await journal.after(compressOf(ra), a);
    await journal.before(ra.finish[1] ?? compressOf(ra), a);
    await second;
    await journal.after(ra.finish[1] ?? compressOf(ra), a);
    // firstaction ran (it waits for every background step); b's first step comes next.
    await journal.before(rb.prepare[0] ?? compressOf(rb), b);
    await journal.close();
    assert.deepEqual(synced, ['run', 'section', 'section', `intent stamp ${b}`, 'end']);
  } finally {
    proto.datasync = original;
    dirs.cleanup();
  }
});

/** A recovery's archive side: nothing archives in these configs. */
function archiving(statePath: string): { archiver: LiveArchiver; tally: RunTally } {
  const tally = new RunTally();
  return { archiver: new LiveArchiver({ statePath, host: 'test', now: new Date() }, tally), tally };
}
