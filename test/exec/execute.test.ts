import { RunTally } from '../../src/exec/tally.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LiveArchiver, PreviewArchiver } from '../../src/exec/archiver.js';
import { LiveEffects } from '../../src/exec/effects/live.js';
import { hookRunner } from '../../src/exec/hooks.js';
import { PreviewEffects } from '../../src/exec/effects/preview.js';
import type { StepObserver } from '../../src/exec/observer.js';
import { executeSection } from '../../src/exec/section/run-section.js';
import { MemoryLogger } from '../../src/logger.js';
import type { SectionPlan } from '../../src/plan/model.js';
import { renameRotation, sectionPlan } from '../helpers/plans.js';
import { lines, recorder, tempLogDir, write } from './helpers.js';

const now = new Date(2026, 10, 22, 15, 4, 5);

function liveEffects(plan: SectionPlan): LiveEffects {
  const tally = new RunTally();
  return new LiveEffects(plan, hookRunner('stdout'), new LiveArchiver({ statePath: join(tempLogDir(), 'state'), host: 'test', now }, tally), tally);
}

/** Runs `plan` for real, or with -d's previewed effects. */
function run(plan: SectionPlan, extra: { preview?: boolean; observer?: StepObserver } = {}) {
  const logger = new MemoryLogger();
  const effects = extra.preview === true ? new PreviewEffects(now, new PreviewArchiver({ statePath: '/dev/null', host: 'test', now })) : liveEffects(plan);
  const observer = extra.observer === undefined ? {} : { observer: extra.observer };
  return executeSection({ plan, logger, now, mailCommand: '/bin/false', effects, ...observer }).then(
    (result) => ({ result, logger }),
  );
}

/** a.log (with an older a.log.1) and b.log, plus the path hooks record into. */
function twoLogs(): { dir: string; record: string; a: string; b: string } {
  const dir = tempLogDir();
  const [a, b] = [join(dir, 'a.log'), join(dir, 'b.log')];
  write(a, 'A');
  write(`${a}.1`, 'A1');
  write(b, 'B');
  return { dir, record: join(dir, 'record'), a, b };
}

function tree(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((n) => n !== 'record').sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

test('nosharedscripts: prerotate, rename, postrotate per log; first/lastaction once', async () => {
  const { dir, record, a, b } = twoLogs();
  const plan = sectionPlan([a, b], [renameRotation(a), renameRotation(b)], {
    scripts: {
      firstaction: recorder(record, 'first'),
      prerotate: recorder(record, 'pre'),
      postrotate: recorder(record, 'post'),
      lastaction: recorder(record, 'last'),
    },
  });
  const { result } = await run(plan);
  assert.equal(result.failed, false);
  assert.deepEqual(tree(dir), { 'a.log.1': 'A', 'a.log.2': 'A1', 'b.log.1': 'B' });
  const pattern = `${a} ${b}`;
  assert.deepEqual(lines(record), [
    `first logrotate_script ${pattern}`,
    `pre logrotate_script ${a}`,
    `post logrotate_script ${a} ${a}.1`,
    `pre logrotate_script ${b}`,
    `post logrotate_script ${b} ${b}.1`,
    `last logrotate_script ${pattern}`,
  ]);
  assert.deepEqual([...result.stamps.keys()], [a, b]);
  assert.deepEqual(result.logs.map((l) => [l.path, l.error, l.actions]), [
    [a, undefined, [`renaming ${a}.1 to ${a}.2 (rotatecount 1, logstart 1, i 1), `, `renaming ${a} to ${a}.1`]],
    [b, undefined, [`renaming ${b} to ${b}.1`]],
  ]);
});

test('nosharedscripts: a failing prerotate stops only that log, and before any shift', async () => {
  const { dir, record, a, b } = twoLogs();
  const pre = { text: `\necho "pre $1" >> '${record}'\n[ "$1" != '${a}' ]\n`, location: { file: 't', line: 1 } };
  const plan = sectionPlan([a, b], [renameRotation(a), renameRotation(b)], { scripts: { prerotate: pre, lastaction: recorder(record, 'last') } });
  const { result, logger } = await run(plan);
  assert.equal(result.failed, true);
  assert.deepEqual(tree(dir), { 'a.log': 'A', 'a.log.1': 'A1', 'b.log.1': 'B' });
  assert.deepEqual([...result.stamps.keys()], [b]);
  const message = `error running non-shared prerotate script for ${a} of '${a} ${b}': child did not exit with status 0`;
  assert.deepEqual(logger.lines.filter((l) => l.severity === 'error'), [{ severity: 'error', text: message }]);
  assert.equal(result.logs[0]?.error, message);
  assert.equal(result.logs[1]?.error, undefined);
  assert.deepEqual(lines(record), [`pre ${a}`, `pre ${b}`, `last logrotate_script ${a} ${b}`]);
});

test('sharedscripts: scripts once with the pattern; a failing step stops all later work', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const [a, b] = [join(dir, 'a.log'), join(dir, 'b.log')];
  write(a, 'A');
  write(b, 'B');
  // b's rotate step fails (its source is missing), so postrotate and every finish step are skipped.
  const bBroken = renameRotation(b, { rotate: [{ kind: 'rename', from: join(dir, 'missing'), to: `${b}.1` }] });
  const aFinish = renameRotation(a, { finish: [{ kind: 'remove', path: `${a}.1`, reason: 'rotate-0' }] });
  const plan = sectionPlan([a, b], [aFinish, bBroken], {
    sharedScripts: true,
    scripts: { prerotate: recorder(record, 'pre'), postrotate: recorder(record, 'post'), lastaction: recorder(record, 'last') },
  });
  const { result, logger } = await run(plan);
  assert.equal(result.failed, true);
  assert.deepEqual(tree(dir), { 'a.log.1': 'A', 'b.log': 'B' });
  assert.deepEqual(lines(record), [`pre logrotate_script ${a} ${b}`, `last logrotate_script ${a} ${b}`]);
  assert.deepEqual(logger.lines.filter((l) => l.severity === 'error').map((l) => l.text), [
    `failed to rename ${join(dir, 'missing')} to ${b}.1: No such file or directory`,
  ]);
  assert.equal(result.logs[0]?.error, 'not rotated: an earlier step of this section failed');
});

test('sharedscripts: a decision error blocks the group, yet first/lastaction run', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const [a, b] = [join(dir, 'a.log'), join(dir, 'b.log')];
  write(a, 'A');
  const plan = sectionPlan([a, b], [renameRotation(a)], {
    sharedScripts: true,
    scripts: { firstaction: recorder(record, 'first'), prerotate: recorder(record, 'pre'), lastaction: recorder(record, 'last') },
  }, new Map([[b, `stat of ${b} failed: No such file or directory`]]));
  const { result } = await run(plan);
  assert.equal(result.failed, true);
  assert.deepEqual(tree(dir), { 'a.log': 'A' });
  assert.deepEqual(result.stamps.size, 0);
  assert.deepEqual(lines(record), [`first logrotate_script ${a} ${b}`, `last logrotate_script ${a} ${b}`]);
  assert.equal(result.logs[1]?.error, `stat of ${b} failed: No such file or directory`);
});

test('a failing firstaction rotates nothing and skips lastaction', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const a = join(dir, 'a.log');
  write(a, 'A');
  const plan = sectionPlan([a], [renameRotation(a)], {
    scripts: { firstaction: recorder(record, 'first', 2), lastaction: recorder(record, 'last') },
  });
  const { result, logger } = await run(plan);
  assert.equal(result.failed, true);
  assert.deepEqual(tree(dir), { 'a.log': 'A' });
  assert.equal(result.stamps.size, 0);
  assert.deepEqual(lines(record), [`first logrotate_script ${a}`]);
  assert.deepEqual(logger.lines.filter((l) => l.severity === 'error').map((l) => l.text), [
    `error running first action script for ${a}: child did not exit with status 0`,
  ]);
});

test('no log due: no scripts at all', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const a = join(dir, 'a.log');
  write(a, 'A');
  const plan = sectionPlan([a], [], { scripts: { firstaction: recorder(record, 'first'), lastaction: recorder(record, 'last') } });
  const { result, logger } = await run(plan);
  assert.equal(result.failed, false);
  assert.ok(!existsSync(record));
  assert.deepEqual(logger.lines.map((l) => l.text), [
    'not running first action script, since no logs will be rotated',
    'not running last action script, since no logs will be rotated',
  ]);
});

test('-d: every step and script is printed, nothing changes', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const a = join(dir, 'a.log');
  write(a, 'A');
  write(`${a}.1`, 'A1');
  const plan = sectionPlan([a], [renameRotation(a, { finish: [{ kind: 'mail', path: `${a}.2`, address: 'x@y', subject: 's', uncompress: false }] })], {
    scripts: { postrotate: recorder(record, 'post') },
  });
  const { result, logger } = await run(plan, { preview: true });
  assert.equal(result.failed, false);
  assert.deepEqual(tree(dir), { 'a.log': 'A', 'a.log.1': 'A1' });
  assert.ok(!existsSync(record));
  assert.deepEqual(logger.lines.map((l) => l.text), [
    `rotating log ${a}, log->rotateCount is 0`,
    `renaming ${a}.1 to ${a}.2 (rotatecount 1, logstart 1, i 1), `,
    `renaming ${a} to ${a}.1`,
    'running postrotate script',
    `running script with args ${a} ${a}.1: "${plan.options.scripts.postrotate?.text}"`,
  ]);
});

test('the observer sees every action before and after, in order', async () => {
  const dir = tempLogDir();
  const a = join(dir, 'a.log');
  write(a, 'A');
  const seen: string[] = [];
  const observer: StepObserver = {
    before: async (action, log) => void seen.push(`before ${action.kind} ${log}`),
    after: async (action) => void seen.push(`after ${action.kind} ${existsSync(`${a}.1`)}`),
  };
  await run(sectionPlan([a], [renameRotation(a)]), { observer });
  assert.deepEqual(seen, [
    `before stamp ${a}`,
    'after stamp false',
    `before rename ${a}`,
    'after rename false',
    `before rename ${a}`,
    'after rename true',
  ]);
});

test('a rotation that cannot be prepared stops after its stamp with the planned error', async () => {
  const dir = tempLogDir();
  const a = join(dir, 'a.log');
  write(a, 'A');
  const failureText = `destination ${a}-20261122 already exists, skipping rotation`;
  const plan = sectionPlan([a], [renameRotation(a, { failure: failureText })]);
  const { result, logger } = await run(plan);
  assert.equal(result.failed, true);
  assert.deepEqual(tree(dir), { 'a.log': 'A' });
  assert.deepEqual([...result.stamps.keys()], [a]);
  assert.deepEqual(logger.lines.filter((l) => l.severity === 'error').map((l) => l.text), [failureText]);
});

test('sharedscripts: no log due → no shared prerotate/postrotate, with logrotate\'s debug lines', async () => {
  const { record, a, b } = twoLogs();
  const plan = sectionPlan([a, b], [], {
    sharedScripts: true,
    scripts: { prerotate: recorder(record, 'pre'), postrotate: recorder(record, 'post') },
  });
  const { result, logger } = await run(plan);
  assert.equal(result.failed, false);
  assert.equal(existsSync(record), false);
  assert.deepEqual(
    logger.lines.filter((l) => l.text.startsWith('not running')).map((l) => l.text),
    ['not running prerotate script, since no logs will be rotated', 'not running postrotate script, since no logs were rotated'],
  );
});

test('-v lines come with their steps: after a failure nothing names a step that did not run', async () => {
  const dir = tempLogDir();
  const a = join(dir, 'a.log');
  write(a, 'A');
  const broken = renameRotation(a, {
    rotate: [
      { kind: 'rename', from: join(dir, 'missing'), to: `${a}.1` },
      { kind: 'create', path: a, attrs: { mode: 0o600, uid: 0, gid: 0 } },
    ],
  });
  const { result, logger } = await run(sectionPlan([a], [broken]));
  assert.equal(result.failed, true);
  assert.deepEqual(logger.lines.map((l) => `${l.severity} ${l.text}`), [
    `debug rotating log ${a}, log->rotateCount is 0`,
    `debug renaming ${a}.1 to ${a}.2 (rotatecount 1, logstart 1, i 1), `,
    `debug old log ${a}.1 does not exist`,
    `debug renaming ${join(dir, 'missing')} to ${a}.1`,
    `error failed to rename ${join(dir, 'missing')} to ${a}.1: No such file or directory`,
  ]);
  // Only what was done: not the shift of the missing a.log.1, not the failed rename or the create after it.
  assert.deepEqual(result.logs[0]?.actions, []);
});

test('-d reports the steps a real run would do, replaying the tree as they go', async () => {
  const dir = tempLogDir();
  const a = join(dir, 'a.log');
  write(a, 'A');
  write(`${a}.1`, 'A1');
  const rotation = renameRotation(a, {
    prepare: [
      { kind: 'stamp', log: a, time: now },
      // delaycompress makes a.log.1.gz, which the shift then moves: a step under -d too.
      { kind: 'compress', from: `${a}.1`, to: `${a}.1.gz`, attrsFrom: `${a}.1` },
      { kind: 'remove', path: `${a}.1`, reason: 'compressed' },
      { kind: 'rename', from: `${a}.2.gz`, to: `${a}.3.gz`, shift: { rotateCount: 2, logStart: 1, index: 2 } },
      { kind: 'rename', from: `${a}.1.gz`, to: `${a}.2.gz`, shift: { rotateCount: 2, logStart: 1, index: 1 } },
    ],
  });
  const { result } = await run(sectionPlan([a], [rotation], { compressCmd: '/bin/gzip' }), { preview: true });
  assert.deepEqual(tree(dir), { 'a.log': 'A', 'a.log.1': 'A1' });
  assert.deepEqual(result.logs[0]?.actions, [
    'compressing log with: /bin/gzip',
    `renaming ${a}.1.gz to ${a}.2.gz (rotatecount 2, logstart 1, i 1), `,
    `renaming ${a} to ${a}.1`,
  ]);
});

test('compression removes its input without a "removing old log" line, running preremove on it', async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const a = join(dir, 'a.log');
  write(a, 'A');
  const rotation = renameRotation(a, {
    finish: [
      { kind: 'compress', from: `${a}.1`, to: `${a}.1.gz`, attrsFrom: a },
      { kind: 'remove', path: `${a}.1`, reason: 'compressed' },
    ],
  });
  const { result, logger } = await run(sectionPlan([a], [rotation], { scripts: { preremove: recorder(record, 'preremove') } }));
  assert.equal(result.failed, false);
  assert.deepEqual(Object.keys(tree(dir)), ['a.log.1.gz']);
  assert.deepEqual(lines(record), [`preremove logrotate_script ${a}.1`]);
  assert.deepEqual(logger.lines.map((l) => l.text).slice(-3), [`renaming ${a} to ${a}.1`, 'compressing log with: /bin/gzip', 'running preremove script']);
  assert.deepEqual(result.logs[0]?.actions, [`renaming ${a} to ${a}.1`, 'compressing log with: /bin/gzip']);
});

test("renamecopy's .tmp goes without preremove or shred (logrotate unlinks it plainly)", async () => {
  const dir = tempLogDir();
  const record = join(dir, 'record');
  const a = join(dir, 'a.log');
  write(a, 'A');
  const tmp = `${a}.tmp`;
  const rotation = renameRotation(a, {
    rotate: [{ kind: 'rename', from: a, to: tmp }],
    finish: [
      { kind: 'copy', from: tmp, to: `${a}.1`, truncate: false },
      { kind: 'remove', path: tmp, reason: 'renamecopy-tmp' },
    ],
  });
  const options = { shred: true, scripts: { preremove: recorder(record, 'preremove') } };
  const { result, logger } = await run(sectionPlan([a], [rotation], options));
  assert.equal(result.failed, false);
  assert.deepEqual(tree(dir), { 'a.log.1': 'A' });
  assert.ok(!existsSync(record));
  assert.deepEqual(logger.lines.map((l) => l.text).slice(-4), [`renaming ${a} to ${tmp}`, `copying ${tmp} to ${a}.1`, `Not truncating ${tmp}`, `removing tmp log ${tmp}`]);
});

test('a plan with su runs as that user when the caller has not switched yet, and root returns', async () => {
  const dir = tempLogDir();
  const a = join(dir, 'a.log');
  write(a, 'A');
  // The directory is root's: nobody may not rename in it.
  const plan = sectionPlan([a], [renameRotation(a)], { su: { user: 'nobody', group: 'nogroup', uid: 65534, gid: 65534 } });
  const { result, logger } = await run(plan);
  assert.equal(result.failed, true);
  assert.deepEqual(tree(dir), { 'a.log': 'A' });
  assert.deepEqual(logger.lines.filter((l) => l.severity === 'error').map((l) => l.text), [
    `failed to rename ${a} to ${a}.1: Permission denied`,
  ]);
  assert.equal(process.geteuid?.(), 0);
});
