// Per-log budgets on every run: maxtotalsize and maxage under purgealways.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions, Section } from '../../src/config/model.js';
import { describeRemoval } from '../../src/plan/describe-purge.js';
import { familyOf } from '../../src/plan/family.js';
import { hasLogBudget, planBudgets } from '../../src/plan/log-budgets.js';
import type { FsView } from '../../src/plan/model.js';
import type { Removal } from '../../src/plan/purge-model.js';
import { Dice } from '../helpers/random.js';
import { MemFs, section } from './fixtures.js';

const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);
const M = 1024 * 1024;

function budgets(fs: FsView, s: Section, protect: readonly string[] = s.files): Removal[] {
  return planBudgets(s, { fs, now: NOW, isRoot: true, protect: new Set(protect) });
}

const lines = (removals: readonly Removal[]): string[] => removals.map(describeRemoval);

/** app.log with rotations .1 (newest) … .n (oldest), `sizes[i]` bytes for .(i+1). */
function chain(sizes: readonly number[], log = '/l/app.log', fs = new MemFs()): MemFs {
  fs.file(log, { mtime: NOW, size: 5 * M });
  sizes.forEach((size, i) => fs.file(`${log}.${i + 1}${i === 0 ? '' : '.gz'}`, { size, mtime: daysAgo(i + 1) }));
  return fs;
}

test('maxtotalsize: the oldest rotations go until the rest fit', () => {
  const fs = chain([3 * M, 2 * M, 2 * M, 1.5 * M, 0.6 * M]);
  const s = section(['/l/app.log'], { maxTotalSize: 8 * M, rotate: 10 });
  assert.deepEqual(lines(budgets(fs, s)), [
    'maxtotalsize 8M: removing /l/app.log.5.gz, rotations total 9.1M',
    'maxtotalsize 8M: removing /l/app.log.4.gz, rotations total 8.5M',
  ]);
});

test('maxtotalsize at exactly the budget removes nothing; one byte over removes the oldest', () => {
  const s = section(['/l/app.log'], { maxTotalSize: 4 * M });
  assert.deepEqual(budgets(chain([2 * M, 2 * M]), s), []);
  assert.deepEqual(lines(budgets(chain([2 * M, 2 * M + 1]), s)), ['maxtotalsize 4M: removing /l/app.log.2.gz, rotations total 4.00M']);
});

test('maxtotalsize: a newest rotation bigger than the budget goes too', () => {
  const s = section(['/l/app.log'], { maxTotalSize: M });
  assert.deepEqual(lines(budgets(chain([3 * M, 100]), s)), [
    'maxtotalsize 1M: removing /l/app.log.2.gz, rotations total 3.00M',
    'maxtotalsize 1M: removing /l/app.log.1, rotations total 3M',
  ]);
});

test('maxtotalsize counts olddir and mixed compressed/uncompressed, numbered and dated', () => {
  const fs = new MemFs()
    .file('/l/app.log', { mtime: NOW })
    .file('/l/old/app.log-20261130', { size: 3 * M, mtime: daysAgo(1) })
    .file('/l/old/app.log-20261129.gz', { size: 3 * M, mtime: daysAgo(2) })
    .file('/l/old/app.log.1.gz', { size: 3 * M, mtime: daysAgo(3) })
    .file('/l/app.log.2', { size: 3 * M, mtime: daysAgo(4) });
  const s = section(['/l/app.log'], { maxTotalSize: 7 * M, oldDir: 'old', dateExt: true, compress: true });
  assert.deepEqual(lines(budgets(fs, s)), [
    'maxtotalsize 7M: removing /l/app.log.2, rotations total 12M',
    'maxtotalsize 7M: removing /l/old/app.log.1.gz, rotations total 9M',
  ]);
});

test('each log of a section has its own budget', () => {
  const fs = chain([2 * M, 2 * M], '/l/b.log', chain([2 * M, 2 * M], '/l/a.log'));
  const s = section(['/l/a.log', '/l/b.log'], { maxTotalSize: 3 * M });
  assert.deepEqual(lines(budgets(fs, s)), [
    'maxtotalsize 3M: removing /l/a.log.2.gz, rotations total 4M',
    'maxtotalsize 3M: removing /l/b.log.2.gz, rotations total 4M',
  ]);
});

test('purgealways: maxage on every run, then maxtotalsize on what is left', () => {
  const fs = chain([M, M, M, M, M]);
  assert.deepEqual(budgets(fs, section(['/l/app.log'], { maxAge: 3 })), [], 'without purgealways maxage waits for a rotation');
  const s = section(['/l/app.log'], { maxAge: 3, purgeAlways: true, maxTotalSize: 2 * M });
  assert.deepEqual(lines(budgets(fs, s)), [
    'maxage 3: removing /l/app.log.5.gz, 5 days old',
    'maxage 3: removing /l/app.log.4.gz, 4 days old',
    'maxtotalsize 2M: removing /l/app.log.3.gz, rotations total 3M',
  ]);
});

test('a missing log still has its rotations budgeted; an insecure directory is left alone', () => {
  const fs = chain([2 * M, 2 * M]);
  const missing = new MemFs().file('/l/app.log.1', { size: 2 * M, mtime: daysAgo(1) }).file('/l/app.log.2', { size: 2 * M, mtime: daysAgo(2) });
  const s = section(['/l/app.log'], { maxTotalSize: 3 * M, missingOk: true });
  assert.deepEqual(lines(budgets(missing, s)), ['maxtotalsize 3M: removing /l/app.log.2, rotations total 4M']);
  fs.dir('/l', 0o777);
  assert.deepEqual(budgets(fs, s), []);
  assert.equal(budgets(fs, section(['/l/app.log'], { ...s.options, su: { uid: 0, gid: 0, user: 'root', group: 'root' } })).length, 1);
});

test('sections without a budget read nothing', () => {
  let reads = 0;
  const fs = chain([M, M]);
  const counting: FsView = { lstat: (p) => (reads++, fs.lstat(p)), readdir: (d) => (reads++, fs.readdir(d)) };
  for (const o of [{}, { maxAge: 3 }, { purgeAlways: true }, { noRename: true, maxAge: 3, purgeAlways: true }] satisfies Partial<LogOptions>[]) {
    const s = section(['/l/app.log'], o);
    assert.equal(hasLogBudget(s), false);
    assert.deepEqual(budgets(counting, s), []);
  }
  assert.equal(reads, 0);
});

test('property: never a live log; within budget after; the survivors are the newest', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const dice = new Dice(seed);
    const fs = new MemFs();
    const logs = ['/l/a.log', '/l/b.log'];
    const live = new Set(logs);
    for (const log of logs) fs.file(log, { size: dice.int(0, 10) * M, mtime: NOW });
    // Rotations named every which way, with ties in mtime.
    for (let i = 0; i < dice.int(0, 12); i++) {
      const log = dice.pick(logs);
      const name = dice.pick([`${log}.${dice.int(1, 20)}`, `${log}.${dice.int(1, 20)}.gz`, `${log}-202611${String(dice.int(10, 30))}`]);
      fs.file(name, { size: dice.int(0, 4 * M), mtime: daysAgo(dice.int(0, 8)) });
    }
    const options: Partial<LogOptions> = { maxTotalSize: dice.int(1, 8 * M), maxAge: dice.pick([0, 3, 6]), purgeAlways: dice.chance(0.5) };
    const s = section(logs, options);
    const removals = budgets(fs, s);
    const removed = new Set(removals.map((r) => r.file.path));
    assert.equal(removed.size, removals.length, `seed ${seed}: a file removed twice`);
    for (const log of logs) {
      assert.ok(!removed.has(log), `seed ${seed}: live log ${log} removed`);
      const family = familyOf(log, s.options, fs, live);
      const survivors = family.filter((f) => !removed.has(f.path));
      const total = survivors.reduce((sum, f) => sum + f.size, 0);
      assert.ok(total <= (options.maxTotalSize ?? 0), `seed ${seed}: ${log} still over budget`);
      const byBudget = family.filter((f) => removals.some((r) => r.file.path === f.path && r.rule.kind === 'maxtotalsize'));
      // Oldest first: the maxtotalsize removals are a prefix of what maxage left.
      const young = family.filter((f) => !removals.some((r) => r.file.path === f.path && r.rule.kind === 'maxage'));
      assert.deepEqual(byBudget, young.slice(0, byBudget.length), `seed ${seed}: not the oldest`);
      if (options.purgeAlways === true && (options.maxAge ?? 0) > 0) {
        for (const f of survivors) assert.ok(NOW.getTime() - f.mtimeMs <= ((options.maxAge ?? 0) + 1) * 86_400_000, `seed ${seed}: too old`);
      }
    }
  }
});
