import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { LogOptions, Section } from '../../src/config/model.js';
import { writeBundle } from '../../src/export/bundle.js';
import { managedFiles } from '../../src/export/managed-files.js';
import { dateFormatPattern, rotatedNameMatcher } from '../../src/plan/rotated-names.js';

function section(files: string[], options: Partial<LogOptions> = {}): Section {
  return { pattern: files.join(' '), files, options: { ...DEFAULT_OPTIONS, ...options }, location: { file: 't.conf', line: 1 } };
}

function tempRoot(t: { after(fn: () => void): void }): string {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-export-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

function tarList(bundle: string): string[] {
  return execFileSync('tar', ['-tzf', bundle], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

test('rotated names: numbered, dated, extension moved behind the index, compressed', () => {
  const plain = rotatedNameMatcher('/l/app.log', DEFAULT_OPTIONS);
  for (const yes of ['app.log.1', 'app.log.12.gz', 'app.log-20260304', 'app.log-2026030405.xz', 'app.log.3.zst'])
    assert.equal(plain(yes), true, yes);
  for (const no of ['app.log', 'app.log.bak', 'app.log.1.tmp', 'app.logx.1', 'other.log.1', 'app.log-2026'])
    assert.equal(plain(no), false, no);
  const withExt = rotatedNameMatcher('/l/app.log', { ...DEFAULT_OPTIONS, extension: '.log', dateFormat: '.%Y-%m-%d' });
  assert.equal(withExt('app.1.log.gz'), true);
  assert.equal(withExt('app.2026-03-04.log'), true);
  assert.equal(withExt('app.log.1'), false);
  assert.equal(dateFormatPattern('-%Y%m%d-%s%%'), '-\\d{4}\\d{2}\\d{2}-\\d+%');
});

test('export bundles every managed file, olddir included, with the exact contents', async (t) => {
  const root = tempRoot(t);
  const logs = join(root, 'logs');
  const old = join(logs, 'old');
  mkdirSync(old, { recursive: true, mode: 0o755 });
  const contents: Record<string, Buffer> = {
    [join(logs, 'app.log')]: Buffer.from('live line\n'),
    [join(logs, 'app.log.1')]: Buffer.from('one rotation ago\n'),
    [join(logs, 'app.log-20260101')]: Buffer.from('dated\n'),
    [join(old, 'app.log.2.gz')]: gzipSync('two rotations ago\n'),
    [join(logs, 'db.log')]: Buffer.from('db\n'),
  };
  for (const [path, data] of Object.entries(contents)) writeFileSync(path, data);
  writeFileSync(join(logs, 'unrelated.txt'), 'not managed');
  writeFileSync(join(logs, 'app.log.1.bak'), 'not a rotation');
  const sections = [section([join(logs, 'app.log')], { oldDir: 'old', compress: true }), section([join(logs, 'db.log'), join(logs, 'nothing*.log')])];

  const files = await managedFiles(sections, null);
  assert.deepEqual(
    files.map((f) => f.path),
    [join(logs, 'app.log'), join(old, 'app.log.2.gz'), join(logs, 'app.log-20260101'), join(logs, 'app.log.1'), join(logs, 'db.log')],
  );
  const bundle = join(root, 'bundle.tar.gz');
  const result = await writeBundle(files, createWriteStream(bundle));
  assert.equal(result.files, 5);
  assert.deepEqual(result.skipped, []);
  assert.deepEqual(tarList(bundle).sort(), Object.keys(contents).map((p) => p.slice(1)).sort());

  const out = join(root, 'extracted');
  mkdirSync(out);
  execFileSync('tar', ['-xzf', bundle, '-C', out]);
  for (const [path, data] of Object.entries(contents)) assert.deepEqual(readFileSync(join(out, path)), data, path);
});

test('--since keeps only files modified at or after the date', async (t) => {
  const root = tempRoot(t);
  const log = join(root, 'a.log');
  writeFileSync(log, 'new');
  writeFileSync(`${log}.1`, 'old');
  writeFileSync(`${log}.2`, 'older');
  utimesSync(`${log}.1`, new Date('2026-01-10T00:00:00Z'), new Date('2026-01-10T00:00:00Z'));
  utimesSync(`${log}.2`, new Date('2025-12-01T00:00:00Z'), new Date('2025-12-01T00:00:00Z'));
  const files = await managedFiles([section([log])], new Date('2026-01-01T00:00:00Z'));
  assert.deepEqual(files.map((f) => f.path), [log, `${log}.1`]);
});

test('a large log streams through in constant memory', async (t) => {
  const root = tempRoot(t);
  const big = join(root, 'big.log');
  const size = 96 * 1024 * 1024;
  const fd = openSync(big, 'w');
  ftruncateSync(fd, size); // sparse: reads as zeros without using disk
  closeSync(fd);
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const bundle = join(root, 'big.tar.gz');
    const result = await writeBundle(await managedFiles([section([big])], null), createWriteStream(bundle));
    assert.equal(result.bytes, size);
    assert.deepEqual(tarList(bundle), [big.slice(1)]);
  } finally {
    clearInterval(sampler);
  }
  assert.ok(peak - before < 40 * 1024 * 1024, `rss grew by ${Math.round((peak - before) / 1048576)} MiB for a 96 MiB log`);
});
