// The config reader's filesystem under -d (and status): createolddir makes nothing, yet every message
// and every later check of the directory comes out as in a real run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFs } from '../../src/config/fs.js';
import { readOnlyConfigFs } from '../../src/config/read-only-fs.js';
import { load, makeTree, type Tree } from './helpers.js';

/** Every entry under `dir` with its type, mode, owner and times. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((name) => {
      const st = lstatSync(join(dir, name));
      return `${name} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.mtimeMs} ${st.ctimeMs}`;
    });
}

interface Outcome {
  readonly lines: string[];
  readonly sections: string[];
  readonly failed: boolean;
}

/** Loads `config` (with @ for the tree's root) in a fresh tree, really or in preview. */
function loadIn(config: string, preview: boolean, prepare: Prepare = () => undefined): Outcome & { changed: boolean } {
  const tree = makeTree();
  let undo: (() => void) | void = undefined;
  try {
    writeFileSync(join(tree.dir('logs'), 'a.log'), 'x');
    undo = prepare(tree);
    const file = tree.write('t.conf', config.replaceAll('@', tree.root));
    const before = listing(tree.root);
    const loaded = load([file], preview ? { fs: readOnlyConfigFs(nodeFs) } : {});
    const clean = (s: string): string => s.replaceAll(tree.root, '@');
    return {
      lines: [...loaded.debug, ...loaded.messages].map(clean),
      sections: loaded.sections.map((s) => clean(`${s.files.join(' ')} olddir ${s.options.oldDir ?? '-'}`)),
      failed: loaded.failed,
      changed: JSON.stringify(listing(tree.root)) !== JSON.stringify(before),
    };
  } finally {
    undo?.();
    tree.remove();
  }
}

/** Sets up a fresh tree before loading; what it returns undoes that before the tree goes. */
type Prepare = (tree: Tree) => (() => void) | void;

function sameAsRealRun(config: string, prepare?: Prepare): Outcome {
  const real = loadIn(config, false, prepare);
  const preview = loadIn(config, true, prepare);
  assert.equal(preview.changed, false, 'the preview changed the tree');
  const { changed: _real, ...realOutcome } = real;
  const { changed: _preview, ...previewOutcome } = preview;
  assert.deepEqual(previewOutcome, realOutcome);
  return previewOutcome;
}

test('createolddir under -d: the same messages and checks as a real run, nothing made', () => {
  const made = sameAsRealRun('@/logs/a.log {\n  olddir @/archive/deep/er\n  createolddir 0750 daemon adm\n}\n@/logs/b.log {\n  missingok\n  olddir @/archive/deep/er\n  createolddir\n}\n');
  assert.ok(made.lines.includes('creating new directory @/archive/deep/er mode = 0750 uid = 1 gid = 4'), made.lines.join('\n'));
  // The second section finds the directory the first one (would have) made.
  assert.equal(made.lines.filter((l) => l.startsWith('creating new directory')).length, 1);
  assert.equal(made.failed, false);
});

test('createolddir under -d where something is in the way: the same errors as a real run', () => {
  const blocked = sameAsRealRun('@/logs/a.log {\n  olddir old/sub\n  createolddir\n}\n', (tree) => void tree.write('logs/old', 'a file\n'));
  assert.deepEqual(blocked.lines.filter((l) => l.startsWith('error')), ['error: @/t.conf:4 error verifying olddir path @/logs/old/sub: Not a directory']);
  sameAsRealRun('@/logs/a.log {\n  olddir @/logs/a.log/sub\n  createolddir\n}\n');
  // A dangling symlink on the way: stat says the olddir is missing, mkdir that it exists.
  const dangling = sameAsRealRun('@/logs/a.log {\n  olddir @/logs/link/sub\n  createolddir\n}\n', (tree) => symlinkSync(join(tree.root, 'nowhere'), join(tree.root, 'logs/link')));
  assert.deepEqual(dangling.lines.filter((l) => l.startsWith('error')), ['error: @/t.conf:4 path @/logs/link already exists, but it is not a directory']);
});

/** A container without CAP_SYS_ADMIN cannot mount: the device test then says so and skips. */
function cannotMount(): string | false {
  const tree = makeTree();
  try {
    const probe = tree.dir('probe');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { encoding: 'utf8' });
    if (mounted.status !== 0) return `cannot mount a tmpfs here: ${mounted.stderr.trim()}`;
    execFileSync('umount', [probe]);
    return false;
  } finally {
    tree.remove();
  }
}

test("createolddir under -d on another filesystem: the would-be directory is on its parent's device", { skip: cannotMount() }, () => {
  const onTmpfs: Prepare = (tree) => {
    const dir = tree.dir('other');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0755', 'tmpfs', dir]);
    return () => execFileSync('umount', [dir]);
  };
  const refused = sameAsRealRun('@/logs/a.log {\n  olddir @/other/old\n  createolddir\n}\n', onTmpfs);
  assert.ok(refused.lines.includes('error: @/t.conf:4 olddir @/other/old and log file @/logs/a.log are on different devices'), refused.lines.join('\n'));
});
