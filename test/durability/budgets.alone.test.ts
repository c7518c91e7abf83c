// The disk budgets under `logrotor daemon --watch` (issue 11): writers fill a small
// loop-mounted ext4 at about 4.4 MB/s in all, far faster than a daily rotation could
// help. The daemon (the real CLI, started and stopped here by its pid) must keep the
// filesystem's free space near `minfree` and each log's rotations within `maxtotalsize`,
// every writer must be able to write all along, and what stays of each log on disk must
// be exactly its newest lines: only the oldest rotations were purged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliProcess } from '../ops/cli-process.js';
import { scratch, startWriter, withFilesystem, type Writer } from './fixtures.js';

const MIB = 1024 * 1024;
const MINFREE = 20 * MIB;
/** How far below minfree free space may fall while the daemon catches up (the figure). */
const SLACK = 4 * MIB;
const FAST_TOTAL = 6 * MIB;
const SLOW_TOTAL = 24 * MIB;
/** Writers' rates in MB/s: one fast log held by its maxtotalsize, three by minfree. */
const LOGS: readonly { readonly name: string; readonly rate: number; readonly maxTotal: number }[] = [
  { name: 'fast.log', rate: 2, maxTotal: FAST_TOTAL },
  { name: 'a.log', rate: 0.8, maxTotal: SLOW_TOTAL },
  { name: 'b.log', rate: 0.8, maxTotal: SLOW_TOTAL },
  { name: 'c.log', rate: 0.8, maxTotal: SLOW_TOTAL },
];
/** Long enough to fill the filesystem (about 8 s) and then hold it there for a while. */
const WRITE_MS = 20_000;

interface Rotation {
  readonly index: number;
  readonly size: number;
}

function rotationsOf(dir: string, log: string): Rotation[] {
  const rotations: Rotation[] = [];
  for (const name of readdirSync(dir)) {
    const match = new RegExp(`^${log.replace('.', '\\.')}\\.(\\d+)$`).exec(name);
    if (match === null) continue;
    try {
      rotations.push({ index: Number(match[1]), size: statSync(join(dir, name)).size });
    } catch {
      // Removed between readdir and stat.
    }
  }
  return rotations;
}

interface Samples {
  lowestFree: number;
  /** Per log: the most its rotations added up to beyond maxtotalsize + its largest rotation. */
  readonly overBudget: Map<string, number>;
  count: number;
}

function sample(dir: string, samples: Samples): void {
  const fs = statfsSync(dir);
  samples.lowestFree = Math.min(samples.lowestFree, fs.bavail * fs.bsize);
  for (const { name, maxTotal } of LOGS) {
    const rotations = rotationsOf(dir, name);
    const total = rotations.reduce((sum, r) => sum + r.size, 0);
    const largest = Math.max(0, ...rotations.map((r) => r.size));
    samples.overBudget.set(name, Math.max(samples.overBudget.get(name) ?? -Infinity, total - maxTotal - largest));
  }
  samples.count++;
}

/** The writer's line numbers still on disk, oldest rotation first, the live log last. */
function linesOnDisk(dir: string, log: string): number[] {
  const files = rotationsOf(dir, log)
    .sort((a, b) => b.index - a.index)
    .map((r) => join(dir, `${log}.${r.index}`));
  const numbers: number[] = [];
  for (const file of [...files, join(dir, log)]) {
    let text = '';
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const match = /^(\d{9}) x{50}$/.exec(line);
      assert.notEqual(match, null, `${file}: torn line ${JSON.stringify(line.slice(0, 80))}`);
      numbers.push(Number(match?.[1]));
    }
  }
  return numbers;
}

test('daemon --watch holds minfree and maxtotalsize against 4.4 MB/s of writers on a 64 MiB ext4', async (t) => {
  const dirs = scratch();
  t.after(() => dirs.cleanup());
  const ran = await withFilesystem(dirs.root, 'ext4', 64, async (mnt) => {
    const logs = join(mnt, 'logs');
    const conf = join(dirs.root, 'budgets.conf');
    const state = join(dirs.root, 'state');
    const section = (names: string, maxTotal: number): string =>
      `${names} {\n  size 1M\n  rotate 1000\n  missingok\n  maxtotalsize ${maxTotal / MIB}M\n  minfree ${MINFREE / MIB}M\n}\n`;
    const slow = LOGS.filter((l) => l.maxTotal === SLOW_TOTAL).map((l) => join(logs, l.name));
    writeFileSync(conf, section(join(logs, 'fast.log'), FAST_TOTAL) + section(slow.join(' '), SLOW_TOTAL), { mode: 0o644 });
    mkdirSync(logs, { mode: 0o755 });
    const start = statfsSync(mnt);
    t.diagnostic(`filesystem: ${((start.bavail * start.bsize) / MIB).toFixed(1)} MiB free of ${((start.blocks * start.bsize) / MIB).toFixed(1)} MiB; minfree ${MINFREE / MIB} MiB`);

    const daemon = new CliProcess(['daemon', '--watch', '--schedule', '0 0 1 1 *', '-s', state, conf], dirs.root);
    t.after(() => daemon.kill());
    const writers: Writer[] = [];
    const samples: Samples = { lowestFree: Infinity, overBudget: new Map(), count: 0 };
    let counts: number[] = [];
    try {
      const deadline = Date.now() + 10_000;
      while (!daemon.stdout.includes('filesystems (minfree)') && Date.now() < deadline) await sleep(20);
      assert.match(daemon.stdout, /watching the free space of 1 filesystems \(minfree\) and 1 directories of rotations \(maxtotalsize\)/, daemon.stderr);
      // Reopening by path for every write, as many applications do: no signal needed.
      for (const { name, rate } of LOGS) writers.push(await startWriter(join(logs, name), 'reopen', 16, rate));
      const until = Date.now() + WRITE_MS;
      while (Date.now() < until) {
        sample(logs, samples);
        await sleep(100);
      }
    } finally {
      counts = await Promise.all(writers.map((w) => w.stop()));
    }
    // The last rotations and purges of what was written before the writers stopped.
    await sleep(1500);
    const cpu = cpuSeconds(daemon.child.pid ?? 0);
    daemon.signal('SIGTERM');
    assert.equal(await daemon.exit(15_000), 0, daemon.stderr);

    t.diagnostic(`lowest free space: ${(samples.lowestFree / MIB).toFixed(2)} MiB in ${samples.count} samples (minfree ${MINFREE / MIB} MiB)`);
    t.diagnostic(`daemon CPU: ${cpu.toFixed(1)} s over about ${(WRITE_MS + 1500) / 1000} s`);
    assert.ok(samples.count >= WRITE_MS / 100 / 3, `only ${samples.count} samples`);
    assert.ok(samples.lowestFree >= MINFREE - SLACK, `free space fell to ${(samples.lowestFree / MIB).toFixed(2)} MiB`);
    LOGS.forEach(({ name, maxTotal }, index) => {
      const over = samples.overBudget.get(name) ?? 0;
      t.diagnostic(`${name}: rotations at most ${(over / MIB).toFixed(2)} MiB from maxtotalsize ${maxTotal / MIB}M plus one rotation`);
      assert.ok(over <= 0, `${name}: rotations ${over} bytes over maxtotalsize plus one rotation`);
      const numbers = linesOnDisk(logs, name);
      const count = counts[index] ?? 0;
      const first = numbers[0] ?? count;
      t.diagnostic(`${name}: ${count} lines written, ${numbers.length} on disk from line ${first}`);
      // Exactly the newest lines: first…count-1, each once, in order.
      assert.equal(numbers.length, count - first, `${name}: lines missing or repeated`);
      assert.ok(
        numbers.every((n, i) => n === first + i),
        `${name}: a gap or a line out of order`,
      );
      // The budgets did purge: the oldest lines are gone.
      assert.ok(first > 0, `${name}: nothing was purged`);
    });
    assert.match(daemon.stdout, /maxtotalsize 6M: removing /);
    assert.match(daemon.stdout, /minfree 20M: removing /);
  });
  assert.notEqual(ran, null, 'could not mount ext4');
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** User and system CPU time of a process so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
