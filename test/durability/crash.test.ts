// kill -9 at every kind of journal record of real rotations (the journal's test hook
// kills the process right after a chosen record), and at random moments of a multi-MB
// compression, under a live writer; then normal runs. Every line must be there exactly
// once (rotations, .gz included, the live log and any `.backup` a racing writer caused),
// with no partial file left and a valid state file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { account, backups, delays, fillerLines, history, killedAfter, scratch, startWriter, withFilesystem, type WriterMode } from './fixtures.js';
import { CRASHING_CLI } from '../helpers/crashing-cli.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

interface Run {
  readonly status: number | null;
  readonly stderr: string;
}

/** One logrotor run, killed after the record `crashAt` names ('' = not killed). */
function logrotor(conf: string, state: string, crashAt: string): Run {
  const env = { ...process.env, LOGROTOR_CRASH_AFTER_RECORD: crashAt };
  const run = spawnSync(process.execPath, [CRASHING_CLI, '-f', '-s', state, conf], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stderr: run.stderr };
}

/** The race of a writer that reopens by path with `create`, in logrotate too: the
 * writer makes the log again between the rename and the creation, which then moves it
 * aside (lines kept) and may find it back once more (exit 1). */
const CREATE_RACE = /^error: (destination \S+ already exists, renaming to \S+\.backup|error creating output file \S+: File exists)$/;

/** True when the run was killed; otherwise it must have ended normally (recovery
 * warnings are fine, errors are not, but for the `create` race). */
function killedOrClean(run: Run, race: boolean): boolean {
  if (run.status === null) return true;
  const errors = run.stderr.split('\n').filter((line) => line.startsWith('error:'));
  if (race && errors.length > 0 && errors.every((line) => CREATE_RACE.test(line))) return false;
  assert.equal(run.status, 0, `run failed:\n${run.stderr}`);
  assert.deepEqual(errors, []);
  return false;
}

function cleanRun(conf: string, state: string, race: boolean): void {
  assert.equal(killedOrClean(logrotor(conf, state, ''), race), false);
}

interface Scenario {
  readonly name: string;
  readonly directives: string;
  readonly writer: WriterMode;
  /** The writer races `create` (see CREATE_RACE). */
  readonly race?: true;
  /** Journal records to kill at, in rotation order. */
  readonly points: readonly string[];
}

const steps = (...kinds: string[]): string[] => kinds.flatMap((kind) => [`intent:${kind}`, `done:${kind}`]);
const BEGIN = ['run', 'section', ...steps('stamp', 'shift-gap')];

/** postrotate of a daemon that reopens on SIGHUP: waits until it did (at most 5 s). */
function reopenScript(pid: number, marker: string): string {
  return [
    'postrotate',
    `  n=$(cat ${marker} 2>/dev/null); kill -HUP ${pid}; i=0`,
    `  while [ "$(cat ${marker} 2>/dev/null)" = "$n" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done`,
    'endscript',
  ].join('\n');
}

const SCENARIOS: readonly Scenario[] = [
  // A writer that reopens by path for every write recreates the log as soon as it is
  // renamed; recovery must keep that file as the live log.
  { name: 'create (writer reopening by path)', directives: 'create', writer: 'reopen', race: true, points: [...BEGIN, ...steps('rename', 'create')] },
  // A daemon keeps its descriptor, writing into the renamed file until postrotate's HUP:
  // compression must wait for that, in recovery too.
  { name: 'create + compress (daemon reopening on SIGHUP)', directives: 'create\n  compress', writer: 'hup', points: [...BEGIN, ...steps('rename', 'create', 'compress', 'remove')] },
  { name: 'copytruncate + compress', directives: 'copytruncate\n  compress', writer: 'append', points: [...BEGIN, ...steps('copy', 'compress', 'remove')] },
  { name: 'copytruncate (writer reopening by path)', directives: 'copytruncate', writer: 'reopen', points: [...BEGIN, ...steps('copy')] },
];

const ROTATED = /^app\.log(\.\d+(\.gz)?|-\d{10}(-\d+)?\.backup)?$/;

/** Lines lost, duplicated or torn, and files that should not be there. */
function audit(dir: string, state: string, count: number, filler: number, shelved: readonly string[]): void {
  assert.deepEqual(account([...shelved, history(dir, 'app.log'), backups(dir, 'app.log')], count, filler), { lost: 0, duplicated: 0, garbage: 0 });
  assert.deepEqual(readdirSync(dir).filter((f) => !ROTATED.test(f) && f !== 'lost+found'), []);
  assert.match(readFileSync(state, 'utf8'), /^logrotate state -- version 2\n"/);
}

const index = (name: string): number => Number(name.split('.')[2]);

/** Takes the finished rotations out of the log directory, keeping their text: no more
 * than `rotate 3` rotations pile up between two calls, so none is ever deleted. */
function shelf(dir: string): { shelve(): void; texts(): readonly string[] } {
  const kept: string[] = [];
  return {
    shelve() {
      // Oldest first: copytruncate may split a line between a rotation and the next.
      const names = readdirSync(dir).filter((n) => /^app\.log\.\d+(\.gz)?$/.test(n));
      for (const name of names.sort((a, b) => index(b) - index(a))) {
        const data = readFileSync(join(dir, name));
        kept.push((name.endsWith('.gz') ? gunzipSync(data) : data).toString('latin1'));
        unlinkSync(join(dir, name));
      }
    },
    texts: () => kept,
  };
}

/** `body` returns how many filler lines it appended to the log; it may call `shelve`
 * between runs. */
async function withScenario(
  scenario: Scenario,
  body: (conf: string, state: string, log: string, shelve: () => void) => Promise<number>,
): Promise<void> {
  const dirs = scratch();
  try {
    const ran = await withFilesystem(dirs.root, 'ext4', 256, async (dir) => {
      const log = join(dir, 'app.log');
      const conf = join(dirs.root, 'rotor.conf');
      const state = join(dirs.root, 'state');
      const marker = join(dirs.root, 'reopened');
      const writer = await startWriter(log, scenario.writer, 16, 2, marker);
      let count = 0;
      let filler = 0;
      const shelved = shelf(dir);
      try {
        const hook = scenario.writer === 'hup' ? `\n  ${reopenScript(writer.child.pid ?? 0, marker)}` : '';
        writeFileSync(conf, `${log} {\n  ${scenario.directives}\n  rotate 3${hook}\n}\n`, { mode: 0o644 });
        filler = await body(conf, state, log, () => shelved.shelve());
      } finally {
        count = await writer.stop();
      }
      audit(dir, state, count, filler, shelved.texts());
    });
    assert.notEqual(ran, null, 'could not mount ext4');
  } finally {
    dirs.cleanup();
  }
}

for (const scenario of SCENARIOS) {
  test(`${scenario.name}: kill -9 after each kind of journal record, again during recovery, then a normal run`, async () => {
    await withScenario(scenario, async (conf, state, _log, shelve) => {
      scenario.points.forEach((point, index) => {
        const race = scenario.race === true;
        // Racing, the creation may fail before its record is written.
        assert.ok(killedOrClean(logrotor(conf, state, point), race) || race, `run killed after ${point}`);
        // The next run recovers, and is itself killed at the next record (during
        // recovery or its own rotation), which the run after must recover as well.
        killedOrClean(logrotor(conf, state, scenario.points[index + 1] ?? ''), race);
        cleanRun(conf, state, scenario.race === true);
        shelve();
      });
      return 0;
    });
  });
}

for (const scenario of [SCENARIOS[1], SCENARIOS[2]] as const) {
  test(`${scenario?.name}: kill -9 at random moments while a multi-MB log is compressed`, async () => {
    assert.ok(scenario !== undefined);
    await withScenario(scenario, async (conf, state, log, shelve) => {
      const times = delays(0x5eed + scenario.name.length, 400);
      const rounds = 4;
      const lines = 100_000;
      for (let round = 0; round < rounds; round++) {
        // 6 MB appended at once: the compression takes a few hundred ms.
        writeFileSync(log, fillerLines(round * lines, lines), { flag: 'a' });
        await killedAfter([CLI, '-f', '-s', state, conf], 100 + (times.next().value ?? 0));
        cleanRun(conf, state, false);
        shelve();
      }
      return rounds * lines;
    });
  });
}

test('recovery compresses with the section compresscmd (xz), whichever step the run was killed after', () => {
  const dirs = scratch();
  try {
    const log = join(dirs.logs, 'app.log');
    const conf = join(dirs.root, 'rotor.conf');
    const state = join(dirs.root, 'state');
    writeFileSync(conf, `${log} {\n  create\n  compress\n  compresscmd /usr/bin/xz\n  compressext .xz\n  rotate 3\n}\n`, { mode: 0o644 });
    const points = ['done:rename', 'intent:compress', 'done:compress'];
    points.forEach((point, index) => {
      const content = `killed after ${point}\n`.repeat(1000);
      writeFileSync(log, content);
      assert.equal(logrotor(conf, state, point).status, null);
      const next = spawnSync(process.execPath, [CLI, '-s', state, conf], { encoding: 'utf8' });
      assert.equal(next.status, 0, next.stderr);
      assert.match(next.stderr, new RegExp(`finishing the interrupted rotation of ${log}`));
      // One rotation per point, the newest holding this round's content.
      const rotated = Array.from({ length: index + 1 }, (_, k) => `app.log.${k + 1}.xz`);
      assert.deepEqual(readdirSync(dirs.logs).sort(), ['app.log', ...rotated]);
      assert.equal(spawnSync('xz', ['-dc', join(dirs.logs, 'app.log.1.xz')], { encoding: 'utf8' }).stdout, content);
    });
  } finally {
    dirs.cleanup();
  }
});
