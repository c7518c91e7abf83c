// Every real-world config, moved into a temp root, must yield the same sections and
// files as logrotate -d reports ("rotating pattern:" starts a section, "considering log"
// lists its files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { load, makeTree } from './helpers.js';

// The shared real-world fixtures, as committed for the differential tests.
const FIXTURES = new URL('../../../test/diff/real-world-configs/', import.meta.url).pathname;
const LOGROTATE = '/usr/sbin/logrotate';

/** Moves every absolute path under root, and creates the logs the file lists name. */
function relocate(text: string, root: string): string {
  const moved = text.replace(/(^|[\s"'=])\/(?=[A-Za-z])/gm, `$1${root}/`);
  for (const line of moved.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('include ')) mkdirSync(trimmed.slice(8).trim(), { recursive: true, mode: 0o755 });
    if (!trimmed.startsWith(root)) continue;
    for (const word of trimmed.split('{')[0]?.split(/\s+/) ?? []) {
      if (!word.startsWith(root)) continue;
      const file = word.replace(/[*?]/g, 'x').replace(/\[[^\]]*\]/g, 'y');
      mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
      writeFileSync(file, 'log line\n');
    }
  }
  return moved;
}

/** The files of each section as logrotate -d lists them. */
function reference(conf: string, state: string): string[][] {
  const run = spawnSync(LOGROTATE, ['-d', '-s', state, conf], { encoding: 'utf8' });
  const sections: string[][] = [];
  for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
    if (line.startsWith('rotating pattern: ')) sections.push([]);
    const considering = /^considering log (.*)$/.exec(line);
    if (considering !== null) sections.at(-1)?.push(considering[1] ?? '');
  }
  return sections;
}

for (const name of readdirSync(FIXTURES).sort()) {
  test(`sections and files of ${name} match logrotate -d`, () => {
    const tree = makeTree();
    try {
      const conf = tree.write(name, relocate(readFileSync(join(FIXTURES, name), 'utf8'), tree.root));
      const expected = reference(conf, join(tree.root, 'state'));
      const loaded = load([conf]);
      assert.deepEqual(loaded.sections.map((s) => s.files), expected);
      // A config that yields nothing here (say, an su user this machine lacks) must fail.
      if (expected.length === 0 && !name.endsWith('.conf')) assert.equal(loaded.failed, true);
    } finally {
      tree.remove();
    }
  });
}
