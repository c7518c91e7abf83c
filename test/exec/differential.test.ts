// Whole runs of runRotation against Debian's logrotate 3.21 on two identical temp
// trees: same files, contents (decompressed), modes, owners, hook calls and exit status.
// The target is upstream main; the 3.21 differences that these scenarios can show are
// normalized below, each where it happens, and the scenarios avoid the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { MemoryLogger } from '../../src/logger.js';
import { liveWorkspace } from '../../src/run/live-workspace.js';
import { runRotation } from '../../src/run/run.js';

interface Scenario {
  /** Config text; ROOT stands for the tree's root. */
  readonly config: string;
  /** Files under ROOT/logs: name → content. */
  readonly files: Readonly<Record<string, string>>;
  /** State file body lines (after the header); ROOT is replaced. */
  readonly state?: readonly string[];
  readonly force?: boolean;
  /** Extra setup on the fresh tree. */
  readonly setup?: (root: string) => void;
}

const LOGROTATE = '/usr/sbin/logrotate';

function makeTree(s: Scenario): string {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-diff-'));
  chmodSync(root, 0o755);
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'logs'), { mode: 0o755 });
  for (const [name, content] of Object.entries(s.files)) writeFileSync(join(root, 'logs', name), content, { mode: 0o644 });
  const fill = (text: string) => text.replaceAll('ROOT', root);
  writeFileSync(join(root, 'conf'), fill(s.config), { mode: 0o644 });
  writeFileSync(join(root, 'state'), fill(['logrotate state -- version 2', ...(s.state ?? []), ''].join('\n')), { mode: 0o640 });
  writeFileSync(join(root, 'mail'), `#!/bin/sh\necho "mail $*" >> '${root}/record'\ncat >> '${root}/record'\n`, { mode: 0o755 });
  s.setup?.(root);
  return root;
}

/** Everything observable in a tree, with the root's own name taken out. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = rel === '' ? name : `${rel}/${name}`;
      // The state file (and our crash journal beside it) are compared elsewhere.
      if (key.startsWith('state') || key === 'conf' || key === 'mail') continue;
      const st = lstatSync(path);
      const acl = execFileSync('getfacl', ['--skip-base', '--omit-header', '--absolute-names', path], { encoding: 'utf8' });
      const attrs = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}${acl.trim() === '' ? '' : ` acl ${acl.trim()}`}`;
      if (st.isDirectory()) {
        out[`${key}/`] = attrs;
        walk(path, key);
        continue;
      }
      let data = readFileSync(path);
      if (name.endsWith('.gz')) data = gunzipSync(data);
      if (name.endsWith('.xz')) data = execFileSync('xz', ['-dc', path]);
      // 3.21 keeps the trailing blank of a section's file list, so a shared script's $1 ends in a space.
      const text = data.toString('utf8').replaceAll(root, 'ROOT').replace(/ +$/gm, '');
      out[key] = `${attrs} ${JSON.stringify(text)}`;
    }
  };
  walk(root, '');
  return out;
}

async function compare(s: Scenario): Promise<{ exitCode: number; tree: Record<string, string>; logger: MemoryLogger }> {
  const theirs = makeTree(s);
  const ours = makeTree(s);
  const args = [...(s.force === true ? ['-f'] : []), '-m', join(theirs, 'mail'), '-s', join(theirs, 'state'), join(theirs, 'conf')];
  const reference = spawnSync(LOGROTATE, args, { encoding: 'utf8' });
  const logger = new MemoryLogger();
  const result = await runRotation({
    configPaths: [join(ours, 'conf')],
    statePath: join(ours, 'state'),
    workspace: liveWorkspace(),
    force: s.force === true,
    mailCommand: join(ours, 'mail'),
    lock: 'normal',
    logger,
    now: new Date(),
  });
  const expected = snapshot(theirs);
  const actual = snapshot(ours);
  assert.deepEqual(actual, expected, `logrotate said:\n${reference.stderr}\nwe said:\n${logger.lines.map((l) => l.text).join('\n')}`);
  assert.equal(result.exitCode, reference.status, `logrotate said:\n${reference.stderr}`);
  return { exitCode: result.exitCode, tree: actual, logger };
}

const hooks = (kinds: readonly string[]): string =>
  kinds.map((k) => `  ${k}\n    echo "${k} $0 $*" >> ROOT/record\n  endscript`).join('\n');

test('rename, create with mode and owner, shift and expiry, hooks per log', async () => {
  const { tree, exitCode } = await compare({
    config: `ROOT/logs/a.log ROOT/logs/b.log {\n  rotate 2\n  create 0600 nobody nogroup\n${hooks(['firstaction', 'prerotate', 'postrotate', 'lastaction', 'preremove'])}\n}\n`,
    files: { 'a.log': 'a now\n', 'a.log.1': 'a one\n', 'a.log.2': 'a two\n', 'b.log': 'b now\n' },
    force: true,
  });
  assert.equal(exitCode, 0);
  assert.match(tree['logs/a.log'] ?? '', /^600 65534:65534 ""$/);
});

test('compress and delaycompress keep the original mode on compressed files', async () => {
  await compare({
    config: 'ROOT/logs/a.log {\n  rotate 3\n  compress\n  delaycompress\n}\n',
    files: { 'a.log': 'current\n', 'a.log.1': 'previous\n', 'a.log.2.gz': '' },
    setup: (root) => {
      writeFileSync(join(root, 'logs', 'a.log.2.gz'), execFileSync('gzip', ['-c'], { input: 'older\n' }));
      chmodSync(join(root, 'logs', 'a.log'), 0o640);
    },
    force: true,
  });
});

test('copytruncate with compress and a custom compresscmd with options', async () => {
  await compare({
    config: 'ROOT/logs/a.log {\n  rotate 1\n  copytruncate\n  compress\n  compresscmd /usr/bin/xz\n  compressoptions -2\n}\n',
    files: { 'a.log': 'copy me\n'.repeat(100) },
    force: true,
  });
});

test('sharedscripts: a missing log blocks the whole group, scripts once with the pattern', async () => {
  const { exitCode } = await compare({
    config: `ROOT/logs/a.log ROOT/logs/missing.log {\n  sharedscripts\n${hooks(['firstaction', 'prerotate', 'postrotate', 'lastaction'])}\n}\n`,
    files: { 'a.log': 'a\n' },
    force: true,
  });
  assert.equal(exitCode, 1);
});

test('sharedscripts with every log present: one prerotate, one postrotate', async () => {
  await compare({
    config: `ROOT/logs/*.log {\n  sharedscripts\n  rotate 1\n${hooks(['prerotate', 'postrotate'])}\n}\n`,
    files: { 'a.log': 'a\n', 'b.log': 'b\n' },
    force: true,
  });
});

test('a failing prerotate leaves that log alone and rotates the next', async () => {
  // No old rotations here: 3.21 shifts them before prerotate, main after.
  const { exitCode } = await compare({
    config: 'ROOT/logs/a.log ROOT/logs/b.log {\n  rotate 1\n  prerotate\n    [ "$1" != ROOT/logs/a.log ]\n  endscript\n}\n',
    files: { 'a.log': 'a\n', 'b.log': 'b\n' },
    force: true,
  });
  assert.equal(exitCode, 1);
});

test('a failing firstaction rotates nothing', async () => {
  await compare({
    config: `ROOT/logs/a.log {\n  firstaction\n    exit 1\n  endscript\n${hooks(['lastaction'])}\n}\n`,
    files: { 'a.log': 'a\n' },
    force: true,
  });
});

test('rotate 0 removes the rotated log through preremove', async () => {
  await compare({
    config: `ROOT/logs/a.log {\n  rotate 0\n${hooks(['preremove', 'postrotate'])}\n}\n`,
    files: { 'a.log': 'gone\n' },
    force: true,
  });
});

test('olddir and dateext with a time criterion driven by the state file', async () => {
  await compare({
    config: 'ROOT/logs/a.log {\n  daily\n  rotate 5\n  dateext\n  olddir ROOT/logs/old\n}\n',
    files: { 'a.log': 'dated\n' },
    state: ['"ROOT/logs/a.log" 2020-1-1-0:0:0'],
    setup: (root) => mkdirSync(join(root, 'logs', 'old'), { mode: 0o755 }),
  });
});

test('mail of the expiring log, uncompressed through uncompresscmd', async () => {
  await compare({
    config: 'ROOT/logs/a.log {\n  rotate 1\n  compress\n  mail ops@example.com\n}\n',
    files: { 'a.log': 'new\n', 'a.log.1.gz': '' },
    setup: (root) => writeFileSync(join(root, 'logs', 'a.log.1.gz'), execFileSync('gzip', ['-c'], { input: 'to be mailed\n' })),
    force: true,
  });
});

test('renamecopy: postrotate sees the .tmp, which is then copied and removed', async () => {
  await compare({
    config: `ROOT/logs/a.log {\n  rotate 1\n  renamecopy\n  postrotate\n    ls ROOT/logs >> ROOT/record\n  endscript\n}\n`,
    files: { 'a.log': 'renamed\n' },
    force: true,
  });
});

test('shred removes expired rotations', async () => {
  await compare({
    config: 'ROOT/logs/a.log {\n  rotate 1\n  shred\n  shredcycles 1\n}\n',
    files: { 'a.log': 'new\n', 'a.log.1': 'old\n', 'a.log.2': 'older\n' },
    force: true,
  });
});

test('create without a mode copies the old log ACL to the new log', async () => {
  const { tree } = await compare({
    config: 'ROOT/logs/a.log {\n  rotate 1\n  create\n}\n',
    files: { 'a.log': 'acl\n' },
    setup: (root) => execFileSync('setfacl', ['-m', 'u:nobody:r', join(root, 'logs', 'a.log')]),
    force: true,
  });
  assert.match(tree['logs/a.log'] ?? '', /^644 0:0 acl .*user:nobody:r--/s);
});

test('su: files are made by the su user, scripts still run as root', async () => {
  await compare({
    config: `ROOT/logs/a.log {\n  su nobody nogroup\n  rotate 1\n  create\n  compress\n  postrotate\n    id -u >> ROOT/record\n  endscript\n}\n`,
    files: { 'a.log': 'su\n' },
    setup: (root) => {
      chownSync(join(root, 'logs'), 65534, 65534);
      chownSync(join(root, 'logs', 'a.log'), 65534, 65534);
      writeFileSync(join(root, 'record'), '');
    },
    force: true,
  });
});
