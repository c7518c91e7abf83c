// kill -9 of real runs whose finishing steps overlap: 30 compressed logs in one section
// and 5 in a second directory, the run killed after every STRIDE-th journal record, so
// that most kills land with several compressions (or removals) in flight; then a normal
// run, which must settle each of them and finish every rotation. Every line written to
// any log must then be found exactly once across the rotated files and the live logs,
// with no partial or leftover file, exit 0 and a valid state file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readJournal } from '../../src/journal/reader.js';
import { journalPath, stepKey, type JournalRecord } from '../../src/journal/records.js';
import { readState } from '../../src/state/store.js';
import { CRASHING_CLI } from '../helpers/crashing-cli.js';

const MAIN_LOGS = Array.from({ length: 30 }, (_, i) => `l${String(i + 1).padStart(2, '0')}.log`);
const OTHER_LOGS = Array.from({ length: 5 }, (_, i) => `o${i + 1}.log`);
const LINES_PER_ROUND = 1500;
/** Kill after record STRIDE, 2·STRIDE, …: about 43 kills over a run of ~570 records. */
const STRIDE = 13;

interface Run {
  readonly status: number | null;
  readonly stderr: string;
}

function logrotor(args: readonly string[], crashAt: string): Run {
  const env = { ...process.env, LOGROTOR_CRASH_AFTER_RECORD: crashAt };
  const run = spawnSync(process.execPath, [CRASHING_CLI, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stderr: run.stderr };
}

const ROTATED = /^[lo]\d+\.log\.\d+\.gz$/;

/** Records of the journal's last run (from its `run` line). */
function lastRun(records: readonly JournalRecord[]): readonly JournalRecord[] {
  const start = records.map((r) => r.t).lastIndexOf('run');
  return start < 0 ? [] : records.slice(start);
}

/** The steps begun and neither done nor failed: those in flight at the kill. */
type Step = Extract<JournalRecord, { t: 'intent' | 'done' | 'failed' }>;

function openIntents(run: readonly JournalRecord[]): Step[] {
  const closed = new Set(run.flatMap((r) => (r.t === 'done' || r.t === 'failed' ? [stepKey(r.log, r.action)] : [])));
  return run.filter((r): r is Step => r.t === 'intent' && !closed.has(stepKey(r.log, r.action)));
}

test('kill -9 after every 13th record of a run with overlapping compressions, then a normal run: every line exactly once', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-overlap-crash-'));
  try {
    chmodSync(root, 0o700);
    const dirs = { main: join(root, 'logs'), other: join(root, 'other') };
    for (const dir of Object.values(dirs)) mkdirSync(dir, { mode: 0o755 });
    const logs = [...MAIN_LOGS.map((n) => join(dirs.main, n)), ...OTHER_LOGS.map((n) => join(dirs.other, n))];
    const conf = join(root, 'rotor.conf');
    const state = join(root, 'state');
    const section = (dir: string): string => `${dir}/*.log {\n  rotate 3\n  compress\n  create\n}\n`;
    writeFileSync(conf, section(dirs.main) + section(dirs.other), { mode: 0o644 });

    /** Every line written, by log; and the text of rotations taken out of the tree. */
    const written = new Map<string, string[]>(logs.map((l) => [l, []]));
    const shelved = new Map<string, string[]>(logs.map((l) => [l, []]));
    let round = 0;
    const feed = (): void => {
      for (const log of logs) {
        const lines = Array.from({ length: LINES_PER_ROUND }, (_, i) => `${log} round ${round} line ${i}`);
        written.get(log)?.push(...lines);
        appendFileSync(log, `${lines.join('\n')}\n`);
      }
      round++;
    };
    /** Checks the tree and takes the rotations out of it (keeping their text), so that
     * none is ever expired by rotate 3. */
    const auditAndShelve = (when: string): void => {
      for (const dir of Object.values(dirs)) {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (logs.includes(path)) continue;
          assert.match(name, ROTATED, `${when}: leftover ${name}`);
          const log = path.replace(/\.\d+\.gz$/, '');
          // gunzip throws on a partial or corrupt file.
          shelved.get(log)?.push(gunzipSync(readFileSync(path)).toString('utf8'));
          unlinkSync(path);
        }
      }
    };

    // First a whole run, to count its records (every later run has as many).
    feed();
    const full = logrotor(['-f', '-s', state, conf], '');
    assert.equal(full.status, 0, full.stderr);
    const records = lastRun(await readJournal(journalPath(state))).length;
    // Each log's rotation: stamp, rename, create, compress, remove, each an intent and a done.
    assert.ok(records >= 10 * logs.length, `a full run wrote ${records} records`);
    auditAndShelve('after the first run');

    let mostInFlight = 0;
    let killsWithSeveral = 0;
    let kills = 0;
    for (let crashAt = STRIDE; crashAt < records; crashAt += STRIDE) {
      const when = `kill after record ${crashAt}`;
      feed();
      const killed = logrotor(['-f', '-s', state, conf], String(crashAt));
      assert.equal(killed.status, null, `${when}: the run was not killed\n${killed.stderr}`);
      kills++;
      const run = lastRun(await readJournal(journalPath(state)));
      assert.equal(run.length, crashAt, when);
      const inFlight = openIntents(run);
      mostInFlight = Math.max(mostInFlight, inFlight.length);
      if (inFlight.length >= 2) killsWithSeveral++;

      const next = logrotor(['-s', state, conf], '');
      assert.equal(next.status, 0, `${when}: ${next.stderr}`);
      const stderr = next.stderr.split('\n').filter((l) => l !== '');
      assert.deepEqual(stderr.filter((l) => l.startsWith('error:')), [], when);
      // One settling line per step in flight, no more, no less.
      const settled = stderr.filter((l) => l.startsWith('warning: the last run was killed during ')).sort();
      assert.deepEqual(settled.map((l) => / during ([\w-]+) of (\S+): /.exec(l)?.slice(1).join(' ')), inFlight.map((r) => `${r.action.kind} ${r.log}`).sort(), when);
      const ended = lastRun(await readJournal(journalPath(state))).at(-1);
      assert.equal(ended?.t, 'end', when);
      const stored = readState(state);
      assert.equal(stored.failed, false, when);
      assert.deepEqual([...stored.entries.keys()].sort(), [...logs].sort(), when);
      auditAndShelve(when);
    }
    // The kills did land among overlapping steps.
    t.diagnostic(`most steps in flight at a kill: ${mostInFlight}; kills with several: ${killsWithSeveral} of ${kills}`);
    assert.ok(mostInFlight >= 2 && killsWithSeveral >= kills / 4, `most steps in flight at a kill: ${mostInFlight}, kills with several: ${killsWithSeveral}`);

    for (const log of logs) {
      const found = [...(shelved.get(log) ?? []), readFileSync(log, 'utf8')].join('').split('\n').filter((l) => l !== '');
      const expected = written.get(log) ?? [];
      const seen = new Map<string, number>();
      for (const line of found) seen.set(line, (seen.get(line) ?? 0) + 1);
      const lost = expected.filter((line) => !seen.has(line));
      const twice = [...seen].filter(([, n]) => n > 1).map(([line]) => line);
      const foreign = [...seen.keys()].filter((line) => !line.startsWith(`${log} round `));
      assert.deepEqual({ lost: lost.length, twice: twice.length, foreign }, { lost: 0, twice: 0, foreign: [] }, `${log}: lost ${lost.slice(0, 3).join(' | ')}; twice ${twice.slice(0, 3).join(' | ')}`);
      assert.equal(found.length, expected.length, log);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
