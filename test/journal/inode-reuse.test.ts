// Recovery tells a finished rotation from an unfinished one by inode numbers. A file a
// step made can get the number of one a step destroyed (here: the compressed rotation
// takes the number of the old .4.gz that the shift overwrote), which the power-loss test
// met about once in three runs on tmpfs. Recovered from the real records of a whole
// rotation with only the synced ones left, over the tree as it is but for that number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LiveFsView } from '../../src/exec/fs-view.js';
import { readLastRun } from '../../src/journal/reader.js';
import { journalPath, type JournalRecord } from '../../src/journal/records.js';
import { planRecovery } from '../../src/journal/recovery/analysis.js';
import type { FsView, PathFact } from '../../src/plan/model.js';
import { CRASHING_CLI } from '../helpers/crashing-cli.js';

/** The tree as it is, but `path` shows inode number `ino`. */
function withInode(path: string, ino: number): FsView {
  const live = new LiveFsView();
  return {
    lstat: (p): PathFact => {
      const fact = live.lstat(p);
      return p === path && fact.kind === 'present' ? { ...fact, ino } : fact;
    },
    readdir: (dir) => live.readdir(dir),
  };
}

test('a compressed rotation with the inode number of the rotation the shift overwrote: the rotation is found finished', async () => {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-inode-reuse-'));
  try {
    const dir = join(root, 'logs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.log'), 'L0\n');
    for (let i = 1; i <= 4; i++) writeFileSync(join(dir, `app.log.${i}.gz`), gzipSync(`R${i}\n`));
    const conf = join(root, 'rotor.conf');
    writeFileSync(conf, `${dir}/app.log {\n  rotate 3\n  compress\n  create 0640\n}\n`, { mode: 0o644 });
    const state = join(root, 'state');
    // Killed after its last step record: everything is done on disk, the run did not end.
    const whole = spawnSync(process.execPath, [CRASHING_CLI, '-f', '-s', state, conf], { env: { ...process.env, LOGROTOR_CRASH_AFTER_RECORD: '20' }, encoding: 'utf8' });
    assert.equal(whole.signal, 'SIGKILL', whole.stderr);
    const synced = (await readLastRun(journalPath(state))).filter((r) => r.t === 'run' || r.t === 'section');
    const section = synced.find((r): r is Extract<JournalRecord, { t: 'section' }> => r.t === 'section');
    const overwritten = section?.existing?.[join(dir, 'app.log.4.gz')];
    assert.ok(overwritten !== undefined, 'the section recorded the old .4.gz');

    const plan = planRecovery(synced, withInode(join(dir, 'app.log.1.gz'), overwritten), new Date());
    assert.deepEqual(plan?.sections.map((s) => s.plans.length), [0], 'nothing left to do');
    assert.deepEqual(plan?.sections.map((s) => [...s.complete.keys()]), [[join(dir, 'app.log')]]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
