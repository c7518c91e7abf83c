// norename: the application rotates; logrotor compresses finished files and removes the
// oldest, never touching the newest file of each word and directory.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions, Section } from '../../src/config/model.js';
import { describeCompression, describeNoRenameGroup, describeRemoval } from '../../src/plan/describe-purge.js';
import { hasWork, planNoRename } from '../../src/plan/norename.js';
import { planSection, stateTimes } from '../../src/plan/planner.js';
import type { NoRenamePlan } from '../../src/plan/purge-model.js';
import { Dice } from '../helpers/random.js';
import { MemFs, section } from './fixtures.js';

const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);
const stamp = (d: Date): string => d.toISOString().slice(0, 10);

/** A norename section of `words`, its files as the loader would list them from `fs`. */
function norename(fs: MemFs, words: readonly string[], options: Partial<LogOptions> = {}): Section {
  const files: string[] = [];
  const fileWords: number[] = [];
  words.forEach((word, index) => {
    const dir = word.slice(0, word.lastIndexOf('/'));
    const name = new RegExp(`^${word.slice(dir.length + 1).replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`);
    const dirs = dir.includes('*') ? ['/apps/a', '/apps/b'].filter((d) => fs.readdir(d) !== null) : [dir];
    const matches = dirs.flatMap((d) => (fs.readdir(d) ?? []).filter((n) => name.test(n)).sort().map((n) => `${d}/${n}`));
    for (const path of matches.length === 0 ? [word] : matches) {
      files.push(path);
      fileWords.push(index);
    }
  });
  return { ...section(files, { noRename: true, rotate: -1, ...options }, words.join(' ')), fileWords };
}

function plan(fs: MemFs, s: Section, isRoot = true): NoRenamePlan {
  return planNoRename(s, { fs, now: NOW, isRoot });
}

/** What -d would say: the group lines, then each step. */
function lines(result: NoRenamePlan): string[] {
  return [
    ...result.messages.map((m) => `${m.severity}: ${m.text}`),
    ...result.work.flatMap((w) => [
      ...describeNoRenameGroup(w).map((m) => m.text),
      ...w.removals.map(describeRemoval),
      ...w.compressions.map(describeCompression),
    ]),
  ];
}

/** Tomcat's catalina.DATE.log for the last `days` days, the newest being written now. */
function tomcat(days: number, fs = new MemFs(), dir = '/t'): MemFs {
  for (let i = 0; i <= days; i++) fs.file(`${dir}/catalina.${stamp(daysAgo(i))}.log`, { size: 1000 + i, mtime: i === 0 ? NOW : daysAgo(i) });
  return fs;
}

test('30 dated files and a live one: keep 10, compress the rest but the newest with delaycompress', () => {
  const fs = tomcat(30);
  const result = plan(fs, norename(fs, ['/t/catalina.*.log'], { rotate: 10, compress: true, delayCompress: true }));
  const [work] = result.work;
  assert.ok(work);
  assert.deepEqual(work.group.live, ['/t/catalina.2026-12-01.log']);
  assert.equal(work.log, '/t/catalina.2026-12-01.log');
  assert.equal(work.finalName, '/t/catalina.2026-11-30.log');
  const text = lines(result);
  assert.deepEqual(text.slice(0, 3), [
    'considering norename files /t/catalina.*.log in /t',
    '  live log /t/catalina.2026-12-01.log, 30 finished files',
    'rotate 10: removing /t/catalina.2026-11-01.log, 30 finished files',
  ]);
  assert.deepEqual(
    work.removals.map((r) => r.file.path),
    Array.from({ length: 20 }, (_, i) => `/t/catalina.${stamp(daysAgo(30 - i))}.log`),
  );
  assert.deepEqual(
    work.compressions.map((c) => [c.from, c.to]),
    Array.from({ length: 9 }, (_, i) => [`/t/catalina.${stamp(daysAgo(10 - i))}.log`, `/t/catalina.${stamp(daysAgo(10 - i))}.log.gz`]),
  );
  assert.equal(text.at(-1), `norename: compressing /t/catalina.${stamp(daysAgo(2))}.log`);
});

test('the rotation planner never renames, creates, copies or stamps in a norename section, even with -f', () => {
  const fs = tomcat(3);
  const s = norename(fs, ['/t/catalina.*.log'], { rotate: 1, criterion: { kind: 'size', bytes: 1 } });
  const planned = planSection(s, { state: new Map(), fs, now: NOW, force: true, isRoot: true });
  const actions = planned.rotations.flatMap((r) => [...r.prepare, ...r.rotate, ...r.finish]);
  assert.deepEqual(actions.map((a) => a.kind), ['remove', 'remove']);
  assert.deepEqual(planned.decisions.map((d) => [d.path, d.verdict]), [['/t/catalina.2026-12-01.log', { kind: 'rotate', why: 'norename' }]]);
  assert.deepEqual(stateTimes(planned), []);
  const renaming = planSection({ ...s, options: { ...s.options, noRename: false } }, { state: new Map(), fs, now: NOW, force: true, isRoot: true });
  assert.equal(renaming.rotations.length, 4);
});

test('files compressed on earlier runs are finished files too, and count for rotate', () => {
  const fs = new MemFs()
    .file('/t/catalina.2026-11-27.log.gz', { mtime: daysAgo(4) })
    .file('/t/catalina.2026-11-28.log.gz', { mtime: daysAgo(3) })
    .file('/t/catalina.2026-11-29.log', { mtime: daysAgo(2) })
    .file('/t/catalina.2026-11-30.log', { mtime: daysAgo(1) })
    .file('/t/catalina.2026-12-01.log', { mtime: NOW })
    .file('/t/other.2026-11-01.log.gz', { mtime: daysAgo(30) });
  const result = plan(fs, norename(fs, ['/t/catalina.*.log'], { rotate: 3, compress: true }));
  assert.deepEqual(lines(result), [
    'considering norename files /t/catalina.*.log in /t',
    '  live log /t/catalina.2026-12-01.log, 4 finished files',
    'rotate 3: removing /t/catalina.2026-11-27.log.gz, 4 finished files',
    'norename: compressing /t/catalina.2026-11-29.log',
    'norename: compressing /t/catalina.2026-11-30.log',
  ]);
});

test('the newest by mtime is live, whatever the names say; ties leave every tied file alone', () => {
  const fs = new MemFs()
    .file('/t/app.b.log', { mtime: daysAgo(1) })
    .file('/t/app.a.log', { mtime: NOW })
    .file('/t/app.c.log', { mtime: NOW })
    .file('/t/app.d.log', { mtime: daysAgo(2) });
  const [work] = plan(fs, norename(fs, ['/t/app.*.log'], { rotate: 0, compress: true })).work;
  assert.deepEqual(work?.group.live, ['/t/app.a.log', '/t/app.c.log']);
  assert.deepEqual(work?.removals.map((r) => r.file.path), ['/t/app.d.log', '/t/app.b.log']);
  assert.equal(work?.finalName, null);
});

test('finished files of the same mtime go oldest name first', () => {
  const fs = new MemFs()
    .files(['/t/app.2.log', '/t/app.1.log', '/t/app.3.log'], { mtime: daysAgo(1) })
    .file('/t/app.4.log', { mtime: NOW });
  const [work] = plan(fs, norename(fs, ['/t/app.*.log'], { rotate: 1 })).work;
  assert.deepEqual(work?.removals.map((r) => r.file.path), ['/t/app.1.log', '/t/app.2.log']);
});

test('each word and each directory is its own group with its own live log', () => {
  const fs = tomcat(3, tomcat(2, new MemFs(), '/apps/a'), '/apps/b');
  fs.file('/apps/a/localhost.2026-11-30.log', { mtime: daysAgo(1) }).file('/apps/a/localhost.2026-12-01.log', { mtime: daysAgo(0.5) });
  const result = plan(fs, norename(fs, ['/apps/*/catalina.*.log', '/apps/a/localhost.*.log'], { rotate: 1 }));
  assert.deepEqual(
    result.work.map((w) => [w.group.word, w.group.dir, w.group.live.join(), w.removals.length]),
    [
      ['/apps/*/catalina.*.log', '/apps/a', '/apps/a/catalina.2026-12-01.log', 1],
      ['/apps/*/catalina.*.log', '/apps/b', '/apps/b/catalina.2026-12-01.log', 2],
      ['/apps/a/localhost.*.log', '/apps/a', '/apps/a/localhost.2026-12-01.log', 0],
    ],
  );
  assert.equal(hasWork(result.work[2] ?? assert.fail()), false);
  assert.equal(hasWork(result.work[0] ?? assert.fail()), true);
});

test('maxage applies on every run; rotate -1 keeps every file; without compress nothing is compressed', () => {
  const fs = tomcat(6);
  const [work] = plan(fs, norename(fs, ['/t/catalina.*.log'], { maxAge: 3 })).work;
  assert.deepEqual(work?.removals.map(describeRemoval), [
    'maxage 3: removing /t/catalina.2026-11-25.log, 6 days old',
    'maxage 3: removing /t/catalina.2026-11-26.log, 5 days old',
    'maxage 3: removing /t/catalina.2026-11-27.log, 4 days old',
  ]);
  assert.deepEqual(work?.compressions, []);
});

test('rotate counts first, then maxage looks at what is left', () => {
  const fs = tomcat(6);
  const [work] = plan(fs, norename(fs, ['/t/catalina.*.log'], { maxAge: 4, rotate: 5 })).work;
  assert.deepEqual(work?.removals.map(describeRemoval), [
    'rotate 5: removing /t/catalina.2026-11-25.log, 6 finished files',
    'maxage 4: removing /t/catalina.2026-11-26.log, 5 days old',
  ]);
});

test('notifempty leaves empty finished files plain; compressext names the output', () => {
  const fs = new MemFs()
    .file('/t/a.1.log', { size: 0, mtime: daysAgo(2) })
    .file('/t/a.2.log', { size: 10, mtime: daysAgo(1) })
    .file('/t/a.3.log', { size: 10, mtime: NOW });
  const s = norename(fs, ['/t/a.*.log'], { compress: true, ifEmpty: false, compressExt: '.zst' });
  assert.deepEqual(plan(fs, s).work[0]?.compressions.map((c) => c.to), ['/t/a.2.log.zst']);
  const all = norename(fs, ['/t/a.*.log'], { compress: true });
  assert.deepEqual(plan(fs, all).work[0]?.compressions.map((c) => c.to), ['/t/a.1.log.gz', '/t/a.2.log.gz']);
});

test('a pattern that matches compressed files too treats them as finished, never as live', () => {
  const fs = new MemFs()
    .file('/t/a.1.log.gz', { mtime: NOW })
    .file('/t/a.2.log', { mtime: daysAgo(1) })
    .file('/t/a.3.log', { mtime: daysAgo(2) });
  const [work] = plan(fs, norename(fs, ['/t/a.*'], { compress: true, rotate: 1 })).work;
  assert.deepEqual(work?.group.live, ['/t/a.2.log']);
  assert.deepEqual(work?.group.finished.map((f) => f.path), ['/t/a.3.log', '/t/a.1.log.gz']);
  assert.deepEqual(work?.removals.map((r) => r.file.path), ['/t/a.3.log']);
});

test('missing, symlinked, hard-linked and insecure: the lines logrotate prints, and no work', () => {
  const empty = new MemFs().dir('/t');
  assert.deepEqual(lines(plan(empty, norename(empty, ['/t/a.*.log']))), [
    'error: stat of /t/a.*.log failed: No such file or directory',
    'considering norename files /t/a.*.log in /t',
    '  no live log, 0 finished files',
  ]);
  assert.deepEqual(lines(plan(empty, norename(empty, ['/t/a.*.log'], { missingOk: true }))).slice(0, 2), [
    'debug: considering log /t/a.*.log',
    'debug:   log /t/a.*.log does not exist -- skipping',
  ]);
  const links = new MemFs().symlink('/t/a.1.log').file('/t/a.2.log', { nlink: 2 }).file('/t/a.3.log', { mtime: NOW });
  assert.deepEqual(lines(plan(links, norename(links, ['/t/a.*.log'], { rotate: 0 }))), [
    'debug: considering log /t/a.1.log',
    'debug:   log /t/a.1.log is symbolic link. Rotation of symbolic links is not allowed to avoid security issues -- skipping.',
    'debug: considering log /t/a.2.log',
    'debug:   log /t/a.2.log has multiple (2) hard links. Rotation of files with multiple hard links is not allowed for /t/a.*.log -- skipping.',
    'considering norename files /t/a.*.log in /t',
    '  live log /t/a.3.log, 0 finished files',
  ]);
  const open = tomcat(2).dir('/t', 0o777);
  const refused = plan(open, norename(open, ['/t/catalina.*.log'], { rotate: 0 }));
  assert.deepEqual(refused.work, []);
  assert.match(refused.messages[0]?.text ?? '', /^skipping "\/t\/catalina\.2026-11-29\.log" because parent directory has insecure permissions/);
  assert.equal(plan(open, norename(open, ['/t/catalina.*.log'], { rotate: 0 }), false).work[0]?.removals.length, 2);
});

test('property: never a live file; rotate keeps exactly the newest; compressed are never recompressed', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const dice = new Dice(seed);
    const fs = new MemFs();
    for (let i = 0; i < dice.int(1, 14); i++) {
      fs.file(`/t/app.${i}.log${dice.chance(0.3) ? '.gz' : ''}`, { size: dice.int(0, 3), mtime: daysAgo(dice.int(0, 6)) });
    }
    const rotate = dice.int(-1, 6);
    const s = norename(fs, ['/t/app.*.log'], { rotate, compress: dice.chance(0.7), delayCompress: dice.chance(0.5) });
    const result = plan(fs, s);
    for (const work of result.work) {
      const { live, finished } = work.group;
      const touched = [...work.removals.map((r) => r.file.path), ...work.compressions.map((c) => c.from)];
      for (const path of live) assert.ok(!touched.includes(path), `seed ${seed}: live ${path} touched`);
      // Live: the newest of the plain files; a compressed file may be newer.
      const plain = finished.filter((f) => !f.path.endsWith('.gz')).map((f) => f.mtimeMs);
      for (const path of live) assert.ok((fs.lstat(path) as { mtimeMs: number }).mtimeMs > Math.max(...plain, -Infinity), `seed ${seed}: ${path} not the newest`);
      const kept = finished.filter((f) => !work.removals.some((r) => r.file === f));
      if (rotate >= 0) assert.deepEqual(kept, finished.slice(Math.max(0, finished.length - rotate)), `seed ${seed}: not the newest kept`);
      for (const step of work.compressions) assert.ok(!step.from.endsWith('.gz'), `seed ${seed}: recompressed`);
    }
  }
});
