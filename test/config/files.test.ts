// File lists: glob(3)-like expansion, literal words, duplicates between sections, and the
// olddir checks at the closing brace (with createolddir's mkdir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { load, makeTree } from './helpers.js';

function withLogs(names: readonly string[], fn: (root: string, write: (name: string, text: string) => string) => void): void {
  const tree = makeTree();
  try {
    const logs = tree.dir('logs');
    for (const name of names) {
      if (name.endsWith('/')) mkdirSync(join(logs, name));
      else writeFileSync(join(logs, name), 'x');
    }
    fn(tree.root, (name, text) => tree.write(name, text));
  } finally {
    tree.remove();
  }
}

test('globs sort their matches, drop directories, skip dotfiles, keep unmatched words, take parentheses literally', () => {
  withLogs(['b.log', 'a.log', '.c.log', 'dir.log/', 'p+(1).txt'], (root, write) => {
    const conf = write('t.conf', `${root}/logs/*.log ${root}/logs/none*.log ${root}/logs/*+(1).txt ${root}/logs/.*.log {\n}\n`);
    const loaded = load([conf]);
    assert.deepEqual(loaded.sections[0]?.files.map((f) => f.replace(root, '@')), [
      '@/logs/a.log',
      '@/logs/b.log',
      '@/logs/none*.log',
      '@/logs/p+(1).txt',
      '@/logs/.c.log',
    ]);
  });
});

test('quoted names keep their spaces; ~ expands to the home directory', () => {
  withLogs(['my log'], (root, write) => {
    const conf = write('t.conf', `"${root}/logs/my log" ~/h.log {\n}\n`);
    const loaded = load([conf], { home: `${root}/home` });
    assert.deepEqual(loaded.sections[0]?.files, [`${root}/logs/my log`, `${root}/home/h.log`]);
    assert.equal(loaded.sections[0]?.pattern, `"${root}/logs/my log" ~/h.log`);
  });
});

test('an unclosed quote in a file list runs to the end of the list, as popt reads it', () => {
  withLogs(['a.log', 'b c.log'], (root, write) => {
    const conf = write('t.conf', `${root}/logs/a.log "${root}/logs/b c.log {\n}\n`);
    const loaded = load([conf]);
    assert.deepEqual(loaded.messages, []);
    assert.deepEqual(loaded.sections[0]?.files, [`${root}/logs/a.log`, `${root}/logs/b c.log`]);
  });
});

test('a duplicate drops the rest of its word and fails the run; the section stays', () => {
  withLogs(['a.log', 'b.log'], (root, write) => {
    const conf = write('t.conf', `${root}/logs/a.log {\n}\n${root}/logs/*.log ${root}/logs/c.log {\n}\n`);
    const loaded = load([conf]);
    assert.deepEqual(loaded.messages, [`error: ${conf}:3 duplicate log entry for ${root}/logs/a.log`]);
    assert.deepEqual(loaded.sections.map((s) => s.files.length), [1, 1]);
    assert.equal(loaded.sections[1]?.files[0], `${root}/logs/c.log`);
    assert.equal(loaded.failed, true);
  });
});

test('ignoreduplicates on the owning section drops duplicates quietly', () => {
  withLogs(['a.log', 'b.log'], (root, write) => {
    const conf = write('t.conf', `${root}/logs/a.log {\nignoreduplicates\n}\n${root}/logs/*.log {\n}\n`);
    const loaded = load([conf]);
    assert.deepEqual(loaded.messages, []);
    assert.deepEqual(loaded.sections[1]?.files, [`${root}/logs/b.log`]);
    assert.ok(loaded.debug.includes(`${conf}:4 ignore duplicate log entry for ${root}/logs/a.log`));
  });
});

test('olddir must exist unless createolddir makes it, with its mode and owner', () => {
  withLogs(['a.log'], (root, write) => {
    const missing = write('m.conf', `${root}/logs/a.log {\nolddir old\n}\n`);
    const loaded = load([missing]);
    assert.deepEqual(loaded.messages, [`error: ${missing}:3 error verifying olddir path ${root}/logs/old: No such file or directory`]);
    assert.deepEqual([loaded.sections.length, loaded.failed], [0, true]);

    const create = write('c.conf', `${root}/logs/a.log {\nolddir ${root}/archive/deep\ncreateolddir 0750 daemon adm\n}\n`);
    const created = load([create]);
    assert.deepEqual(created.messages, []);
    const st = statSync(`${root}/archive/deep`);
    assert.equal(st.mode & 0o7777, 0o750);
    assert.equal(statSync(`${root}/archive`).mode & 0o7777, 0o750);
    assert.equal(created.sections[0]?.options.createOldDir?.mode, 0o750);
    assert.equal(st.uid, 1);

    const plain = write('p.conf', `${root}/logs/a.log {\nolddir rel\ncreateolddir\n}\n`);
    assert.deepEqual(load([plain]).messages, []);
    assert.equal(statSync(`${root}/logs/rel`).mode & 0o7777, 0o755);
  });
});

test('a missing log directory is only an olddir error without missingok', () => {
  withLogs([], (root, write) => {
    const conf = write('t.conf', `${root}/nodir/a.log {\nolddir /x\n}\n${root}/nodir/b.log {\nolddir /x\nmissingok\n}\n`);
    const loaded = load([conf]);
    assert.deepEqual(loaded.messages, [`error: ${conf}:3 error verifying log file path ${root}/nodir: No such file or directory`]);
    assert.equal(loaded.sections.length, 0);
  });
});
