// The purge of a whole run as -d shows it: norename work, budgets, then minfree, each
// seeing what the steps before it leave; and the wording of sizes.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Section } from '../../src/config/model.js';
import { describeRemoval, formatSize } from '../../src/plan/describe-purge.js';
import type { FsView } from '../../src/plan/model.js';
import { OverlayFs } from '../../src/plan/overlay.js';
import { liveLogs, planPurge } from '../../src/plan/purge.js';
import type { PurgePlan } from '../../src/plan/purge-model.js';
import { MemFs, section } from './fixtures.js';

const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);
const M = 1024 * 1024;
const G = 1024 * M;

function purge(fs: FsView, sections: readonly Section[]): PurgePlan {
  return planPurge({ sections, fs, now: NOW, isRoot: true });
}

function removals(plan: PurgePlan): string[] {
  return [
    ...plan.sections.flatMap((s) => [...(s.noRename?.work.flatMap((w) => w.removals) ?? []), ...s.budgets]),
    ...plan.freeSpace.filesystems.flatMap((f) => f.removals),
  ].map(describeRemoval);
}

test('sizes read as the config writes them, never rounded onto a budget', () => {
  assert.deepEqual(
    [0, 1023, 1024, 1536, 8 * M, 9.1 * M, 8 * M + 1, 8 * M + 60_000, G, 1.5 * G, 20 * G].map(formatSize),
    ['0 bytes', '1023 bytes', '1k', '1.5k', '8M', '9.1M', '8.00M', '8.1M', '1G', '1.5G', '20G'],
  );
});

test('a config without the extensions plans no purge and reads nothing', () => {
  let reads = 0;
  const fs = new MemFs().mount('/', { dev: 1, free: 0, total: G }).files(['/l/a.log', '/l/a.log.1', '/l/a.log.2']);
  const counting: FsView = {
    lstat: (p) => (reads++, fs.lstat(p)),
    readdir: (d) => (reads++, fs.readdir(d)),
    statfs: (d) => (reads++, fs.statfs(d)),
  };
  const plan = purge(counting, [section(['/l/a.log'], { rotate: 1, maxAge: 1, compress: true })]);
  assert.deepEqual(plan.sections.map((s) => [s.noRename, s.budgets]), [[null, []]]);
  assert.deepEqual(plan.freeSpace, { filesystems: [], messages: [] });
  assert.equal(reads, 0);
});

test('budgets run before minfree, which counts the space they free', () => {
  const fs = new MemFs()
    .mount('/', { dev: 1, free: G, total: 10 * G })
    .files(['/l/a.log', '/l/b.log'], { mtime: NOW })
    .file('/l/a.log.1', { size: G, mtime: daysAgo(1) })
    .file('/l/a.log.2', { size: G, mtime: daysAgo(2) })
    .file('/l/b.log.1', { size: G, mtime: daysAgo(3) })
    .file('/l/b.log.2', { size: G, mtime: daysAgo(4) });
  const plan = purge(fs, [
    section(['/l/a.log'], { maxTotalSize: G, minFree: { kind: 'bytes', bytes: 3 * G } }),
    section(['/l/b.log'], { minFree: { kind: 'bytes', bytes: 3 * G } }),
  ]);
  assert.deepEqual(removals(plan), [
    'maxtotalsize 1G: removing /l/a.log.2, rotations total 2G',
    // 1G free plus the 1G maxtotalsize freed: one more rotation, b's oldest, is enough.
    'minfree 3G: removing /l/b.log.2, 2G of 10G free, 3G wanted',
  ]);
});

test('norename: compressed outputs count at their plain size in -d, and the live file is protected', () => {
  const fs = new MemFs()
    .file('/t/app.2026-11-29.log', { size: 3 * M, mtime: daysAgo(2) })
    .file('/t/app.2026-11-30.log', { size: 3 * M, mtime: daysAgo(1) })
    .file('/t/app.2026-12-01.log', { size: 30 * M, mtime: NOW });
  const files = ['/t/app.2026-11-29.log', '/t/app.2026-11-30.log', '/t/app.2026-12-01.log'];
  const s: Section = { ...section(files, { noRename: true, rotate: -1, compress: true, maxTotalSize: 4 * M }, '/t/app.*.log'), fileWords: [0, 0, 0] };
  assert.deepEqual([...liveLogs([s], { fs, now: NOW, isRoot: true })], ['/t/app.2026-12-01.log']);
  const plan = purge(fs, [s]);
  assert.deepEqual(plan.sections[0]?.noRename?.work[0]?.compressions.map((c) => c.to), ['/t/app.2026-11-29.log.gz', '/t/app.2026-11-30.log.gz']);
  assert.deepEqual(removals(plan), ['maxtotalsize 4M: removing /t/app.2026-11-29.log.gz, rotations total 6M']);
});

test('the overlay frees what a removal frees, and takes what a copy or compression writes', () => {
  const fs = new MemFs()
    .mount('/', { dev: 7, free: 100, total: 1000 })
    .file('/l/a', { size: 10 })
    .file('/l/b', { size: 20, nlink: 2 })
    .file('/l/c', { size: 30 });
  const overlay = new OverlayFs(fs, NOW.getTime());
  overlay.remove('/l/a');
  overlay.remove('/l/b');
  assert.deepEqual(overlay.statfs('/l'), { kind: 'space', dev: 7, free: 110, total: 1000 });
  overlay.apply({ kind: 'compress', from: '/l/c', to: '/l/c.gz', attrsFrom: '/l/c' });
  assert.deepEqual(overlay.statfs('/l'), { kind: 'space', dev: 7, free: 80, total: 1000 });
  overlay.apply({ kind: 'copy', from: '/l/c', to: '/l/c.1', truncate: true });
  assert.deepEqual(overlay.statfs('/l'), { kind: 'space', dev: 7, free: 80, total: 1000 });
  assert.deepEqual(new OverlayFs(new MemFs(), 0).statfs('/l'), { kind: 'error', message: 'Function not implemented' });
});
