// kill -9 during a purge (issue 11: "kill -9 during a purge leaves nothing half done
// after the next run"). A log that is not due, whose rotations are over `maxtotalsize`,
// removed with `shred` and a preremove script: the run is killed after each record its
// journal writes, and at random moments of the purge (timed from its first preremove:
// on a loaded machine node may take longer than any fixed delay to start). The next run
// must finish the removals the killed run decided (even after the budget was raised in
// between: what was decided is carried out, not decided afresh), run preremove once per
// removed file at record boundaries, and leave the rotations it keeps byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delays, scratch } from './fixtures.js';
import { CRASHING_CLI } from '../helpers/crashing-cli.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

const ROTATIONS = 8;
/** .4 … .8 are over the budget (3 rotations fit), oldest first. */
const REMOVED = ['app.log.8', 'app.log.7', 'app.log.6', 'app.log.5', 'app.log.4'];
const KEPT = ['app.log', 'app.log.1', 'app.log.2', 'app.log.3'];

interface Tree {
  readonly dir: string;
  readonly conf: string;
  readonly state: string;
  readonly preremoved: string;
  /** Each file's content as made. */
  readonly contents: ReadonlyMap<string, string>;
  /** Sets the budget in the config (the size of one rotation is `size`). */
  budget(bytes: number): void;
  /** The next preremove SIGKILLs the run after `ms` (then it is disarmed). */
  armKill(ms: number): void;
  cleanup(): void;
}

/** A live log and ROTATIONS rotations of `size` bytes each, the higher the older. */
function tree(size: number): Tree {
  const dirs = scratch();
  const contents = new Map<string, string>();
  const now = Date.now() / 1000;
  for (let n = 0; n <= ROTATIONS; n++) {
    const name = n === 0 ? 'app.log' : `app.log.${n}`;
    const line = `${name} `.padEnd(99, n.toString(36)) + '\n';
    const text = line.repeat(Math.ceil(size / line.length)).slice(0, size);
    writeFileSync(join(dirs.logs, name), text);
    utimesSync(join(dirs.logs, name), now - n * 3600, now - n * 3600);
    contents.set(name, text);
  }
  const conf = join(dirs.root, 'rotor.conf');
  const preremoved = join(dirs.root, 'preremoved');
  const armed = join(dirs.root, 'kill-after');
  // $PPID is the run (hooks are `/bin/sh -c` children of it), also in the subshell.
  const killer = `    if [ -f ${armed} ]; then d=$(cat ${armed}); rm -f ${armed}; (sleep $d; kill -9 $PPID) >/dev/null 2>&1 & fi\n`;
  const budget = (bytes: number): void =>
    writeFileSync(
      conf,
      `${join(dirs.logs, 'app.log')} {\n  size 1G\n  rotate 20\n  maxtotalsize ${bytes}\n  shred\n` +
        `  preremove\n    echo "$1" >> ${preremoved}\n${killer}  endscript\n}\n`,
      { mode: 0o644 },
    );
  const armKill = (ms: number): void => writeFileSync(armed, (ms / 1000).toFixed(3));
  return { dir: dirs.logs, conf, state: join(dirs.root, 'state'), preremoved, contents, budget, armKill, cleanup: dirs.cleanup };
}

/** A run killed right after its journal's record number `record`: true if it was. */
function killedAfterRecord(t: Tree, record: number): boolean {
  const env = { ...process.env, LOGROTOR_CRASH_AFTER_RECORD: String(record) };
  const run = spawnSync(process.execPath, [CRASHING_CLI, '-s', t.state, t.conf], { env, encoding: 'utf8', timeout: 60_000 });
  if (run.status === null) return true;
  assert.equal(run.status, 0, run.stderr);
  return false;
}

function cleanRun(t: Tree): string {
  const run = spawnSync(process.execPath, [CLI, '-s', t.state, t.conf], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(run.stderr.split('\n').filter((line) => line.startsWith('error:')), []);
  return run.stderr;
}

function preremoved(t: Tree): string[] {
  try {
    return readFileSync(t.preremoved, 'utf8').split('\n').filter(Boolean).map((path) => path.slice(t.dir.length + 1));
  } catch {
    return [];
  }
}

/** Exactly the kept files, each as it was made, and a valid state file. */
function assertFinished(t: Tree): void {
  assert.deepEqual(readdirSync(t.dir).sort(), KEPT);
  for (const name of KEPT) assert.equal(readFileSync(join(t.dir, name), 'utf8'), t.contents.get(name), `${name} changed`);
  assert.match(readFileSync(t.state, 'utf8'), /^logrotate state -- version 2\n"/);
}

// The records of the purge run: run, section, then intent and done of each removal,
// then end. Killed after each (the last kill comes after the last removal's `done`).
const RECORDS = 2 + 2 * REMOVED.length;

test('maxtotalsize with shred and preremove: kill -9 after each journal record, the budget raised, then a normal run', () => {
  for (let record = 2; record <= RECORDS; record++) {
    const t = tree(64 * 1024);
    try {
      t.budget(200 * 1024);
      assert.ok(killedAfterRecord(t, record), `run not killed after record ${record}`);
      // Raised so far that a fresh decision would remove nothing: what is removed now
      // is what the killed run decided.
      t.budget(100 * 1024 * 1024);
      const stderr = cleanRun(t);
      if (record < RECORDS) assert.match(stderr, /finishing the interrupted rotation of \S+\/app\.log$/m, `record ${record}`);
      assertFinished(t);
      assert.deepEqual(preremoved(t), REMOVED, `preremove after a kill after record ${record}`);
    } finally {
      t.cleanup();
    }
  }
});

test('maxtotalsize with shred and preremove: kill -9 after each journal record, again in the recovery, then a normal run', () => {
  for (let record = 2; record < RECORDS; record++) {
    const t = tree(64 * 1024);
    try {
      t.budget(200 * 1024);
      assert.ok(killedAfterRecord(t, record), `run not killed after record ${record}`);
      // The recovering run is killed after its own second record: its `recover` record,
      // then the intent of the first step it finishes.
      assert.ok(killedAfterRecord(t, 2), `recovery not killed (record ${record})`);
      cleanRun(t);
      assertFinished(t);
      assert.deepEqual(preremoved(t), REMOVED, `preremove after a kill after record ${record}`);
    } finally {
      t.cleanup();
    }
  }
});

test('maxtotalsize with shred: kill -9 at random moments while 4 MB rotations are shredded, then a normal run', () => {
  const times = delays(0x9e3779b9, 600);
  let killed = 0;
  for (let round = 0; round < 6; round++) {
    const t = tree(4 * 1024 * 1024);
    try {
      t.budget(13 * 1024 * 1024);
      t.armKill(times.next().value ?? 0);
      const run = spawnSync(process.execPath, [CLI, '-s', t.state, t.conf], { encoding: 'utf8', timeout: 60_000 });
      if (run.status === null) killed++;
      else assert.equal(run.status, 0, run.stderr);
      cleanRun(t);
      assertFinished(t);
      // A kill between the script and its removal runs the script again: at least once.
      assert.deepEqual([...new Set(preremoved(t))], REMOVED, `round ${round}`);
    } finally {
      t.cleanup();
    }
  }
  // Kills that all came after the purge would test nothing.
  assert.ok(killed > 0, 'no run was killed');
});
