import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { executeSection } from '../../src/exec/execute.js';
import type { StepObserver } from '../../src/exec/observer.js';
import { MemoryLogger } from '../../src/logger.js';
import type { SectionPlan } from '../../src/plan/model.js';
import { lines, recorder, renameRotation, sectionPlan, tempLogDir, write } from './helpers.js';

const now = new Date(2026, 10, 22, 15, 4, 5);

function run(plan: SectionPlan, extra: { dryRun?: boolean; observer?: StepObserver } = {}) {
  const logger = new MemoryLogger();
  return executeSection({ plan, logger, now, mailCommand: '/bin/false', dryRun: false, ...extra }).then(
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
  const { result, logger } = await run(plan, { dryRun: true });
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
