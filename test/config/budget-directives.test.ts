// logrotor's budget directives (maxtotalsize, minfree, purgealways, norename): what good
// values store, and the exact message and section handling of every bad one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import { failing, load, loadText, makeTree, only, sectionError, sectionWith } from './helpers.js';

test('without the directives the options are off, as logrotate behaves', () => {
  const o = sectionWith('daily');
  assert.deepEqual([o.maxTotalSize, o.minFree, o.purgeAlways, o.noRename], [0, null, false, false]);
  assert.deepEqual(
    [DEFAULT_OPTIONS.maxTotalSize, DEFAULT_OPTIONS.minFree, DEFAULT_OPTIONS.purgeAlways, DEFAULT_OPTIONS.noRename],
    [0, null, false, false],
  );
});

test('maxtotalsize takes the units of size, and strtoull base 0', () => {
  assert.equal(sectionWith('maxtotalsize 8M').maxTotalSize, 8 * 1024 ** 2);
  assert.equal(sectionWith('maxtotalsize 500k').maxTotalSize, 500 * 1024);
  assert.equal(sectionWith('maxtotalsize 2G').maxTotalSize, 2 * 1024 ** 3);
  assert.equal(sectionWith('maxtotalsize 4096').maxTotalSize, 4096);
  assert.equal(sectionWith('maxtotalsize = 0x10').maxTotalSize, 16);
  assert.equal(sectionWith('maxtotalsize 8M\nnomaxtotalsize').maxTotalSize, 0);
});

test('minfree takes a size or a whole percent from 1 to 99', () => {
  assert.deepEqual(sectionWith('minfree 2G').minFree, { kind: 'bytes', bytes: 2 * 1024 ** 3 });
  assert.deepEqual(sectionWith('minfree 10%').minFree, { kind: 'percent', percent: 10 });
  assert.deepEqual(sectionWith('minfree 1%').minFree, { kind: 'percent', percent: 1 });
  assert.deepEqual(sectionWith('minfree 99%').minFree, { kind: 'percent', percent: 99 });
  assert.equal(sectionWith('minfree 10%\nnominfree').minFree, null);
});

test('flags and their negations', () => {
  assert.equal(sectionWith('purgealways').purgeAlways, true);
  assert.equal(sectionWith('purgealways nopurgealways').purgeAlways, false);
  assert.equal(sectionWith('norename').noRename, true);
  assert.equal(sectionWith('norename\nrename').noRename, false);
});

test('global values reach every section, which may turn them off', () => {
  const globals = 'maxtotalsize 1G\nminfree 5%\npurgealways\nnorename\n';
  const o = sectionWith('daily', globals);
  assert.deepEqual([o.maxTotalSize, o.minFree, o.purgeAlways, o.noRename], [1024 ** 3, { kind: 'percent', percent: 5 }, true, true]);
  const off = sectionWith('nomaxtotalsize nominfree nopurgealways rename', globals);
  assert.deepEqual([off.maxTotalSize, off.minFree, off.purgeAlways, off.noRename], [0, null, false, false]);
});

test('bad maxtotalsize values: located, with the fix, and the section skipped', () => {
  const units = 'k, M or G (1024-based)';
  assert.deepEqual(
    failing('maxtotalsize 0'),
    sectionError('maxtotalsize 0 would remove every rotation: give a size above 0, or nomaxtotalsize for no budget'),
  );
  assert.deepEqual(
    failing('maxtotalsize 0k'),
    sectionError('maxtotalsize 0k would remove every rotation: give a size above 0, or nomaxtotalsize for no budget'),
  );
  assert.deepEqual(failing('maxtotalsize -5'), sectionError(`bad maxtotalsize '-5': give a whole number of bytes, optionally followed by ${units}`));
  assert.deepEqual(failing('maxtotalsize 1.5M'), sectionError(`bad maxtotalsize '1.5M': give a whole number of bytes, optionally followed by ${units}`));
  assert.deepEqual(failing('maxtotalsize lots'), sectionError(`unknown unit 's' in maxtotalsize 'lots': the units are ${units}`));
  assert.deepEqual(failing('maxtotalsize 10m'), sectionError(`unknown unit 'm' in maxtotalsize '10m': the units are ${units}`));
  assert.deepEqual(failing('maxtotalsize 10T'), sectionError(`unknown unit 'T' in maxtotalsize '10T': the units are ${units}`));
  assert.deepEqual(failing('maxtotalsize'), sectionError('argument expected after maxtotalsize (a size such as 500M)'));
});

test('bad minfree values: located, with the fix, and the section skipped', () => {
  const share = 'a share of the filesystem is a whole percent from 1% to 99%';
  assert.deepEqual(failing('minfree 150%'), sectionError(`bad minfree '150%': ${share}`));
  assert.deepEqual(failing('minfree 100%'), sectionError(`bad minfree '100%': ${share}`));
  assert.deepEqual(failing('minfree 0%'), sectionError(`bad minfree '0%': ${share}`));
  assert.deepEqual(failing('minfree 2.5%'), sectionError(`bad minfree '2.5%': ${share}`));
  assert.deepEqual(failing('minfree -5%'), sectionError(`bad minfree '-5%': ${share}`));
  assert.deepEqual(failing('minfree 10 %'), sectionError(`bad minfree '10 %': ${share}`));
  assert.deepEqual(failing('minfree 0'), sectionError('minfree 0 asks for no free space: give a size above 0, or nominfree for no budget'));
  assert.deepEqual(
    failing('minfree -1G'),
    sectionError("bad minfree '-1G': give a whole number of bytes, optionally followed by k, M or G (1024-based)"),
  );
  assert.deepEqual(failing('minfree 2g'), sectionError("unknown unit 'g' in minfree '2g': the units are k, M or G (1024-based)"));
  assert.deepEqual(failing('minfree'), sectionError('argument expected after minfree (a size such as 2G, or a share such as 10%)'));
});

test('a bad budget in global scope stops the file, as a bad size does', () => {
  const loaded = loadText('maxtotalsize 1.5M\n@/logs/a.log {\n}\n');
  assert.deepEqual(
    loaded.messages.map((m) => m.replace(loaded.file, 'F')),
    ["error: F:1 bad maxtotalsize '1.5M': give a whole number of bytes, optionally followed by k, M or G (1024-based)"],
  );
  assert.equal(loaded.sections.length, 0);
  assert.equal(loaded.failed, true);
  const size = loadText('size 1.5M\n@/logs/a.log {\n}\n');
  assert.deepEqual(size.messages.map((m) => m.replace(size.file, 'F')), ["error: F:1 bad size '1.5'"]);
  assert.equal(size.sections.length, 0);
});

test('each file remembers the word of the file list that matched it', () => {
  const tree = makeTree();
  try {
    const logs = tree.dir('logs');
    for (const name of ['a.1.log', 'a.2.log', 'b.1.log', 'c.log']) tree.write(`logs/${name}`, '');
    const config = tree.write('t.conf', `${logs}/a.*.log ${logs}/none-*.log ${logs}/b.*.log ${logs}/c.log {\n missingok\n}\n`);
    const loaded = load([config]);
    assert.deepEqual(loaded.messages, []);
    const section = only(loaded.sections);
    assert.deepEqual(
      section.files.map((f, i) => [f.slice(logs.length + 1), section.fileWords?.[i]]),
      [['a.1.log', 0], ['a.2.log', 0], ['none-*.log', 1], ['b.1.log', 2], ['c.log', 3]],
    );
  } finally {
    tree.remove();
  }
});
