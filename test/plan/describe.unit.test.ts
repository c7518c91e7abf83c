process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions } from '../../src/config/model.js';
import { describeDecision, describeMoved, describePreparation, describePrepared, describeSection, describeStep, type MessageLine, type Phase } from '../../src/plan/describe.js';
import { describeGap, GAP_LINES_LIMIT } from '../../src/plan/shift.js';
import type { Action, SectionPlan } from '../../src/plan/model.js';
import { planSection } from '../../src/plan/planner.js';
import { DAILY, MemFs, section } from './fixtures.js';

const NOW = new Date(2026, 10, 22, 14, 2);
const text = (lines: readonly MessageLine[]): string[] => lines.map((l) => (l.severity === 'debug' ? l.text : `${l.severity}: ${l.text}`));

function planOf(fs: MemFs, files: readonly string[], options: Partial<LogOptions>, state: [string, Date][] = [], force = false): SectionPlan {
  return planSection(section(files, options), { state: new Map(state), fs, now: NOW, force, isRoot: true });
}

test('section summary in main-branch wording', () => {
  const s = (o: Partial<LogOptions>, files = ['/l/a.log']): string[] => describeSection(section(files, o), false);
  assert.deepEqual(s({ ...DAILY, rotate: 4, ifEmpty: false }), [
    '',
    'rotating pattern: /l/a.log after 1 days empty log files are not rotated, (4 rotations), old logs are removed',
  ]);
  assert.deepEqual(s({ criterion: { kind: 'size', bytes: 1024 }, rotate: 2 })[1], 'rotating pattern: /l/a.log 1024 bytes empty log files are rotated, (2 rotations), old logs are removed');
  assert.equal(
    s({ criterion: { kind: 'weekly', weekday: 1 }, oldDir: 'old', minSize: 10, maxSize: 20, minAge: 3, mail: 'ops@x', rotate: -1, maxAge: 9 })[1],
    'rotating pattern: /l/a.log weekly olddir is old, empty log files are rotated, only log files >= 10 bytes are rotated, ' +
      'log files >= 20 are rotated earlier, only log files older than 3 days are rotated, old logs mailed to ops@x, ' +
      '(unlimited rotations), old logs are removed after 9 days',
  );
  assert.equal(s({ criterion: { kind: 'minutes', minutes: 5 }, rotate: -1 })[1], 'rotating pattern: /l/a.log after 5 minutes empty log files are rotated, old logs are kept forever');
  assert.equal(s({ criterion: { kind: 'hourly' }, rotate: 0 })[1], 'rotating pattern: /l/a.log hourly empty log files are rotated, no old logs will be kept');
  assert.equal(describeSection(section(['/l/a.log'], { criterion: { kind: 'yearly' } }), true)[1]?.startsWith('rotating pattern: /l/a.log forced from command line empty'), true);
  assert.deepEqual(s({ criterion: { kind: 'monthly', day: 3 } }, []).slice(2), ['No logs found. Rotation not needed.']);
});

test('decision lines: new state, Now / Last rotated, reasons, needs rotating', () => {
  const plan = planOf(new MemFs().file('/l/a.log').file('/l/b.log', { size: 0 }), ['/l/a.log', '/l/b.log'], { ...DAILY, ifEmpty: false }, [
    ['/l/b.log', new Date(2026, 10, 21, 3)],
  ]);
  const [a, b] = plan.decisions.map((d) => text(describeDecision(d, plan.section, NOW)));
  assert.deepEqual(a, [
    'considering log /l/a.log',
    'Creating new state',
    '  Now: 2026-11-22 14:02',
    '  Last rotated at 2026-11-22 14:00',
    '  log does not need rotating (log has been rotated at 2026-11-22 14:00, which is less than a day ago)',
  ]);
  assert.deepEqual(b, [
    'considering log /l/b.log',
    '  Now: 2026-11-22 14:02',
    '  Last rotated at 2026-11-21 03:00',
    '  log does not need rotating (log is empty)',
  ]);
});

test('decision lines for skips, errors and the future notice', () => {
  const fs = new MemFs().symlink('/l/s.log').file('/l/h.log', { nlink: 3 }).file('/l/f.log').file('/l/z.log', { size: 5 });
  const files = ['/l/s.log', '/l/h.log', '/l/m.log', '/l/f.log', '/l/z.log'];
  const future = new Date(2026, 10, 24);
  const lines = (o: Partial<LogOptions>): string[][] => {
    const p = planOf(fs, files, o, files.map((f) => [f, future] as [string, Date]));
    return p.decisions.map((d) => text(describeDecision(d, p.section, NOW)));
  };
  const [s, h, m, f, z] = lines({ criterion: { kind: 'weekly', weekday: 0 }, missingOk: true });
  assert.deepEqual(s?.[1], '  log /l/s.log is symbolic link. Rotation of symbolic links is not allowed to avoid security issues -- skipping.');
  assert.deepEqual(h?.[1], `  log /l/h.log has multiple (3) hard links. Rotation of files with multiple hard links is not allowed for ${files.join(' ')} -- skipping.`);
  assert.deepEqual(m, ['considering log /l/m.log', '  log /l/m.log does not exist -- skipping']);
  assert.deepEqual(f?.slice(3), ['error: log /l/f.log last rotated in the future -- rotation forced', '  log needs rotating']);
  assert.ok(z);
  const [, , missing] = lines(DAILY);
  assert.deepEqual(missing, ['considering log /l/m.log', 'error: stat of /l/m.log failed: No such file or directory']);
  const sized = planOf(fs, ['/l/z.log'], { criterion: { kind: 'size', bytes: 100 } }, [['/l/z.log', NOW]]);
  assert.deepEqual(text(describeDecision(sized.decisions[0]!, sized.section, NOW)).slice(3), ["  log does not need rotating (log size is below the 'size' threshold)"]);
  const newMissing = planOf(new MemFs().dir('/l'), ['/l/q.log'], DAILY);
  assert.deepEqual(text(describeDecision(newMissing.decisions[0]!, newMissing.section, NOW)), [
    'considering log /l/q.log',
    'error: stat of /l/q.log failed: No such file or directory',
    'Creating new state',
  ]);
});

/** The announcements of a phase's steps under -d, in order, as if every step went through. */
const stepLines = (actions: readonly Action[], options: LogOptions, phase: Phase): string[] =>
  actions.flatMap((a) => {
    if (a.kind === 'shift-gap') return describeGap(a, options.maxAge > 0, true);
    const lines = describeStep(a, options, phase);
    return [...lines.before, ...lines.after];
  });

test('a rotation in logrotate -d order', () => {
  const fs = new MemFs().file('/l/app.log', { mode: 0o644 }).file('/l/app.log.1');
  const p = planOf(fs, ['/l/app.log'], { ...DAILY, rotate: 4, compress: true, delayCompress: true, create: { mode: 0o640, uid: 0, gid: 0 } }, [], true);
  const r = p.rotations[0]!;
  assert.deepEqual(text(describePreparation(r, p.options)), [
    'rotating log /l/app.log, log->rotateCount is 4',
    "dateext suffix '-20261122'",
    "glob pattern '-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'",
  ]);
  // Compression removes its plain input without a line of its own.
  assert.deepEqual(stepLines(r.prepare, p.options, 'prepare'), [
    'compressing log with: /bin/gzip',
    'renaming /l/app.log.4.gz to /l/app.log.5.gz (rotatecount 4, logstart 1, i 4), ',
    'renaming /l/app.log.3.gz to /l/app.log.4.gz (rotatecount 4, logstart 1, i 3), ',
    'renaming /l/app.log.2.gz to /l/app.log.3.gz (rotatecount 4, logstart 1, i 2), ',
    'renaming /l/app.log.1.gz to /l/app.log.2.gz (rotatecount 4, logstart 1, i 1), ',
  ]);
  assert.deepEqual(text(describePrepared(r)), ["log /l/app.log.5.gz doesn't exist -- won't try to dispose of it"]);
  assert.deepEqual(stepLines(r.rotate, p.options, 'rotate'), ['renaming /l/app.log to /l/app.log.1', 'creating new /l/app.log mode = 0640 uid = 0 gid = 0']);
  assert.deepEqual(text(describeMoved(r, p.options)), []);
  assert.deepEqual(stepLines(r.finish, p.options, 'finish'), []);
});

test('rotation extras: converted format, warnings, rotate 0 disposal, dated expiry, copies', () => {
  const fs = (): MemFs => new MemFs().file('/l/a.log').file('/l/a.log-22');
  const dated = planOf(fs(), ['/l/a.log'], { ...DAILY, dateExt: true, dateFormat: '-%d', delayCompress: true }, [], true);
  assert.deepEqual(text(describePreparation(dated.rotations[0]!, dated.options)), [
    'rotating log /l/a.log, log->rotateCount is 0',
    "Converted '-%d' -> '-%d'",
    "dateext suffix '-22'",
    "glob pattern '-[0-9][0-9]'",
    'warning: delayed compression for log file /l/a.log ignored since compression is disabled',
  ]);
  assert.equal(dated.rotations[0]!.failure, 'destination /l/a.log-22 already exists, skipping rotation');
  const zero = planOf(fs(), ['/l/a.log'], { ...DAILY, rotate: 0 }, [], true);
  assert.deepEqual(text(describeMoved(zero.rotations[0]!, zero.options)), ['disposeName will be /l/a.log.1']);
  const opts = { ...DAILY } as LogOptions;
  const step = (a: Action, phase: Phase = 'rotate', o: LogOptions = opts) => describeStep(a, o, phase);
  assert.deepEqual(step({ kind: 'copy', from: '/a', to: '/a.1', truncate: true, skipCopy: true }), { before: ['skip copying /a to /a.1'], after: ['truncating /a'] });
  assert.deepEqual(step({ kind: 'copy', from: '/a', to: '/a.1', truncate: false }), { before: ['copying /a to /a.1'], after: ['Not truncating /a'] });
  assert.deepEqual(step({ kind: 'remove', path: '/a.tmp', reason: 'renamecopy-tmp' }, 'finish'), { before: ['removing tmp log /a.tmp'], after: [] });
  assert.deepEqual(step({ kind: 'remove', path: '/a.1', reason: 'compressed' }, 'finish'), { before: [], after: [] });
  assert.deepEqual(step({ kind: 'mail', path: '/a', address: 'x', subject: '/a', uncompress: false }), { before: [], after: [] });
  // Dated rotations expired while preparing get logrotate's extra line; the one kept
  // for the end of the rotation does not.
  const expired = { kind: 'remove', path: '/a-1', reason: 'rotate-count' } as const;
  const datedOpts = { ...opts, dateExt: true };
  assert.deepEqual(step(expired, 'prepare', datedOpts).before, ['removing /a-1', 'removing old log /a-1']);
  assert.deepEqual(step(expired, 'finish', datedOpts).before, ['removing old log /a-1']);
  assert.deepEqual(step({ ...expired, reason: 'maxage' }, 'prepare').before, ['removing old log /a-1']);
});

// logrotate (3.21 and main) prints this debug line when the glob for earlier dated
// rotations (with the compression extension) matches nothing; a match, expired or not,
// silences it, and numbered rotations never print it.
test('dateext without earlier dated rotations: "glob finding old rotated logs failed"', () => {
  const lines = (fs: MemFs, o: Partial<LogOptions>): string[] => {
    const p = planOf(fs, ['/l/a.log'], { ...DAILY, rotate: 2, ...o }, [], true);
    return text(describePreparation(p.rotations[0]!, p.options));
  };
  const failed = 'glob finding old rotated logs failed';
  assert.equal(lines(new MemFs().file('/l/a.log'), { dateExt: true }).at(-1), failed);
  // An uncompressed leftover does not match when compress is on.
  assert.equal(lines(new MemFs().file('/l/a.log').file('/l/a.log-20200101'), { dateExt: true, compress: true }).at(-1), failed);
  assert.ok(!lines(new MemFs().file('/l/a.log').file('/l/a.log-20200101'), { dateExt: true }).includes(failed));
  assert.ok(!lines(new MemFs().file('/l/a.log'), {}).includes(failed));
});

test('a gap of the shift: a line per index under -d, two in a real run, the stat line only with maxage (the effects print them)', () => {
  const gap = { kind: 'shift-gap', prefix: '/l/a.log.', suffix: '.gz', top: 3, bottom: 2, rotateCount: 3, logStart: 1 } as const;
  assert.deepEqual(describeGap(gap, false, true), [
    'renaming /l/a.log.3.gz to /l/a.log.4.gz (rotatecount 3, logstart 1, i 3), ',
    'renaming /l/a.log.2.gz to /l/a.log.3.gz (rotatecount 3, logstart 1, i 2), ',
  ]);
  assert.deepEqual(describeGap(gap, false, false), [
    'renaming /l/a.log.3.gz to /l/a.log.4.gz (rotatecount 3, logstart 1, i 3), ',
    'old log /l/a.log.3.gz does not exist',
    'renaming /l/a.log.2.gz to /l/a.log.3.gz (rotatecount 3, logstart 1, i 2), ',
    'old log /l/a.log.2.gz does not exist',
  ]);
  assert.deepEqual(describeGap(gap, true, true), ['old log /l/a.log.3.gz does not exist', 'old log /l/a.log.2.gz does not exist']);
});

test('a gap too long to list: its first and last index, and one line for the rest', () => {
  const top = 2147483647;
  const gap = { kind: 'shift-gap', prefix: '/l/a.log.', suffix: '', top, bottom: 1, rotateCount: top, logStart: 1 } as const;
  assert.deepEqual(describeGap(gap, false, true), [
    'renaming /l/a.log.2147483647 to /l/a.log.-2147483648 (rotatecount 2147483647, logstart 1, i 2147483647), ',
    'old logs /l/a.log.2147483646 down to /l/a.log.2 do not exist (2147483645 indices, not walked one by one)',
    'renaming /l/a.log.1 to /l/a.log.2 (rotatecount 2147483647, logstart 1, i 1), ',
  ]);
  const listed = { ...gap, top: GAP_LINES_LIMIT, rotateCount: GAP_LINES_LIMIT };
  assert.equal(describeGap(listed, false, true).length, GAP_LINES_LIMIT);
});
