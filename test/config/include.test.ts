// include: files and directories, taboo names, nesting, loops, unsafe config files, and
// the rollback of globals when an included file fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { load, makeTree } from './helpers.js';

function withTree(fn: (tree: ReturnType<typeof makeTree>) => void): void {
  const tree = makeTree();
  try {
    fn(tree);
  } finally {
    tree.remove();
  }
}

test('a directory include reads entries in byte order, skipping taboo and non-regular ones', () => {
  withTree((tree) => {
    const d = tree.dir('conf.d');
    tree.write('conf.d/b', `${tree.root}/logs/b.log {\n}\n`);
    tree.write('conf.d/A', `${tree.root}/logs/A.log {\n}\n`);
    tree.write('conf.d/c.dpkg-old', `${tree.root}/logs/c.log {\n}\n`);
    tree.write('conf.d/d.rpmnew', `${tree.root}/logs/d.log {\n}\n`);
    tree.write('conf.d/.hidden', `${tree.root}/logs/h.log {\n}\n`);
    tree.write('conf.d/empty', '');
    tree.dir('conf.d/subdir');
    execFileSync('mkfifo', [join(d, 'pipe')]);
    const main = tree.write('main.conf', `include ${d}\n`);
    const loaded = load([main]);
    assert.deepEqual(loaded.sections.map((s) => s.pattern.replace(tree.root, '@')), ['@/logs/h.log', '@/logs/A.log', '@/logs/b.log']);
    assert.ok(loaded.debug.includes('Ignoring c.dpkg-old, because of *.dpkg-old pattern match'));
    assert.ok(loaded.debug.includes("Ignoring subdir because it's not a regular file."));
    assert.ok(loaded.debug.includes("Ignoring pipe because it's not a regular file."));
    assert.ok(loaded.debug.includes("Ignoring empty because it's empty."));
    assert.ok(loaded.debug.includes('reading config file b'));
    assert.equal(loaded.failed, false);
  });
});

test('tabooext replaces or extends the taboo list; taboopat is verbatim', () => {
  withTree((tree) => {
    const d = tree.dir('conf.d');
    tree.write('conf.d/x.old', `${tree.root}/logs/x.log {\n}\n`);
    tree.write('conf.d/y.cfg', `${tree.root}/logs/y.log {\n}\n`);
    tree.write('conf.d/zz', `${tree.root}/logs/z.log {\n}\n`);
    const replace = tree.write('r.conf', `tabooext .cfg\ninclude ${d}\n`);
    assert.deepEqual(load([replace]).sections.map((s) => s.files.length === 1 && s.pattern.endsWith('x.log')), [true, false]);
    const extend = tree.write('e.conf', `tabooext + .cfg, .nothing\ntaboopat + z*\ninclude ${d}\n`);
    assert.deepEqual(load([extend]).sections, []);
  });
});

test('a failing file in a directory is reported by name and its globals are rolled back', () => {
  withTree((tree) => {
    const d = tree.dir('conf.d');
    tree.write('conf.d/1-bad', 'rotate 9\ncompress\nrotate x\n');
    tree.write('conf.d/2-good', 'missingok\n');
    const main = tree.write('main.conf', `include ${d}\n${tree.root}/logs/a.log {\n}\n`);
    const loaded = load([main]);
    assert.deepEqual(loaded.messages, ["error: 1-bad:3 bad rotation count 'x'", 'error: found error in file 1-bad, skipping']);
    const options = loaded.sections[0]?.options;
    assert.deepEqual([options?.rotate, options?.compress, options?.missingOk], [0, false, true]);
    assert.equal(loaded.failed, true);
  });
});

test('an include inside a section changes that section', () => {
  withTree((tree) => {
    const inc = tree.write('inc.conf', 'rotate 7\n');
    const main = tree.write('main.conf', `${tree.root}/logs/a.log {\ninclude ${inc}\n}\n`);
    assert.equal(load([main]).sections[0]?.options.rotate, 7);
  });
});

test('a missing include target fails the run but parsing goes on', () => {
  withTree((tree) => {
    const main = tree.write('main.conf', `include ${tree.root}/nope\n${tree.root}/logs/a.log {\n}\n`);
    const loaded = load([main]);
    assert.deepEqual(loaded.messages, [`error: cannot stat ${tree.root}/nope: No such file or directory`]);
    assert.equal(loaded.sections.length, 1);
    assert.equal(loaded.failed, true);
  });
});

test('include loops are caught at the include that closes the loop', () => {
  withTree((tree) => {
    const a = join(tree.root, 'a.conf');
    const b = tree.write('b.conf', `rotate 2\ninclude ${a}\n`);
    tree.write('a.conf', `include ${b}\n`);
    const loaded = load([a]);
    assert.deepEqual(loaded.messages, [`error: ${b}:2 include loop: ${a} is already being read`]);
    assert.equal(loaded.failed, true);
  });
});

test('includes nest at most 16 deep', () => {
  withTree((tree) => {
    const paths = Array.from({ length: 19 }, (_, i) => join(tree.root, `n${i}.conf`));
    paths.forEach((_path, i) => tree.write(`n${i}.conf`, i + 1 < paths.length ? `include ${paths[i + 1]}\n` : 'rotate 1\n'));
    const loaded = load([paths[0] ?? '']);
    assert.deepEqual(loaded.messages, [`error: ${paths[16]}:1 include nesting too deep`]);
    assert.equal(loaded.failed, true);
  });
});

test('unsafe config files are ignored when running as root, and fail the run', () => {
  withTree((tree) => {
    const writable = tree.write('w.conf', `${tree.root}/logs/a.log {\n}\n`, 0o664);
    const loaded = load([writable]);
    assert.deepEqual(loaded.messages, [
      `warning: Potentially dangerous mode on ${writable}: 0664`,
      `error: Ignoring ${writable} because it is writable by group or others.`,
    ]);
    assert.deepEqual([loaded.sections.length, loaded.failed], [0, true]);
    const foreign = tree.write('f.conf', `${tree.root}/logs/a.log {\n}\n`);
    chownSync(foreign, 1, 0);
    assert.deepEqual(load([foreign]).messages, [`error: Ignoring ${foreign} because the file owner is wrong (should be root or user with uid 0).`]);
    assert.equal(load([foreign], { isRoot: false }).sections.length, 1);
    const executable = tree.write('x.conf', `${tree.root}/logs/a.log {\n}\n`, 0o755);
    assert.deepEqual(load([executable]).messages, [`warning: Potentially dangerous mode on ${executable}: 0755`]);
  });
});

test('~/ in include is taken from the home directory', () => {
  withTree((tree) => {
    tree.write('home/inc.conf', 'rotate 3\n');
    const main = tree.write('main.conf', `include ~/inc.conf\n${tree.root}/logs/a.log {\n}\n`);
    assert.equal(load([main], { home: join(tree.root, 'home') }).sections[0]?.options.rotate, 3);
  });
});

test('a symlinked include is followed', () => {
  withTree((tree) => {
    const real = tree.write('real.conf', 'rotate 4\n');
    symlinkSync(real, join(tree.root, 'link.conf'));
    const main = tree.write('main.conf', `include ${tree.root}/link.conf\n${tree.root}/logs/a.log {\n}\n`);
    assert.equal(load([main]).sections[0]?.options.rotate, 4);
  });
});
