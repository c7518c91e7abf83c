// A log's rotations on disk: which names belong to it, and the order they go in.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { LogOptions } from '../../src/config/model.js';
import { familyOf } from '../../src/plan/family.js';
import { MemFs } from './fixtures.js';

const day = (n: number): Date => new Date(Date.UTC(2026, 10, 1 + n));
const options = (o: Partial<LogOptions> = {}): LogOptions => ({ ...DEFAULT_OPTIONS, criterion: { kind: 'daily' }, ...o });
const paths = (fs: MemFs, log: string, o: Partial<LogOptions> = {}, protect: readonly string[] = []): string[] =>
  familyOf(log, options(o), fs, new Set(protect)).map((f) => f.path);

test('numbered and dated, compressed or not, whatever dateext and compress say now', () => {
  const fs = new MemFs()
    .file('/l/app.log', { mtime: day(9) })
    .file('/l/app.log.1', { mtime: day(8) })
    .file('/l/app.log.2.gz', { mtime: day(7) })
    .file('/l/app.log-20261103', { mtime: day(2) })
    .file('/l/app.log-20261102.gz', { mtime: day(1) })
    // Not rotations of app.log:
    .files(['/l/app.log.gz', '/l/app.log.1.bz2', '/l/app.log.x', '/l/app.log.1x', '/l/app.log-2026', '/l/other.log.1', '/l/app.logs.1'])
    .file('/l/app.log.-1')
    .symlink('/l/app.log.3')
    .dir('/l/app.log.4');
  const expected = ['/l/app.log-20261102.gz', '/l/app.log-20261103', '/l/app.log.2.gz', '/l/app.log.1'];
  assert.deepEqual(paths(fs, '/l/app.log'), expected);
  assert.deepEqual(paths(fs, '/l/app.log', { dateExt: true, compress: true }), expected);
});

test('olddir: the rotations there, and those left beside the log from before', () => {
  const fs = new MemFs()
    .file('/l/app.log.3.gz', { mtime: day(1) })
    .file('/l/old/app.log.2.gz', { mtime: day(2) })
    .file('/l/old/app.log.1', { mtime: day(3) })
    .file('/l/app.log');
  assert.deepEqual(paths(fs, '/l/app.log', { oldDir: 'old' }), ['/l/app.log.3.gz', '/l/old/app.log.2.gz', '/l/old/app.log.1']);
  assert.deepEqual(paths(fs, '/l/app.log', { oldDir: '/l/old' }), ['/l/app.log.3.gz', '/l/old/app.log.2.gz', '/l/old/app.log.1']);
  assert.deepEqual(paths(fs, '/l/app.log'), ['/l/app.log.3.gz']);
});

test('extension and addextension move behind the index, as the rotation names them', () => {
  const fs = new MemFs().files(['/l/app.log', '/l/app.1.log', '/l/app.2.log.gz', '/l/app.log.3', '/l/app-20261101.log']);
  // Same mtime: the higher index is the older.
  assert.deepEqual(paths(fs, '/l/app.log', { extension: '.log' }), ['/l/app-20261101.log', '/l/app.2.log.gz', '/l/app.1.log']);
  assert.deepEqual(paths(fs, '/l/app', { addExtension: '.log' }).sort(), ['/l/app-20261101.log', '/l/app.1.log', '/l/app.2.log.gz']);
  assert.deepEqual(paths(fs, '/l/app.log'), ['/l/app.log.3']);
});

test('the configured compressext only; a custom dateformat by its own glob', () => {
  const fs = new MemFs().files(['/l/a.log.1.xz', '/l/a.log.2.gz', '/l/a.log_01-11-2026', '/l/a.log-20261101']);
  assert.deepEqual(paths(fs, '/l/a.log', { compressExt: '.xz' }), ['/l/a.log-20261101', '/l/a.log.1.xz']);
  assert.deepEqual(paths(fs, '/l/a.log', { dateFormat: '_%d-%m-%Y' }), ['/l/a.log.2.gz', '/l/a.log_01-11-2026']);
});

test('oldest first by mtime; ties by index, by the date in the name, then by name', () => {
  const same = { mtime: day(5) };
  const fs = new MemFs()
    .file('/l/a.log.1', same)
    .file('/l/a.log.10.gz', same)
    .file('/l/a.log.2.gz', same)
    .file('/l/a.log.9', { mtime: day(6) })
    .file('/l/a.log.3', { mtime: day(1) });
  assert.deepEqual(paths(fs, '/l/a.log'), ['/l/a.log.3', '/l/a.log.10.gz', '/l/a.log.2.gz', '/l/a.log.1', '/l/a.log.9']);
  // A custom format that does not sort by name: the parsed date decides a tie.
  const dated = new MemFs().files(['/l/a.log_02-01-2026', '/l/a.log_01-02-2026', '/l/a.log_03-01-2026'], same);
  assert.deepEqual(paths(dated, '/l/a.log', { dateFormat: '_%d-%m-%Y' }), ['/l/a.log_02-01-2026', '/l/a.log_03-01-2026', '/l/a.log_01-02-2026']);
  const plain = new MemFs().files(['/l/a.log-20260201', '/l/a.log-20260102', '/l/a.log-20260103'], same);
  assert.deepEqual(paths(plain, '/l/a.log'), ['/l/a.log-20260102', '/l/a.log-20260103', '/l/a.log-20260201']);
});

test('a live log is never in a family, and the name is literal, not a glob', () => {
  const fs = new MemFs().files(['/l/a.log', '/l/a.log.1', '/l/a.log.2', '/l/a[1].log.1', '/l/a1.log.1']);
  assert.deepEqual(paths(fs, '/l/a.log', {}, ['/l/a.log.1']), ['/l/a.log.2']);
  assert.deepEqual(paths(fs, '/l/a[1].log'), ['/l/a[1].log.1']);
  assert.deepEqual(paths(fs, '/l/nothing.log'), []);
  assert.deepEqual(paths(new MemFs(), '/missing/a.log'), []);
});

test('each member carries its size, mtime and link count', () => {
  const fs = new MemFs().file('/l/a.log.1', { size: 4096, mtime: day(3), nlink: 2 });
  assert.deepEqual(familyOf('/l/a.log', options({ allowHardlink: false }), fs, new Set()), [
    { path: '/l/a.log.1', size: 4096, mtimeMs: day(3).getTime(), nlink: 2 },
  ]);
});
