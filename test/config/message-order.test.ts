// The config reader's messages in logrotate's order and form. Expected lines are what a
// build of upstream main printed with -v for the same configs (see docs/main-branch.md):
// warnings and errors come out where they happen, between the debug lines, and the
// debug notes of directives carry no F:L.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { MemoryLogger } from '../../src/logger.js';
import { loadConfigSync } from '../../src/config/load.js';
import { loadText, makeTree } from './helpers.js';

test('an unknown option warns before the later directive notes, which have no F:L', () => {
  const loaded = loadText('frobnicate\n@/logs/a.log {\n  olddir @/logs/old\n  createolddir 0750 root root\n  extension .txt\n}\n');
  const f = loaded.file;
  const dir = `${loaded.root}/logs/old`;
  assert.deepEqual(loaded.debug, [
    `reading config file ${f}`,
    `${f}:1 unknown option 'frobnicate' -- ignoring line`,
    `olddir is now ${dir}`,
    'extension is now .txt',
    // The olddir is made at the section's `}`.
    `creating new directory ${dir} mode = 0750 uid = 0 gid = 0`,
  ]);
});

test('each section error is followed by its "removing last 1 log configs"', () => {
  const loaded = loadText('@/logs/a.log {\n  create 0600 root\n}\n@/logs/b.log {\n  su root root root\n}\n');
  const f = loaded.file;
  assert.deepEqual(loaded.debug.slice(1), [
    `${f}:2 unknown user '0600'`,
    `found error in ${loaded.root}/logs/a.log, skipping`,
    'removing last 1 log configs',
    `${f}:5 extra arguments for su`,
    `found error in ${loaded.root}/logs/b.log, skipping`,
    'removing last 1 log configs',
  ]);
});

test('unsafe files of an included directory are reported before the next file is read', () => {
  const tree = makeTree();
  try {
    tree.dir('logs');
    tree.write('conf.d/a', `${tree.root}/logs/a.log {\n}\n`, 0o664);
    tree.write('conf.d/c', `${tree.root}/logs/c.log {\n}\n`);
    const main = tree.write('main.conf', `include ${tree.root}/conf.d\n`);
    const logger = new MemoryLogger();
    loadConfigSync([main], { isRoot: true, home: '/nonexistent-home', logger });
    assert.deepEqual(
      logger.lines.map((l) => `${l.severity}: ${l.text}`),
      [
        `debug: reading config file ${main}`,
        `debug: including ${tree.root}/conf.d`,
        'warning: Potentially dangerous mode on a: 0664',
        'error: Ignoring a because it is writable by group or others.',
        'error: found error in file a, skipping',
        'debug: reading config file c',
      ],
    );
  } finally {
    tree.remove();
  }
});

test('taboo matches of an included directory are reported in readdir order, as they are met', () => {
  const tree = makeTree();
  try {
    const names = ['m', 'b', 'x', 'a', 'q', 'k', 'c', 'z', 'e', 'p'].map((n) => `${n}.dpkg-old`);
    for (const name of names) tree.write(`conf.d/${name}`, '# nothing\n');
    tree.write('conf.d/real', '# nothing\n');
    const main = tree.write('main.conf', `include ${tree.root}/conf.d\n`);
    // `ls -U` lists in the directory's own order, as readdir(3) returns it.
    const listed = spawnSync('ls', ['-U', `${tree.root}/conf.d`], { encoding: 'utf8' }).stdout.split('\n');
    const logger = new MemoryLogger();
    loadConfigSync([main], { isRoot: true, home: '/nonexistent-home', logger });
    assert.deepEqual(
      logger.lines.filter((l) => l.text.startsWith('Ignoring ')).map((l) => l.text),
      listed.filter((n) => n.endsWith('.dpkg-old')).map((n) => `Ignoring ${n}, because of *.dpkg-old pattern match`),
    );
  } finally {
    tree.remove();
  }
});

test('a fatal error inside a section drops it with "removing last 1 log configs", as a section error does', () => {
  const loaded = loadText('@/logs/a.log {\n  monthly 32\n}\n@/logs/b.log {\n}\n');
  assert.deepEqual(loaded.debug.slice(1), [`${loaded.file}:2 bad monthly directive ' 32'`, 'removing last 1 log configs']);
  assert.deepEqual(loaded.sections, []);
});
