process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions } from '../../src/config/model.js';
import { planSection } from '../../src/plan/planner.js';
import type { Action, LogRotation, SectionPlan } from '../../src/plan/model.js';
import { DAILY, MemFs, section } from './fixtures.js';

const LOG = '/l/a.log';
const NOW = new Date(2024, 2, 5, 14, 23, 45);
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);

function planFor(fs: MemFs, options: Partial<LogOptions>, files: readonly string[] = [LOG], now = NOW): SectionPlan {
  return planSection(section(files, { ...DAILY, ...options }), { state: new Map(), fs, now, force: true, isRoot: true });
}

function rotationOf(fs: MemFs, options: Partial<LogOptions>, now = NOW): LogRotation {
  const rotation = planFor(fs.file(LOG, { mode: 0o640, uid: 7, gid: 8 }), options, [LOG], now).rotations[0];
  assert.ok(rotation);
  return rotation;
}

/** One compact line per action, so whole action lists can be compared at a glance. */
function show(actions: readonly Action[]): string[] {
  return actions.map((a) => {
    switch (a.kind) {
      case 'rename': return `rename ${a.from} > ${a.to}${a.shift ? ` #${a.shift.index}` : ''}`;
      case 'create': return `create ${a.path} 0${a.attrs.mode.toString(8)} ${a.attrs.uid}:${a.attrs.gid}${a.aclFrom ? ` acl ${a.aclFrom}` : ''}`;
      case 'copy': return `copy ${a.from} > ${a.to}${a.truncate ? ' truncate' : ''}${a.skipCopy ? ' skip' : ''}`;
      case 'compress': return `compress ${a.from} > ${a.to} attrs ${a.attrsFrom}`;
      case 'remove': return `remove ${a.path} (${a.reason})`;
      case 'mail': return `mail ${a.path} to ${a.address} subject ${a.subject}${a.uncompress ? ' uncompress' : ''}`;
      case 'stamp': return `stamp ${a.log} ${a.time.toISOString()}`;
      case 'track': return `track ${a.path}`;
      case 'archive': return `archive ${a.path} facts ${a.factsOf}`;
      case 'signal': return `signal ${a.signal} ${a.pidFile}`;
      case 'shift-gap': return `gap ${a.prefix}{${a.top}..${a.bottom}}${a.suffix}`;
    }
  });
}

const STAMP = `stamp ${LOG} ${NOW.toISOString()}`;

test('numbered chain: shift from the top, move the log, remove what falls out', () => {
  const r = rotationOf(new MemFs().files(['/l/a.log.1', '/l/a.log.2', '/l/a.log.3']), { rotate: 3 });
  assert.deepEqual(show(r.prepare), [
    STAMP,
    'rename /l/a.log.3 > /l/a.log.4 #3',
    'rename /l/a.log.2 > /l/a.log.3 #2',
    'rename /l/a.log.1 > /l/a.log.2 #1',
  ]);
  assert.deepEqual(show(r.rotate), ['rename /l/a.log > /l/a.log.1']);
  assert.deepEqual(show(r.finish), ['remove /l/a.log.4 (rotate-count)']);
  assert.deepEqual([r.finalName, r.disposeName, r.disposeMissing, r.failure], ['/l/a.log.1', '/l/a.log.4', null, null]);
});

test('a short chain: the indices above the one held are one gap, and nothing to dispose of', () => {
  const r = rotationOf(new MemFs().file('/l/a.log.1'), { rotate: 3 });
  assert.deepEqual(show(r.prepare).slice(1), ['gap /l/a.log.{3..2}', 'rename /l/a.log.1 > /l/a.log.2 #1']);
  assert.deepEqual(show(r.finish), []);
  assert.deepEqual([r.disposeName, r.disposeMissing], [null, '/l/a.log.4']);
});

test('start N numbers the chain from N', () => {
  const r = rotationOf(new MemFs(), { rotate: 2, start: 0 });
  assert.deepEqual(show(r.prepare).slice(1), ['gap /l/a.log.{1..0}']);
  assert.equal(r.finalName, '/l/a.log.0');
  const held = rotationOf(new MemFs().file('/l/a.log.0'), { rotate: 2, start: 0 });
  assert.deepEqual(show(held.prepare).slice(1), ['gap /l/a.log.{1..1}', 'rename /l/a.log.0 > /l/a.log.1 #0']);
});

test('rotate 0: .1 still moves to .2, then the rotated log itself is disposed of', () => {
  const r = rotationOf(new MemFs().file('/l/a.log.1'), { rotate: 0 });
  assert.deepEqual(show(r.prepare), [STAMP, 'rename /l/a.log.1 > /l/a.log.2 #1']);
  assert.deepEqual(show(r.rotate), ['rename /l/a.log > /l/a.log.1']);
  assert.deepEqual(show(r.finish), ['remove /l/a.log.1 (rotate-0)']);
  const z = rotationOf(new MemFs(), { rotate: 0, compress: true });
  assert.deepEqual(show(z.finish), [
    'compress /l/a.log.1 > /l/a.log.1.gz attrs /l/a.log.1',
    'remove /l/a.log.1 (compressed)',
    'remove /l/a.log.1.gz (rotate-0)',
  ]);
});

test('rotate -1 counts up to the highest index on disk and keeps the holes', () => {
  const fs = new MemFs().files(['/l/a.log.3', '/l/a.log.7', '/l/a.log.x', '/l/a.log.2-old', '/l/a.log.9.gz']);
  const r = rotationOf(fs, { rotate: -1 });
  assert.deepEqual(show(r.prepare).slice(1), [
    'rename /l/a.log.7 > /l/a.log.8 #7',
    'gap /l/a.log.{6..4}',
    'rename /l/a.log.3 > /l/a.log.4 #3',
    'gap /l/a.log.{2..1}',
  ]);
  assert.deepEqual([show(r.finish), r.disposeName, r.disposeMissing], [[], null, null]);
  const gz = rotationOf(new MemFs().files(['/l/a.log.2.gz', '/l/a.log.5']), { rotate: -1, compress: true });
  assert.deepEqual(show(gz.prepare).slice(1), ['rename /l/a.log.2.gz > /l/a.log.3.gz #2', 'gap /l/a.log.{1..1}.gz']);
});

test('compress: only names with the current extension shift; the new rotation is compressed, then its source removed', () => {
  const r = rotationOf(new MemFs().files(['/l/a.log.1', '/l/a.log.1.gz', '/l/a.log.2.gz']), { rotate: 2, compress: true });
  assert.deepEqual(show(r.prepare).slice(1), ['rename /l/a.log.2.gz > /l/a.log.3.gz #2', 'rename /l/a.log.1.gz > /l/a.log.2.gz #1']);
  assert.deepEqual(show(r.rotate), ['rename /l/a.log > /l/a.log.1']);
  assert.deepEqual(show(r.finish), [
    'compress /l/a.log.1 > /l/a.log.1.gz attrs /l/a.log.1',
    'remove /l/a.log.1 (compressed)',
    'remove /l/a.log.3.gz (rotate-count)',
  ]);
  const bz = rotationOf(new MemFs(), { rotate: 1, compress: true, compressExt: '.bz2' });
  assert.equal(bz.finish[0]?.kind === 'compress' && bz.finish[0].to, '/l/a.log.1.bz2');
});

test('delaycompress compresses the previous rotation first and leaves the new one plain', () => {
  const r = rotationOf(new MemFs().files(['/l/a.log.1', '/l/a.log.2.gz']), { rotate: 3, compress: true, delayCompress: true });
  assert.deepEqual(show(r.prepare), [
    STAMP,
    'compress /l/a.log.1 > /l/a.log.1.gz attrs /l/a.log.1',
    'remove /l/a.log.1 (compressed)',
    'gap /l/a.log.{3..3}.gz',
    'rename /l/a.log.2.gz > /l/a.log.3.gz #2',
    'rename /l/a.log.1.gz > /l/a.log.2.gz #1',
  ]);
  assert.deepEqual(show(r.finish), []);
  assert.deepEqual(rotationOf(new MemFs(), { delayCompress: true, rotate: 1 }).warnings, [
    'delayed compression for log file /l/a.log ignored since compression is disabled',
  ]);
});

test('create: explicit attributes win, the rest come from the old log, whose ACL is copied without a mode', () => {
  const r = rotationOf(new MemFs(), { rotate: 1, create: { gid: 4 } });
  assert.deepEqual(show(r.rotate), ['rename /l/a.log > /l/a.log.1', 'create /l/a.log 0640 7:4 acl /l/a.log.1']);
  const m = rotationOf(new MemFs(), { rotate: 1, create: { mode: 0o600, uid: 0, gid: 0 } });
  assert.deepEqual(show(m.rotate).slice(1), ['create /l/a.log 0600 0:0']);
});

test('extension moves behind the index only when the name ends with it; addextension always', () => {
  const name = (file: string, o: Partial<LogOptions>): string | undefined =>
    planFor(new MemFs().file(file), { rotate: 1, ...o }, [file]).rotations[0]?.finalName;
  assert.equal(name('/l/a.log', { extension: '.log' }), '/l/a.1.log');
  assert.equal(name('/l/a.txt', { extension: '.log' }), '/l/a.txt.1');
  assert.equal(name('/l/a.txt', { addExtension: '.txt' }), '/l/a.1.txt');
  assert.equal(name('/l/a', { addExtension: '.txt' }), '/l/a.1.txt');
  assert.equal(name('/l/a.log', { extension: '.log', dateExt: true }), '/l/a-20240305.log');
  const r = rotationOf(new MemFs().file('/l/a.1.log.gz'), { extension: '.log', compress: true, rotate: 1 });
  assert.deepEqual(show(r.prepare).slice(1), ['rename /l/a.1.log.gz > /l/a.2.log.gz #1']);
  assert.equal(r.disposeName, '/l/a.2.log.gz');
});

test('olddir: relative to the log directory, or absolute', () => {
  const rel = rotationOf(new MemFs().dir('/l/old'), { rotate: 1, oldDir: 'old' });
  assert.deepEqual(show(rel.rotate), ['rename /l/a.log > /l/old/a.log.1']);
  const abs = rotationOf(new MemFs().file('/arch/a.log.1'), { rotate: 1, oldDir: '/arch' });
  assert.deepEqual(show(abs.prepare).slice(1), ['rename /arch/a.log.1 > /arch/a.log.2 #1']);
  assert.deepEqual(show(abs.finish), ['remove /arch/a.log.2 (rotate-count)']);
});

test('dateext: the oldest beyond the count go now, the last of them at the end', () => {
  const fs = new MemFs().files(['/l/a.log-20240301', '/l/a.log-20240303', '/l/a.log-20240302', '/l/a.log-2024030', '/l/a.log-x']);
  const r = rotationOf(fs, { rotate: 2, dateExt: true });
  assert.deepEqual(show(r.prepare), [STAMP, 'remove /l/a.log-20240301 (rotate-count)']);
  assert.deepEqual(show(r.rotate), ['rename /l/a.log > /l/a.log-20240305']);
  assert.deepEqual(show(r.finish), ['remove /l/a.log-20240302 (rotate-count)']);
  assert.deepEqual([r.dateSuffix, r.globPattern], ['-20240305', `-${'[0-9]'.repeat(8)}`]);
  const hourly = rotationOf(new MemFs(), { criterion: { kind: 'hourly' }, dateExt: true });
  assert.deepEqual([hourly.finalName, hourly.globPattern], ['/l/a.log-2024030514', `-${'[0-9]'.repeat(10)}`]);
  const minutes = rotationOf(new MemFs(), { criterion: { kind: 'minutes', minutes: 5 }, dateExt: true });
  assert.equal(minutes.finalName, '/l/a.log-202403051423');
});

test('dateext with compress matches compressed rotations and mails each one before removing it', () => {
  const fs = new MemFs().files(['/l/a.log-20240301.gz', '/l/a.log-20240302.gz', '/l/a.log-20240303']);
  const r = rotationOf(fs, { rotate: 1, dateExt: true, compress: true, mail: 'ops@x' });
  assert.deepEqual(show(r.prepare), [
    STAMP,
    'mail /l/a.log-20240301.gz to ops@x subject /l/a.log-20240301.gz uncompress',
    'remove /l/a.log-20240301.gz (rotate-count)',
  ]);
  assert.deepEqual(show(r.finish), [
    'compress /l/a.log-20240305 > /l/a.log-20240305.gz attrs /l/a.log-20240305',
    'remove /l/a.log-20240305 (compressed)',
    'mail /l/a.log-20240302.gz to ops@x subject /l/a.log-20240302.gz uncompress',
    'remove /l/a.log-20240302.gz (rotate-count)',
  ]);
});

test('dateext refuses a destination that already exists, after its expiry steps', () => {
  const r = rotationOf(new MemFs().files(['/l/a.log-20240301', '/l/a.log-20240305']), { rotate: 1, dateExt: true });
  assert.equal(r.failure, 'destination /l/a.log-20240305 already exists, skipping rotation');
  assert.deepEqual([show(r.prepare), show(r.rotate), show(r.finish)], [[STAMP, 'remove /l/a.log-20240301 (rotate-count)'], [], []]);
  const gz = rotationOf(new MemFs().file('/l/a.log-20240305.gz'), { rotate: 3, dateExt: true, compress: true });
  assert.equal(gz.failure, 'destination /l/a.log-20240305.gz already exists, skipping rotation');
  assert.equal(rotationOf(new MemFs().file('/l/a.log-20240305'), { rotate: 3, dateExt: true, compress: true }).failure, null);
});

test('delaycompress with dateext compresses every plain dated rotation, which then count for expiry', () => {
  const fs = new MemFs().files(['/l/a.log-20240303', '/l/a.log-20240304', '/l/a.log-20240301.gz']);
  const r = rotationOf(fs, { rotate: 2, dateExt: true, compress: true, delayCompress: true });
  assert.deepEqual(show(r.prepare), [
    STAMP,
    'compress /l/a.log-20240303 > /l/a.log-20240303.gz attrs /l/a.log-20240303',
    'remove /l/a.log-20240303 (compressed)',
    'compress /l/a.log-20240304 > /l/a.log-20240304.gz attrs /l/a.log-20240304',
    'remove /l/a.log-20240304 (compressed)',
    'remove /l/a.log-20240301.gz (rotate-count)',
  ]);
  assert.deepEqual(show(r.finish), ['remove /l/a.log-20240303.gz (rotate-count)']);
});

test('maxage removes old rotations instead of shifting them (numbered) or along with expiry (dateext)', () => {
  const fs = new MemFs().file('/l/a.log.1', { mtime: daysAgo(5) }).file('/l/a.log.2', { mtime: daysAgo(11) });
  const r = rotationOf(fs, { rotate: 4, maxAge: 10 });
  assert.deepEqual(show(r.prepare), [STAMP, 'gap /l/a.log.{4..3}', 'remove /l/a.log.2 (maxage)', 'rename /l/a.log.1 > /l/a.log.2 #1']);
  const boundary = rotationOf(new MemFs().file('/l/a.log.1', { mtime: new Date(daysAgo(11).getTime() + 1000) }), { rotate: 4, maxAge: 10 });
  assert.deepEqual(show(boundary.prepare).slice(1), ['gap /l/a.log.{4..2}', 'rename /l/a.log.1 > /l/a.log.2 #1']);
  const dated = new MemFs().file('/l/a.log-20240201', { mtime: daysAgo(33) }).file('/l/a.log-20240228', { mtime: daysAgo(6) });
  const d = rotationOf(dated, { rotate: -1, maxAge: 10, dateExt: true });
  assert.deepEqual([show(d.prepare), show(d.finish)], [[STAMP], ['remove /l/a.log-20240201 (maxage)']]);
});

test('a custom dateformat sorts rotations by the date in their names', () => {
  const fs = new MemFs().files(['/l/a.log-01022024', '/l/a.log-31012024', '/l/a.log-15012024']);
  const r = rotationOf(fs, { rotate: 2, dateExt: true, dateFormat: '-%d%m%Y' });
  assert.deepEqual(show(r.prepare), [STAMP, 'remove /l/a.log-15012024 (rotate-count)']);
  assert.equal(r.disposeName, '/l/a.log-31012024');
  assert.deepEqual([r.finalName, r.convertedFormat], ['/l/a.log-05032024', '-%d%m%Y']);
});

test('dateformat: every specifier main knows, unknown ones kept literally, leading blanks dropped', () => {
  // Split in three: the glob of all of them together exceeds logrotate's 128-byte buffer.
  const formats = ['%Y.%m.%d.%H.%M.%S', '%V.%s.%G.%y', '%g.%U.%W.%u.%w.%j.%z'];
  const rotations = formats.map((dateFormat) => rotationOf(new MemFs(), { dateExt: true, dateFormat }));
  assert.deepEqual(
    rotations.map((r) => r.dateSuffix),
    ['2024.03.05.14.23.45', '10.1709648625.2024.24', '24.09.10.2.2.065.+0000'],
  );
  const [d1, d2, d3, d4] = ['[0-9]', '[0-9]'.repeat(2), '[0-9]'.repeat(3), '[0-9]'.repeat(4)];
  assert.deepEqual(
    rotations.map((r) => r.globPattern),
    [
      [d4, d2, d2, d2, d2, d2].join('.'),
      [d2, '[0-9]'.repeat(10), d4, d2].join('.'),
      [d2, d2, d2, d1, d1, d3, `[-+]${d4}`].join('.'),
    ],
  );
  const iso = rotationOf(new MemFs(), { dateExt: true, dateFormat: '-%G-%V-%g-%U-%W-%u-%j' }, new Date(2027, 0, 1, 10));
  assert.equal(iso.dateSuffix, '-2026-53-26-00-00-5-001');
  const odd = rotationOf(new MemFs(), { dateExt: true, dateFormat: '  -%Y%Q%%m' });
  assert.deepEqual([odd.dateSuffix, odd.globPattern, odd.convertedFormat], ['-2024%Q%03', '-[0-9][0-9][0-9][0-9]%Q%[0-9][0-9]', '-%Y%%Q%%%m']);
  const long = rotationOf(new MemFs(), { dateExt: true, dateFormat: '-%s'.repeat(3) });
  assert.equal(long.failure, "Date format -%s-%s-%s is too long");
  assert.deepEqual(show(long.prepare), [STAMP]);
  const wide = rotationOf(new MemFs(), { dateExt: true, dateFormat: `-${'x'.repeat(60)}%Y` });
  assert.equal(wide.failure, `failed to apply date format '-${'x'.repeat(60)}%Y'`);
});

test('dateyesterday: yesterday at 12, with the minutes and seconds of now', () => {
  const r = rotationOf(new MemFs(), { dateExt: true, dateYesterday: true, dateFormat: '-%Y%m%d%H%M%S' });
  assert.equal(r.finalName, '/l/a.log-20240304122345');
  const jan = rotationOf(new MemFs(), { dateExt: true, dateYesterday: true }, new Date(2024, 0, 1, 0, 5));
  assert.equal(jan.finalName, '/l/a.log-20231231');
  const ago = rotationOf(new MemFs(), { criterion: { kind: 'hourly' }, dateExt: true, dateHourAgo: true }, new Date(2024, 0, 1, 0, 5));
  assert.equal(ago.finalName, '/l/a.log-2023123123');
});

test('copytruncate copies and truncates; compression takes the attributes from the log', () => {
  const r = rotationOf(new MemFs(), { rotate: 1, copyTruncate: true, compress: true, create: { mode: 0o600 } });
  assert.deepEqual(show(r.rotate), ['copy /l/a.log > /l/a.log.1 truncate']);
  assert.deepEqual(show(r.finish), ['compress /l/a.log.1 > /l/a.log.1.gz attrs /l/a.log', 'remove /l/a.log.1 (compressed)']);
});

test('rotate 0 with copy: the copy is skipped without mail, made (and mailed a run late) with it', () => {
  const fs = (): MemFs => new MemFs().file('/l/a.log.1');
  const skip = rotationOf(fs(), { rotate: 0, copyTruncate: true });
  assert.deepEqual([show(skip.rotate), show(skip.finish)], [['copy /l/a.log > /l/a.log.1 truncate skip'], ['remove /l/a.log.2 (rotate-count)']]);
  // Nothing was copied, so nothing is compressed either.
  const gz = rotationOf(fs(), { rotate: 0, copyTruncate: true, compress: true });
  assert.deepEqual([show(gz.finish), gz.disposeMissing], [[], '/l/a.log.2.gz']);
  const mailed = rotationOf(fs(), { rotate: 0, copy: true, mail: 'ops@x' });
  assert.deepEqual(show(mailed.rotate), ['copy /l/a.log > /l/a.log.1']);
  assert.deepEqual(show(mailed.finish), ['mail /l/a.log.2 to ops@x subject /l/a.log.2', 'remove /l/a.log.2 (rotate-count)']);
});

test('renamecopy: rename to .tmp, then copy to the final name and drop the .tmp', () => {
  const r = rotationOf(new MemFs(), { rotate: 1, renameCopy: true, create: {}, compress: true });
  assert.deepEqual(show(r.rotate), ['rename /l/a.log > /l/a.log.tmp', 'create /l/a.log 0640 7:8 acl /l/a.log.tmp']);
  assert.deepEqual(show(r.finish), [
    'copy /l/a.log.tmp > /l/a.log.1',
    'remove /l/a.log.tmp (renamecopy-tmp)',
    'compress /l/a.log.1 > /l/a.log.1.gz attrs /l/a.log',
    'remove /l/a.log.1 (compressed)',
  ]);
});

test('mail: maillast sends what falls out, mailfirst the new rotation (subject and uncompress as logrotate)', () => {
  const fs = (): MemFs => new MemFs().files(['/l/a.log.1.gz', '/l/a.log.2.gz']);
  const last = rotationOf(fs(), { rotate: 2, compress: true, mail: 'ops@x' });
  assert.deepEqual(show(last.finish).slice(2), ['mail /l/a.log.3.gz to ops@x subject /l/a.log.3.gz uncompress', 'remove /l/a.log.3.gz (rotate-count)']);
  const first = rotationOf(fs(), { rotate: 2, compress: true, mail: 'ops@x', mailFirst: true });
  assert.deepEqual(show(first.finish).slice(2), ['mail /l/a.log.1.gz to ops@x subject /l/a.log uncompress', 'remove /l/a.log.3.gz (rotate-count)']);
  const delayed = rotationOf(fs(), { rotate: 2, compress: true, delayCompress: true, mail: 'ops@x', mailFirst: true });
  assert.deepEqual(show(delayed.finish), ['mail /l/a.log.1 to ops@x subject /l/a.log.1', 'remove /l/a.log.3.gz (rotate-count)']);
  const plain = rotationOf(new MemFs(), { rotate: 0, mail: 'ops@x' });
  assert.deepEqual(show(plain.finish), ['mail /l/a.log.1 to ops@x subject /l/a.log.1', 'remove /l/a.log.1 (rotate-0)']);
});

test('sharedscripts changes the order of phases, not the names', () => {
  const tree = (): MemFs => new MemFs().files(['/l/a.log', '/l/b.log', '/l/a.log.1', '/l/b.log.1']);
  const opts = { rotate: 2, compress: true };
  const alone = planFor(tree(), opts, ['/l/a.log', '/l/b.log']);
  const shared = planFor(tree(), { ...opts, sharedScripts: true }, ['/l/a.log', '/l/b.log']);
  assert.deepEqual(shared.rotations, alone.rotations);
  assert.deepEqual(shared.rotations.map((r) => r.finalName), ['/l/a.log.1', '/l/b.log.1']);
  assert.equal(shared.blocked, false);
});

test('sharedscripts: one failed decision blocks the whole group', () => {
  const plan = planFor(new MemFs().file('/l/a.log'), { sharedScripts: true }, ['/l/a.log', '/l/b.log']);
  assert.deepEqual([plan.blocked, plan.rotations.length, plan.decisions.map((d) => d.verdict.kind)], [true, 0, ['rotate', 'error']]);
  const alone = planFor(new MemFs().file('/l/a.log'), {}, ['/l/a.log', '/l/b.log']);
  assert.deepEqual([alone.blocked, alone.rotations.length], [false, 1]);
});

test('later logs of a section see the tree earlier ones leave behind', () => {
  // A glob that also matched a rotation: a.log's shift moved a.log.1 away before it is prepared.
  const fs = new MemFs().files(['/l/a.log', '/l/a.log.1']);
  const plan = planFor(fs, { rotate: 1 }, ['/l/a.log', '/l/a.log.1']);
  assert.deepEqual(show(plan.rotations[1]?.rotate ?? []), ['rename /l/a.log.1 > /l/a.log.1.1']);
  assert.equal(plan.rotations[1]?.disposeMissing, '/l/a.log.1.2');
});

test('a rotate count near 2^31 walks only the indices that hold files; C int arithmetic wraps the top name', () => {
  const r = rotationOf(new MemFs().files(['/l/a.log.1', '/l/a.log.5', '/l/a.log.2147483647', '/l/a.log.-3']), { rotate: 2147483647 });
  assert.deepEqual(show(r.prepare).slice(1), [
    'rename /l/a.log.2147483647 > /l/a.log.-2147483648 #2147483647',
    'gap /l/a.log.{2147483646..6}',
    'rename /l/a.log.5 > /l/a.log.6 #5',
    'gap /l/a.log.{4..2}',
    'rename /l/a.log.1 > /l/a.log.2 #1',
  ]);
  // The top rotation moved to the wrapped name, which is then what falls out (as in logrotate).
  assert.deepEqual([r.disposeName, r.disposeMissing], ['/l/a.log.-2147483648', null]);
  // start + rotate past 2^31 - 1: the top index wraps below start, so nothing is walked.
  const wrapped = rotationOf(new MemFs().file('/l/a.log.7'), { rotate: 2147483647, start: 7 });
  assert.deepEqual(show(wrapped.prepare).slice(1), []);
  assert.equal(wrapped.disposeMissing, '/l/a.log.-2147483642');
});

test('indices are the names printf %d writes: no leading zeros, no plus sign, no blanks', () => {
  const r = rotationOf(new MemFs().files(['/l/a.log.01', '/l/a.log.+2', '/l/a.log. 3', '/l/a.log.3']), { rotate: 4 });
  assert.deepEqual(show(r.prepare).slice(1), ['gap /l/a.log.{4..4}', 'rename /l/a.log.3 > /l/a.log.4 #3', 'gap /l/a.log.{2..1}']);
});

test('a missing rotation directory holds no old logs: the walk is one gap', () => {
  const r = rotationOf(new MemFs(), { rotate: 3, oldDir: '/nowhere' });
  assert.deepEqual(show(r.prepare).slice(1), ['gap /nowhere/a.log.{3..1}']);
});

test('dateext with a negative count (a bad rotate value kept by a section cut off at the end of its file) expires nothing by count', () => {
  const r = rotationOf(new MemFs().files(['/l/a.log-20240301', '/l/a.log-20240302']), { rotate: -2147483648, dateExt: true });
  assert.deepEqual([show(r.prepare), r.disposeName], [[STAMP], null]);
});
