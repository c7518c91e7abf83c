// norename end to end (issue 11): the built CLI on a Tomcat-like directory of 30 dated
// files and the one the application is writing. `-d` and `--json` list exactly the work,
// the run does exactly that (compressed files hold the same lines, the live log is not
// touched), the scripts get the documented arguments, and a second run does nothing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { runCli } from './cli-process.js';

const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000);
const dateOf = (daysAgo: number): string => new Date((NOW - daysAgo * DAY) * 1000).toISOString().slice(0, 10);

interface Tree {
  readonly dir: string;
  readonly conf: string;
  readonly state: string;
  readonly scripts: string;
  /** catalina.DATE.log of `daysAgo` days ago. */
  name(daysAgo: number): string;
  path(daysAgo: number): string;
}

/** Day 0 is the live log; days 1…30 finished files, each last written an hour past its day's age. */
function tomcat(t: { after(fn: () => void): void }): Tree {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-norename-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'tomcat');
  mkdirSync(dir, { mode: 0o755 });
  const name = (daysAgo: number): string => `catalina.${dateOf(daysAgo)}.log`;
  const path = (daysAgo: number): string => join(dir, name(daysAgo));
  for (let day = 0; day <= 30; day++) {
    writeFileSync(path(day), linesOf(day));
    const mtime = day === 0 ? NOW : NOW - day * DAY - 3600;
    utimesSync(path(day), mtime, mtime);
  }
  const scripts = join(root, 'scripts');
  const record = (what: string): string => `    echo "${what}" >> ${scripts}\n`;
  const conf = join(root, 'tomcat.conf');
  writeFileSync(
    conf,
    `${join(dir, 'catalina.*.log')} {\n  norename\n  rotate 10\n  maxage 8\n  compress\n  delaycompress\n` +
      `  firstaction\n${record('first $1')}  endscript\n  prerotate\n${record('pre $1')}  endscript\n` +
      `  postrotate\n${record('post $1 $2')}  endscript\n  lastaction\n${record('last $1')}  endscript\n}\n`,
    { mode: 0o644 },
  );
  return { dir, conf, state: join(root, 'state'), scripts, name, path };
}

function linesOf(day: number): string {
  return Array.from({ length: 200 }, (_, i) => `day ${day} line ${i}\n`).join('');
}

/** Every file of the directory: name, size, mtime and inode. */
function snapshot(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const st = statSync(join(dir, name));
      return `${name} ${st.size} ${st.mtimeMs} ${st.ino}`;
    });
}

/** The work the rules give (docs/budgets.md, norename): rotate 10 keeps days 1…10 of the
 * 30 finished files, maxage 8 then removes days 9 and 10, compress with delaycompress
 * compresses days 2…8 (day 1 is the newest finished file). */
function expectedLines(tree: Tree): string[] {
  const removedByCount = Array.from({ length: 20 }, (_, i) => 30 - i);
  return [
    ...removedByCount.map((day) => `rotate 10: removing ${tree.path(day)}, 30 finished files`),
    `maxage 8: removing ${tree.path(10)}, 10 days old`,
    `maxage 8: removing ${tree.path(9)}, 9 days old`,
    ...[8, 7, 6, 5, 4, 3, 2].map((day) => `norename: compressing ${tree.path(day)}`),
  ];
}

const WORK_LINE = /^(rotate \d+|maxage \d+|maxtotalsize \S+|minfree \S+): removing |^norename: compressing /;

interface JsonLog {
  readonly path: string;
  readonly verdict: { readonly kind: string; readonly why?: string };
  readonly actions: readonly string[];
}

function jsonLogs(stdout: string): JsonLog[] {
  return (JSON.parse(stdout) as { logs: JsonLog[] }).logs;
}

test('norename: -d and --json list exactly the work and change nothing; the run does it; a second run does nothing', (t) => {
  const tree = tomcat(t);
  const before = snapshot(tree.dir);
  const expected = expectedLines(tree);

  const preview = runCli(['-d', '-s', tree.state, tree.conf]);
  assert.equal(preview.status, 0, preview.stderr);
  assert.deepEqual(preview.stderr.split('\n').filter((line) => WORK_LINE.test(line)), expected);
  assert.match(preview.stderr, new RegExp(`considering norename files \\S+catalina\\.\\*\\.log in ${tree.dir}\\n  live log ${tree.path(0)}, 30 finished files\\n`));
  const previewJson = runCli(['-d', '--json', '-s', tree.state, tree.conf]);
  assert.equal(previewJson.status, 0, previewJson.stderr);
  assert.deepEqual(jsonLogs(previewJson.stdout).map((log) => [log.path, log.verdict, log.actions]), [[tree.path(0), { kind: 'rotate', why: 'norename' }, expected]]);
  assert.deepEqual(snapshot(tree.dir), before, '-d changed the tree');
  assert.throws(() => readFileSync(tree.scripts), /ENOENT/, '-d ran a script');

  const live = statSync(tree.path(0));
  const run = runCli(['--json', '-s', tree.state, tree.conf]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(jsonLogs(run.stdout).map((log) => [log.path, log.actions.filter((a) => WORK_LINE.test(a))]), [[tree.path(0), expected]]);
  const kept = [...[8, 7, 6, 5, 4, 3, 2].map((day) => `${tree.name(day)}.gz`), tree.name(1), tree.name(0)];
  assert.deepEqual(readdirSync(tree.dir).sort(), [...kept].sort());
  for (const day of [8, 7, 6, 5, 4, 3, 2]) {
    const gz = join(tree.dir, `${tree.name(day)}.gz`);
    assert.equal(gunzipSync(readFileSync(gz)).toString(), linesOf(day), `${gz} holds its day's lines`);
    assert.equal(statSync(gz).mtimeMs, (NOW - day * DAY - 3600) * 1000, `${gz} keeps the time of its last line`);
  }
  assert.equal(readFileSync(tree.path(1), 'utf8'), linesOf(1));
  const after = statSync(tree.path(0));
  assert.deepEqual([after.ino, after.size, after.mtimeMs], [live.ino, live.size, live.mtimeMs], 'the live log was touched');
  assert.equal(readFileSync(tree.path(0), 'utf8'), linesOf(0));
  // $1 of firstaction/lastaction: the pattern; of pre/postrotate: the live log; $2 of
  // postrotate: the newest finished file kept, as named before compression.
  const pattern = join(tree.dir, 'catalina.*.log');
  assert.deepEqual(readFileSync(tree.scripts, 'utf8').split('\n'), [`first ${pattern}`, `pre ${tree.path(0)}`, `post ${tree.path(0)} ${tree.path(1)}`, `last ${pattern}`, '']);

  const done = snapshot(tree.dir);
  const again = runCli(['--json', '-s', tree.state, tree.conf]);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(jsonLogs(again.stdout), []);
  assert.deepEqual(snapshot(tree.dir), done, 'the second run changed the tree');
  assert.equal(readFileSync(tree.scripts, 'utf8').split('\n').length, 5, 'the second run ran a script');
  assert.doesNotMatch(readFileSync(tree.state, 'utf8'), /catalina/, 'a norename log got a state entry');
});

test('norename: the day the application opens a new file, yesterday\'s live log is a finished one', (t) => {
  const tree = tomcat(t);
  assert.equal(runCli(['-s', tree.state, tree.conf]).status, 0);
  // Tomorrow's file, written after today's.
  const tomorrow = join(tree.dir, `catalina.${dateOf(-1)}.log`);
  writeFileSync(tomorrow, 'tomorrow\n');
  utimesSync(tomorrow, NOW + 60, NOW + 60);
  const run = runCli(['-v', '-s', tree.state, tree.conf]);
  assert.equal(run.status, 0, run.stderr);
  // Day 1 was kept plain by delaycompress; now day 0 is the newest finished file.
  assert.deepEqual(run.stderr.split('\n').filter((line) => WORK_LINE.test(line)), [`norename: compressing ${tree.path(1)}`]);
  assert.equal(readFileSync(tree.path(0), 'utf8'), linesOf(0));
  assert.equal(gunzipSync(readFileSync(`${tree.path(1)}.gz`)).toString(), linesOf(1));
  assert.equal(readFileSync(tomorrow, 'utf8'), 'tomorrow\n');
});
