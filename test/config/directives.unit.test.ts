// Each directive's argument rules: good values land in the options, bad ones give
// logrotate's exact message on the right line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOptions } from '../../src/config/model.js';
import { failing, load, loadText, makeTree, only, sectionError, sectionWith } from './helpers.js';

test('flags set and clear their option, several on one line', () => {
  const o = sectionWith('compress delaycompress notifempty missingok sharedscripts copy dateext shred allowhardlink mailfirst');
  assert.equal(o.compress && o.delayCompress && o.copy && o.dateExt && o.shred && o.allowHardlink && o.mailFirst, true);
  assert.equal(o.ifEmpty, false);
  assert.equal(o.missingOk && o.sharedScripts, true);
  const n = sectionWith('compress nocompress copy nocopy ifempty dateyesterday nodateyesterday datehourago nodatehourago maillast');
  assert.deepEqual([n.compress, n.copy, n.ifEmpty, n.dateYesterday, n.dateHourAgo, n.mailFirst], [false, false, true, false, false, false]);
});

test('copytruncate and renamecopy exclude each other', () => {
  assert.deepEqual(pick(sectionWith('copytruncate\nrenamecopy')), [false, true]);
  assert.deepEqual(pick(sectionWith('renamecopy\ncopytruncate')), [true, false]);
  function pick(o: LogOptions): [boolean, boolean] {
    return [o.copyTruncate, o.renameCopy];
  }
});

test('criteria: the last one wins, weekly and monthly take a day', () => {
  assert.deepEqual(sectionWith('daily').criterion, { kind: 'daily' });
  assert.deepEqual(sectionWith('weekly').criterion, { kind: 'weekly', weekday: 0 });
  assert.deepEqual(sectionWith('weekly 7').criterion, { kind: 'weekly', weekday: 7 });
  assert.deepEqual(sectionWith('monthly 31').criterion, { kind: 'monthly', day: 31 });
  assert.deepEqual(sectionWith('monthly').criterion, { kind: 'monthly', day: 0 });
  assert.deepEqual(sectionWith('hourly\nyearly').criterion, { kind: 'yearly' });
  assert.deepEqual(sectionWith('minutes 15').criterion, { kind: 'minutes', minutes: 15 });
  assert.deepEqual(sectionWith('daily\nsize 10k').criterion, { kind: 'size', bytes: 10240 });
});

test('bad weekly/monthly is fatal even inside a section, echoing the leading blank', () => {
  assert.deepEqual(failing('weekly 8'), { messages: ["error: F:2 bad weekly directive ' 8'"], sections: 0, failed: true });
  assert.deepEqual(failing('weekly }'), { messages: ["error: F:2 bad weekly directive ' }'"], sections: 0, failed: true });
  assert.deepEqual(failing('monthly 32'), { messages: ["error: F:2 bad monthly directive ' 32'"], sections: 0, failed: true });
});

test('sizes: units, strtoull base 0, and the errors', () => {
  assert.equal(sectionWith('maxsize 2M').maxSize, 2 * 1024 * 1024);
  assert.equal(sectionWith('minsize 1G').minSize, 1024 ** 3);
  assert.equal(sectionWith('minsize = 0x10').minSize, 16);
  assert.equal(sectionWith('minsize 010').minSize, 8);
  assert.equal(sectionWith('minsize +5k').minSize, 5120);
  assert.deepEqual(failing('size 10m'), sectionError("unknown unit 'm'"));
  assert.deepEqual(failing('size 1.5M'), sectionError("bad size '1.5'"));
  assert.deepEqual(failing('size -5'), sectionError("bad size '-5'"));
  assert.deepEqual(failing('size 5 }'), sectionError("unknown unit '}'"));
});

test('a missing size argument is a message only', () => {
  const loaded = loadText('@/logs/a.log {\nsize\nrotate 2\n}\n');
  assert.deepEqual(loaded.messages, [`error: ${loaded.file}:2 argument expected after size`]);
  assert.equal(only(loaded.sections).options.rotate, 2);
  assert.equal(loaded.failed, false);
});

test('counts: rotate -1 and base 0; start, shredcycles, minage, maxage', () => {
  assert.equal(sectionWith('rotate -1').rotate, -1);
  assert.equal(sectionWith('rotate 0x10').rotate, 16);
  assert.equal(sectionWith('start 0').start, 0);
  assert.equal(sectionWith('shredcycles 3').shredCycles, 3);
  assert.equal(sectionWith('minage 2').minAge, 2);
  assert.equal(sectionWith('maxage 30').maxAge, 30);
  assert.deepEqual(failing('rotate -2'), sectionError("bad rotation count '-2'"));
  assert.deepEqual(failing('rotate 5 # keep'), sectionError("bad rotation count '5 # keep'"));
  assert.deepEqual(failing('rotate'), sectionError('argument expected after rotate count'));
  assert.deepEqual(failing('start -1'), sectionError("bad start count '-1'"));
  assert.deepEqual(failing('shredcycles x'), sectionError("bad shred cycles 'x'"));
  assert.deepEqual(failing('maxage 5x'), sectionError("bad maximum age 'x'"));
  assert.deepEqual(failing('minage 1y'), sectionError("bad minimum age 'y'"));
  assert.deepEqual(failing('minutes 0'), sectionError("bad minutes '0'"));
});

test('create: main-branch argument rules', () => {
  assert.deepEqual(sectionWith('create').create, {});
  assert.deepEqual(sectionWith('create 0640').create, { mode: 0o640 });
  assert.deepEqual(sectionWith('create root root').create, { uid: 0, gid: 0 });
  assert.deepEqual(sectionWith('create 600 "root" \'root\'').create, { mode: 0o600, uid: 0, gid: 0 });
  assert.deepEqual(sectionWith('create 0644 :4321 :4321').create, { mode: 0o644, uid: 4321, gid: 4321 });
  assert.equal(sectionWith('create 0640\nnocreate').create, null);
  assert.deepEqual(failing('create 0999'), sectionError("invalid mode '0999'"));
  // Two arguments are user and group on the main branch.
  assert.deepEqual(failing('create 0640 root'), sectionError("unknown user '0640'"));
  assert.deepEqual(failing('create 0640 nosuchuserxyz root'), sectionError("unknown user 'nosuchuserxyz'"));
  assert.deepEqual(failing('create 0640 root nosuchgroupxyz'), sectionError("unknown group 'nosuchgroupxyz'"));
  assert.deepEqual(failing('create 1 2 3 4'), sectionError('extra arguments for create'));
  assert.deepEqual(failing('create "root'), sectionError('invalid arguments for create'));
});

test('su: user and group, inherited group, errors', () => {
  assert.deepEqual(sectionWith('su root root').su, { uid: 0, gid: 0, user: 'root', group: 'root' });
  assert.deepEqual(failing('su root'), sectionError('no group for su'));
  assert.deepEqual(failing('su root root root'), sectionError('extra arguments for su'));
  const loaded = loadText('su root adm\n@/logs/a.log {\nsu daemon\n}\n');
  assert.deepEqual(loaded.messages, []);
  assert.equal(only(loaded.sections).options.su?.user, 'daemon');
  assert.equal(only(loaded.sections).options.su?.group, 'adm');
});

test('paths: olddir, compresscmd (with extension guess), compressext, uncompresscmd', () => {
  const o = sectionWith('compresscmd /usr/bin/xz\nuncompresscmd /usr/bin/unxz');
  assert.deepEqual([o.compressCmd, o.compressExt, o.uncompressCmd], ['/usr/bin/xz', '.xz', '/usr/bin/unxz']);
  assert.equal(sectionWith('compresscmd /usr/bin/zstd\ncompressext .zstd').compressExt, '.zstd');
  assert.equal(sectionWith('compresscmd /usr/bin/constructor').compressExt, '.gz');
  assert.deepEqual(failing('compresscmd gzip -9'), sectionError('bad compress path gzip -9'));
  assert.deepEqual(failing('olddir a b'), sectionError('bad olddir path a b'));
  assert.deepEqual(failing('mail a b'), sectionError('bad mail address  a b'));
  assert.equal(sectionWith('mail logs-admin').mail, 'logs-admin');
  assert.equal(sectionWith('mail x\nnomail').mail, null);
});

test('compressoptions split shell-style; dateformat, extension', () => {
  assert.deepEqual(sectionWith('compressoptions -9 "--rsyncable x"').compressOptions, ['-9', '--rsyncable x']);
  // popt lets a quote run to the end of the text; only a trailing backslash fails (as
  // logrotate 3.21 shows: `compressoptions "-9` is accepted).
  assert.deepEqual(sectionWith('compressoptions "-9').compressOptions, ['-9']);
  assert.deepEqual(failing('compressoptions -1 \\'), sectionError('invalid compression options'));
  assert.equal(sectionWith('dateformat   -%Y%m%d-%s').dateFormat, '-%Y%m%d-%s');
  assert.equal(sectionWith('extension .log').extension, '.log');
  assert.equal(sectionWith('addextension .txt').addExtension, '.txt');
});

test('addextension is not inherited from globals; scripts are', () => {
  const loaded = loadText('addextension .x\npostrotate\n  echo hi\nendscript\n@/logs/a.log {\n}\n');
  const o = only(loaded.sections).options;
  assert.equal(o.addExtension, null);
  assert.equal(o.scripts.postrotate?.text, '\n  echo hi\n');
  assert.equal(o.scripts.postrotate?.location.line, 2);
});

test('unknown keywords warn and skip their line; errors is deprecated', () => {
  const loaded = loadText('@/logs/a.log {\nfrobnicate 5 daily\nerrors root\n}\n');
  assert.deepEqual(loaded.messages, [
    `warning: ${loaded.file}:2 unknown option 'frobnicate' -- ignoring line`,
    // logrotate's own form for this one: `F: L: ` (checked against 3.21 and main).
    `warning: ${loaded.file}: 3: the errors directive is deprecated and no longer used.`,
    `warning: ${loaded.file}:3 unknown option 'root' -- ignoring line`,
  ]);
  assert.deepEqual(only(loaded.sections).options.criterion, { kind: 'size', bytes: 1048576 });
  assert.equal(loaded.failed, false);
});

test('keywords must be separated; trailing junk after a flag is an error', () => {
  assert.deepEqual(failing('rotate5'), sectionError("keyword 'rotate' not properly separated, found 0x35"));
  assert.deepEqual(failing('daily;'), sectionError("keyword 'daily' not properly separated, found 0x3b"));
  assert.deepEqual(failing('daily 5'), sectionError('lines must begin with a keyword or a filename (possibly in double quotes)'));
});

test('tabooext is global-only', () => {
  assert.deepEqual(failing('tabooext .foo'), sectionError('tabooext may not appear inside of log file definition'));
});

test('criterion override note goes to the debug log', () => {
  const loaded = loadText('weekly\n@/logs/a.log {\ndaily\n}\n');
  assert.ok(loaded.debug.includes("note: 'daily' overrides previously specified 'weekly'"));
});

test('a criterion repeated from an earlier file still counts as set for the note', () => {
  const tree = makeTree();
  try {
    // As logrotate -d shows: the tracker is per file, so `daily` in the second file arms it.
    const globals = tree.write('g.conf', 'daily\n');
    const section = tree.write('h.conf', `${tree.dir('logs')}/a.log {\n daily\n weekly\n}\n`);
    assert.ok(load([globals, section]).debug.includes("note: 'weekly' overrides previously specified 'daily'"));
  } finally {
    tree.remove();
  }
});

test('names of Object.prototype members are unknown keywords like any other', () => {
  const members = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
  const loaded = loadText(`@/logs/a.log {\n${members.map((m) => `${m} x\n`).join('')}rotate 3\n}\n`);
  assert.deepEqual(
    loaded.messages,
    members.map((m, i) => `warning: ${loaded.file}:${i + 2} unknown option '${m}' -- ignoring line`),
  );
  assert.equal(only(loaded.sections).options.rotate, 3);
  assert.equal(loaded.failed, false);
});

test('signal (logrotor extension): a signal name and an absolute pid file; nosignal takes it back', () => {
  assert.deepEqual(sectionWith('signal USR1 /run/nginx.pid').signal, { signal: 'SIGUSR1', pidFile: '/run/nginx.pid' });
  assert.deepEqual(sectionWith('signal   sighup\t/run/a.pid').signal, { signal: 'SIGHUP', pidFile: '/run/a.pid' });
  assert.equal(sectionWith('signal HUP /run/a.pid\nnosignal').signal, null);
  assert.deepEqual(failing('signal USR3 /run/a.pid'), sectionError("unknown signal 'USR3' (a name such as HUP or USR1)"));
  assert.deepEqual(failing('signal USR1 run/a.pid'), sectionError("the pid file of signal must be an absolute path: 'run/a.pid'"));
  assert.deepEqual(failing('signal USR1'), sectionError("signal takes a signal and a pid file, as in 'signal USR1 /run/nginx.pid': 'USR1'"));
  assert.deepEqual(failing('signal USR1 /run/a.pid /run/b.pid'), sectionError("signal takes a signal and a pid file, as in 'signal USR1 /run/nginx.pid': 'USR1 /run/a.pid /run/b.pid'"));
  assert.deepEqual(failing('signal'), sectionError('argument expected after signal'));
});
