// A power loss can take the step records the journal does not sync while the renames
// they describe are already on disk. Simulated here: the run is killed after each of
// its records, then its journal is cut back to the records that were synced (run and
// section: the config has no scripts). The next run must finish the rotation from the disk alone,
// and end with exactly the chain a complete rotation gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseJournal } from '../../src/journal/reader.js';
import type { JournalRecord } from '../../src/journal/records.js';
import { contents } from '../helpers/contents.js';
import { CRASHING_CLI } from '../helpers/crashing-cli.js';

/** The records synced for a config without scripts. */
const SYNCED: ReadonlySet<string> = new Set(['run', 'section', 'recover', 'end']);


function run(conf: string, state: string, crashAt: string): number | null {
  const env = { ...process.env, LOGROTOR_CRASH_AFTER_RECORD: crashAt };
  return spawnSync(process.execPath, [CRASHING_CLI, '-s', state, conf], { env, encoding: 'utf8', timeout: 30_000 }).status;
}

/** Keeps what a power loss leaves of the journal: its synced records. */
function dropUnsynced(journal: string, synced: (record: JournalRecord) => boolean): void {
  const kept = readFileSync(journal, 'utf8')
    .split('\n')
    .filter((line) => {
      const record = parseJournal(line)[0];
      return record !== undefined && synced(record);
    });
  writeFileSync(journal, kept.map((line) => `${line}\n`).join(''));
}


interface Case {
  readonly name: string;
  /** Old rotations present before the run: .1.gz … .N.gz */
  readonly old: number;
  readonly expected: Record<string, string>;
}

const CASES: readonly Case[] = [
  { name: 'rotate 3 with .1-.3 present', old: 3, expected: { 'app.log': '', 'app.log.1.gz': 'L0\n', 'app.log.2.gz': 'R1\n', 'app.log.3.gz': 'R2\n' } },
  // rotate lowered from 4: the first shift overwrites the existing .4.gz, which goes.
  { name: 'rotate 3 with .1-.4 present (the first shift overwrites)', old: 4, expected: { 'app.log': '', 'app.log.1.gz': 'L0\n', 'app.log.2.gz': 'R1\n', 'app.log.3.gz': 'R2\n' } },
];

for (const c of CASES) {
  test(`power loss after each record (${c.name}): the next run finishes the rotation from the disk`, () => {
    const root = mkdtempSync(join(tmpdir(), 'logrotor-power-'));
    try {
      const dir = join(root, 'logs');
      const conf = join(root, 'rotor.conf');
      const state = join(root, 'state');
      writeFileSync(conf, `${dir}/app.log {\n  daily\n  rotate 3\n  compress\n  create 0640\n}\n`, { mode: 0o644 });
      let points = 0;
      for (let point = 1; ; point++) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { mode: 0o755 });
        writeFileSync(join(dir, 'app.log'), 'L0\n');
        for (let i = 1; i <= c.old; i++) writeFileSync(join(dir, `app.log.${i}.gz`), gzipSync(`R${i}\n`));
        writeFileSync(state, `logrotate state -- version 2\n"${dir}/app.log" 2000-1-1-0:0:0\n`);
        rmSync(`${state}.journal`, { force: true });
        const status = run(conf, state, String(point));
        if (status !== null) break; // the run wrote fewer records than `point`: done
        points++;
        dropUnsynced(`${state}.journal`, (record) => SYNCED.has(record.t));
        assert.equal(run(conf, state, ''), 0, `recovery after record ${point}`);
        assert.deepEqual(contents(dir), c.expected, `after record ${point}`);
        assert.ok(!existsSync(join(dir, 'app.log.4.gz')));
      }
      assert.ok(points >= 10, `only ${points} records`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test('dropUnsynced keeps only the named record types', () => {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-power-'));
  try {
    const journal = join(root, 'j');
    writeFileSync(journal, '{"t":"run","at":"x","pid":1}\n{"t":"intent","at":"x","log":"/l","action":{"kind":"stamp","log":"/l","time":"2000-01-01T00:00:00.000Z"}}\n');
    dropUnsynced(journal, (record) => record.t === 'run');
    assert.equal(readFileSync(journal, 'utf8'), '{"t":"run","at":"x","pid":1}\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
