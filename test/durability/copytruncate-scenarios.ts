// Scenarios of lossless copytruncate, run by two test files: one with the native addon,
// one with LOGROTOR_NO_NATIVE=1 (each node:test file is its own process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryLogger } from '../../src/logger.js';
import { copyTruncateLog } from '../../src/exec/copy.js';
import { account, history, LINE_BYTES, scratch, startWriter, withFilesystem, type FsKind } from './fixtures.js';

/** copytruncate as the executor runs it; the method shows in its debug line. */
async function rotate(log: string, to: string, logger: MemoryLogger): Promise<string> {
  const outcome = await copyTruncateLog(log, to, { allowHardlink: false, logger, now: new Date(0) });
  assert.deepEqual(outcome, { ok: true });
  const moved = logger.lines.filter((l) => l.text.startsWith('moved ') && l.text.includes(`to ${to} by`)).at(-1);
  return moved?.text.replace(/^moved (\d+) bytes to .* (by [a-z -]+);.*$/, '$1 $2') ?? 'truncated';
}

/** Rotates `log` every `everyMs` while a writer appends, for `durationMs`; rotation k is
 * named log.(1000-k) so that older rotations sort first. */
async function rotateUnderWriter(
  dir: string,
  mode: 'append' | 'offset',
  durationMs: number,
  everyMs: number,
): Promise<{ count: number; outcomes: string[]; logger: MemoryLogger }> {
  const log = join(dir, 'app.log');
  const logger = new MemoryLogger();
  const writer = await startWriter(log, mode);
  const outcomes: string[] = [];
  const deadline = Date.now() + durationMs;
  try {
    while (Date.now() < deadline) {
      await sleep(everyMs);
      outcomes.push(await rotate(log, `${log}.${1000 - outcomes.length}`, logger));
    }
  } finally {
    var count = await writer.stop();
  }
  return { count, outcomes, logger };
}

async function onFs(kind: FsKind, sizeMb: number, body: (dir: string) => Promise<void>): Promise<void> {
  const dirs = scratch();
  try {
    assert.notEqual(await withFilesystem(dirs.root, kind, sizeMb, body), null, `could not mount ${kind}`);
  } finally {
    dirs.cleanup();
  }
}

export function copytruncateScenarios(label: string): void {
  test(`${label}: ext4, O_APPEND writer at tens of MB/s: no line lost or duplicated`, () =>
    onFs('ext4', 1024, async (dir) => {
      const { count, outcomes, logger } = await rotateUnderWriter(dir, 'append', 2500, 120);
      const text = history(dir, 'app.log');
      assert.deepEqual(account(text, count), { lost: 0, duplicated: 0, garbage: 0 });
      assert.equal(text.length, count * LINE_BYTES);
      assert.ok(outcomes.length >= 5, `only ${outcomes.length} rotations`);
      assert.ok(outcomes.every((o) => /^\d+ by collapse-range$/.test(o) && Number.parseInt(o) % 4096 === 0), outcomes.join());
      assert.ok(count * LINE_BYTES > 20e6, `writer too slow: ${count} lines`);
      assert.equal(logger.lines.filter((l) => l.severity !== 'debug').length, 0);
    }));

  test(`${label}: XFS clones the prefix by reflink and still collapses exactly it`, () =>
    onFs('xfs', 1024, async (dir) => {
      const { count, outcomes } = await rotateUnderWriter(dir, 'append', 1200, 150);
      assert.deepEqual(account(history(dir, 'app.log'), count), { lost: 0, duplicated: 0, garbage: 0 });
      assert.ok(outcomes.length > 0 && outcomes.every((o) => o.endsWith(' by reflink and collapse-range')), outcomes.join());
    }));

  test(`${label}: an idle log is emptied like logrotate does, its aligned part by collapse`, () =>
    onFs('ext4', 16, async (dir) => {
      const log = join(dir, 'quiet.log');
      writeFileSync(log, 'A'.repeat(10000));
      const logger = new MemoryLogger();
      assert.equal(await rotate(log, `${log}.1`, logger), '10000 by collapse-range');
      assert.equal(readFileSync(`${log}.1`, 'latin1'), 'A'.repeat(10000));
      assert.equal(readFileSync(log, 'latin1'), '');
      writeFileSync(log, 'C'.repeat(100));
      assert.equal(await rotate(log, `${log}.2`, logger), 'truncated');
      assert.equal(readFileSync(`${log}.2`, 'latin1'), 'C'.repeat(100));
      assert.equal(readFileSync(log, 'latin1'), '');
      assert.deepEqual(readdirSync(dir).sort(), ['lost+found', 'quiet.log', 'quiet.log.1', 'quiet.log.2']);
    }));

  test(`${label}: tmpfs cannot collapse: the classic copy-then-truncate, said under -v`, () =>
    onFs('tmpfs', 64, async (dir) => {
      const log = join(dir, 'app.log');
      writeFileSync(log, 'B'.repeat(10000));
      const logger = new MemoryLogger();
      assert.equal(await rotate(log, `${log}.1`, logger), 'truncated');
      assert.equal(readFileSync(`${log}.1`, 'latin1'), 'B'.repeat(10000));
      assert.equal(readFileSync(log, 'latin1'), '');
      assert.ok(logger.lines.some((l) => l.severity === 'debug' && l.text.includes('cannot collapse ranges')));
    }));

  test(`${label}: a writer without O_APPEND is detected by the hole it leaves`, () =>
    onFs('ext4', 256, async (dir) => {
      const { logger } = await rotateUnderWriter(dir, 'offset', 400, 150);
      assert.ok(
        logger.lines.some((l) => l.severity === 'warning' && l.text.includes('without O_APPEND')),
        JSON.stringify(logger.lines),
      );
    }));
}
