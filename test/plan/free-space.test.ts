// minfree: rotations of the sections that set it on a filesystem go, oldest first
// across them, until each section's figure is met; what cannot be met is said.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions, Section } from '../../src/config/model.js';
import { describeRemoval, describeShortfall } from '../../src/plan/describe-purge.js';
import { familyOf } from '../../src/plan/family.js';
import { planFreeSpace } from '../../src/plan/free-space.js';
import type { FreeSpacePlan } from '../../src/plan/purge-model.js';
import { Dice } from '../helpers/random.js';
import { MemFs, section } from './fixtures.js';

const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const hoursAgo = (n: number): Date => new Date(NOW.getTime() - n * 3_600_000);
const M = 1024 * 1024;
const G = 1024 * M;

function plan(fs: MemFs, sections: readonly Section[]): FreeSpacePlan {
  return planFreeSpace(sections, { fs, now: NOW, isRoot: true, protect: new Set(sections.flatMap((s) => s.files)) });
}

/** Every removal line, then every error line, in order. */
function lines(result: FreeSpacePlan): string[] {
  return [
    ...result.filesystems.flatMap((fs) => fs.removals.map(describeRemoval)),
    ...result.filesystems.flatMap((fs) => fs.shortfalls.map((s) => `error: ${describeShortfall(s).text}`)),
    ...result.messages.map((m) => `${m.severity}: ${m.text}`),
  ];
}

const minFree = (bytes: number): Partial<LogOptions> => ({ minFree: { kind: 'bytes', bytes } });

test('enough free space: nothing goes', () => {
  const fs = new MemFs().mount('/', { dev: 1, free: 3 * G, total: 20 * G }).file('/l/a.log').file('/l/a.log.1', { size: G });
  const result = plan(fs, [section(['/l/a.log'], minFree(2 * G))]);
  assert.deepEqual(lines(result), []);
  assert.deepEqual(result.filesystems.map((f) => [f.dir, f.dev, f.free, f.total]), [['/l', 1, 3 * G, 20 * G]]);
});

test('oldest first across the sections on one filesystem, until the figure is met', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: G, total: 20 * G })
    .files(['/l/a.log', '/l/b.log'])
    .file('/l/a.log.1', { size: 600 * M, mtime: hoursAgo(1) })
    .file('/l/a.log.2.gz', { size: 600 * M, mtime: hoursAgo(5) })
    .file('/l/b.log.1', { size: 600 * M, mtime: hoursAgo(2) })
    .file('/l/b.log.2.gz', { size: 600 * M, mtime: hoursAgo(4) });
  const result = plan(fs, [section(['/l/a.log'], minFree(2 * G)), section(['/l/b.log'], minFree(2 * G))]);
  assert.deepEqual(lines(result), [
    'minfree 2G: removing /l/a.log.2.gz, 1G of 20G free, 2G wanted',
    'minfree 2G: removing /l/b.log.2.gz, 1.6G of 20G free, 2G wanted',
  ]);
});

test('percentages are of the filesystem size, rounded up to a byte', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: G, total: 10 * G + 1 })
    .file('/l/a.log')
    .file('/l/a.log.1', { size: 100, mtime: hoursAgo(1) })
    .file('/l/a.log.2', { size: 100, mtime: hoursAgo(2) });
  const tenth = Math.ceil((10 * G + 1) / 10);
  assert.equal(tenth, G + 1);
  assert.deepEqual(lines(plan(fs, [section(['/l/a.log'], { minFree: { kind: 'percent', percent: 10 } })])), [
    'minfree 10%: removing /l/a.log.2, 1G of 10.00G free, 1.00G wanted',
  ]);
});

test('a section whose figure is met keeps its rotations while another one still wants space', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: 3 * G, total: 100 * G })
    .files(['/l/a.log', '/l/b.log'])
    .file('/l/a.log.1', { size: G, mtime: hoursAgo(9) })
    .file('/l/b.log.1', { size: G, mtime: hoursAgo(1) })
    .file('/l/b.log.2', { size: G, mtime: hoursAgo(2) });
  const result = plan(fs, [section(['/l/a.log'], minFree(2 * G)), section(['/l/b.log'], minFree(4 * G))]);
  assert.deepEqual(lines(result), ['minfree 4G: removing /l/b.log.2, 3G of 100G free, 4G wanted']);
});

test('sections without minfree are not touched, even on a full filesystem', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: 0, total: 10 * G })
    .files(['/l/a.log', '/l/b.log'])
    .file('/l/a.log.1', { size: G, mtime: hoursAgo(1) })
    .file('/l/b.log.1', { size: G, mtime: hoursAgo(9) });
  assert.deepEqual(lines(plan(fs, [section(['/l/a.log'], minFree(G)), section(['/l/b.log'])])), [
    'minfree 1G: removing /l/a.log.1, 0 bytes of 10G free, 1G wanted',
  ]);
});

test('not reachable: every rotation goes, then an error line says so', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: 100 * M, total: 10 * G })
    .file('/l/a.log', { size: 5 * G })
    .file('/l/a.log.1', { size: 200 * M, mtime: hoursAgo(1) })
    .file('/l/a.log.2', { size: 300 * M, mtime: hoursAgo(2), nlink: 2 });
  assert.deepEqual(lines(plan(fs, [section(['/l/a.log'], { ...minFree(G), allowHardlink: true })])), [
    'minfree 1G: removing /l/a.log.2, 100M of 10G free, 1G wanted',
    // The hard-linked one freed nothing.
    'minfree 1G: removing /l/a.log.1, 100M of 10G free, 1G wanted',
    'error: minfree 1G for /l/a.log cannot be met: 300M of 10G free on the filesystem of /l once every rotation is removed, 1G wanted',
  ]);
  const empty = new MemFs().mount('/', { dev: 1, free: 0, total: G }).file('/l/a.log');
  assert.deepEqual(lines(plan(empty, [section(['/l/a.log'], minFree(1))])), [
    'error: minfree 1 bytes for /l/a.log cannot be met: 0 bytes of 1G free on the filesystem of /l once every rotation is removed, 1 bytes wanted',
  ]);
});

test('each filesystem on its own; olddir decides where a section is', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: 0, total: 10 * G })
    .mount('/archive', { dev: 2, free: 5 * G, total: 10 * G })
    .files(['/l/a.log', '/l/b.log'])
    // a's rotations moved to /archive; one left beside the log from before.
    .file('/archive/a.log.1', { size: G, mtime: hoursAgo(3) })
    .file('/l/a.log.2', { size: G, mtime: hoursAgo(9) })
    .file('/l/b.log.1', { size: G, mtime: hoursAgo(1) });
  const result = plan(fs, [section(['/l/a.log'], { ...minFree(6 * G), oldDir: '/archive' }), section(['/l/b.log'], minFree(G))]);
  assert.deepEqual(lines(result), [
    'minfree 6G: removing /archive/a.log.1, 5G of 10G free, 6G wanted',
    'minfree 1G: removing /l/b.log.1, 0 bytes of 10G free, 1G wanted',
  ]);
  assert.deepEqual(result.filesystems.map((f) => [f.dir, f.dev]), [['/archive', 2], ['/l', 1]]);
});

test('norename sections take part with their finished files, never the live one', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: 0, total: 10 * G })
    .file('/t/catalina.2026-11-29.log.gz', { size: G, mtime: hoursAgo(40) })
    .file('/t/catalina.2026-11-30.log', { size: G, mtime: hoursAgo(20) })
    .file('/t/catalina.2026-12-01.log', { size: 3 * G, mtime: hoursAgo(0) });
  const s = section(['/t/catalina.2026-11-30.log', '/t/catalina.2026-12-01.log'], { ...minFree(5 * G), noRename: true }, '/t/catalina.*.log');
  assert.deepEqual(lines(plan(fs, [s])), [
    'minfree 5G: removing /t/catalina.2026-11-29.log.gz, 0 bytes of 10G free, 5G wanted',
    'minfree 5G: removing /t/catalina.2026-11-30.log, 1G of 10G free, 5G wanted',
    'error: minfree 5G for /t/catalina.*.log cannot be met: 2G of 10G free on the filesystem of /t once every rotation is removed, 5G wanted',
  ]);
});

test('free space that cannot be read is an error, and that section is not planned', () => {
  const fs = new MemFs().file('/l/a.log').file('/l/a.log.1', { size: G });
  assert.deepEqual(lines(plan(fs, [section(['/l/a.log'], minFree(G))])), ['error: cannot read the free space of /l: Function not implemented']);
});

test('property: never a live log; met or everything gone; only the oldest go', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const dice = new Dice(seed);
    const total = 100 * M;
    const fs = new MemFs().mount('/', { dev: 1, free: dice.int(0, 30) * M, total });
    const logs = ['/l/a.log', '/l/b.log', '/l/c.log'];
    for (const log of logs) fs.file(log, { size: dice.int(0, 5) * M, mtime: NOW });
    for (let i = 0; i < dice.int(0, 15); i++) {
      const log = dice.pick(logs);
      fs.file(`${log}.${dice.int(1, 9)}${dice.pick(['', '.gz'])}`, { size: dice.int(0, 8) * M, mtime: hoursAgo(dice.int(1, 6)) });
    }
    const wanted = dice.int(1, 40) * M;
    const sections = logs.map((log, i) => section([log], i < 2 ? minFree(wanted) : {}));
    const result = plan(fs, sections);
    const removals = result.filesystems.flatMap((f) => f.removals);
    const removed = new Set(removals.map((r) => r.file.path));
    for (const log of logs) assert.ok(!removed.has(log), `seed ${seed}: live ${log} removed`);
    const candidates = sections
      .slice(0, 2)
      .flatMap((s) => familyOf(s.files[0] ?? '', s.options, fs, new Set(logs)))
      .sort((a, b) => a.mtimeMs - b.mtimeMs || Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    assert.deepEqual(removals.map((r) => r.file), candidates.slice(0, removals.length), `seed ${seed}: not the oldest`);
    const free = (fs.statfs('/l').kind === 'space' ? (fs.statfs('/l') as { free: number }).free : 0) + removals.reduce((s, r) => s + r.file.size, 0);
    const shortfalls = result.filesystems.flatMap((f) => f.shortfalls);
    if (free >= wanted) assert.deepEqual(shortfalls, [], `seed ${seed}: met, yet a shortfall`);
    else {
      assert.equal(removals.length, candidates.length, `seed ${seed}: unmet, yet rotations left`);
      assert.equal(shortfalls.length, 2, `seed ${seed}: both sections fall short`);
    }
    // No removal beyond need: before the last one, the figure was still unmet.
    const last = removals.at(-1);
    if (last !== undefined && last.rule.kind === 'minfree') assert.ok(last.rule.free < wanted, `seed ${seed}: removed past the figure`);
  }
});
