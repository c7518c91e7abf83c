// `logrotor watch` and the disk budgets, end to end on a 32 MiB tmpfs: a log under
// `daily` (so no size ever triggers a run), ten 1 MiB rotations, `maxtotalsize 12M` and
// `minfree 8M`. Something else on the filesystem crosses each budget; the watch must
// remove exactly the oldest rotations that bring it back, within 2 s, and when nothing
// is left to remove, say so once and stay quiet rather than loop.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, renameSync, statfsSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scratch, withFilesystem } from '../durability/fixtures.js';
import { CliProcess } from './cli-process.js';
import { waitFor } from './fakes.js';

const MIB = 1024 * 1024;
const MINFREE = 8 * MIB;
const MAXTOTAL = 12 * MIB;
const HOUR = 3600;

function freeBytes(dir: string): number {
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}

/** Rotations as the family sees them, oldest first: their names and sizes. */
function rotations(dir: string): { name: string; size: number; mtime: number }[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('app.log') && name !== 'app.log')
    .map((name) => {
      const st = statSync(join(dir, name));
      return { name, size: st.size, mtime: st.mtimeMs };
    })
    .sort((a, b) => a.mtime - b.mtime);
}

/** Written aside and renamed into place, as an application finishes a file: the watch
 * sees it whole. */
function drop(path: string, bytes: number): void {
  writeFileSync(`${path}.tmp`, Buffer.alloc(bytes, 0x61));
  renameSync(`${path}.tmp`, path);
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds until `check` holds, polled every 20 ms; fails after `ms`. */
async function within(ms: number, what: string, check: () => boolean): Promise<number> {
  const started = Date.now();
  await waitFor(check, ms, what);
  return Date.now() - started;
}

test('watch: maxtotalsize and minfree crossed by other writers are mended within 2 s, an unmeetable minfree rests', async (t) => {
  const dirs = scratch();
  t.after(() => dirs.cleanup());
  const ran = await withFilesystem(dirs.root, 'tmpfs', 32, async (mnt) => {
    const logs = join(mnt, 'logs');
    mkdirSync(logs, { mode: 0o755 });
    writeFileSync(join(logs, 'app.log'), 'live\n');
    const now = Date.now() / 1000;
    for (let i = 1; i <= 10; i++) {
      const path = join(logs, `app.log.${i}`);
      writeFileSync(path, Buffer.alloc(MIB, 0x30 + i));
      utimesSync(path, now - i * HOUR, now - i * HOUR);
    }
    const conf = join(dirs.root, 'watch.conf');
    writeFileSync(conf, `${join(logs, 'app.log')} {\n  daily\n  rotate 100\n  maxtotalsize 12M\n  minfree 8M\n}\n`, { mode: 0o644 });
    const watch = new CliProcess(['watch', '-s', join(dirs.root, 'state'), conf], dirs.root);
    t.after(() => watch.kill());
    const explain = (error: Error): never => {
      throw new Error(`${error.message}\nstdout:\n${watch.stdout}\nstderr:\n${watch.stderr}`);
    };
    await waitFor(() => watch.stdout.includes('filesystems (minfree)'), 10_000, 'the watch to start').catch(explain);
    assert.match(watch.stdout, /watching the free space of 1 filesystems \(minfree\) and 1 directories of rotations \(maxtotalsize\)/);

    // Idle: only the free-space poll runs.
    const pid = watch.child.pid ?? 0;
    const idleFrom = cpuSeconds(pid);
    await sleep(5000);
    const idle = cpuSeconds(pid) - idleFrom;
    t.diagnostic(`idle CPU of watch with minfree and maxtotalsize: ${(idle * 1000).toFixed(0)} ms in 5 s`);
    assert.ok(idle < 0.5, `watch used ${idle} s of CPU in 5 s doing nothing`);
    assert.equal(rotations(logs).length, 10, 'nothing was over budget yet');

    // maxtotalsize: a 4 MiB rotation appears (10 + 4 > 12): the two oldest go.
    drop(join(logs, 'app.log-20261201'), 4 * MIB);
    const totalMs = await within(2000, 'maxtotalsize to be met', () => rotations(logs).reduce((s, r) => s + r.size, 0) <= MAXTOTAL).catch(explain);
    t.diagnostic(`maxtotalsize met ${totalMs} ms after it was crossed`);
    await sleep(300);
    assert.deepEqual(rotations(logs).map((r) => r.name), ['app.log.8', 'app.log.7', 'app.log.6', 'app.log.5', 'app.log.4', 'app.log.3', 'app.log.2', 'app.log.1', 'app.log-20261201']);
    assert.match(watch.stdout, /app\.log: maxtotalsize 12M: removing \S+\/app\.log\.10, rotations total 14M\n.*app\.log: maxtotalsize 12M: removing \S+\/app\.log\.9, rotations total 13M\n/);

    // minfree: another file takes the free space below 8 MiB; the oldest rotations go
    // until it is met, and not one more.
    const before = rotations(logs);
    drop(join(mnt, 'filler-1'), freeBytes(mnt) - MINFREE + MIB + MIB / 2);
    const freeMs = await within(2000, 'minfree to be met', () => freeBytes(mnt) >= MINFREE).catch(explain);
    t.diagnostic(`minfree met ${freeMs} ms after it was crossed`);
    await sleep(300);
    const after = rotations(logs);
    const gone = before.slice(0, before.length - after.length);
    assert.deepEqual(after, before.slice(gone.length), 'only the oldest rotations went');
    assert.equal(gone.length, 2, `removed ${gone.map((r) => r.name).join(' ')}`);
    assert.ok(freeBytes(mnt) - (gone.at(-1)?.size ?? 0) < MINFREE, 'one rotation fewer would not have been enough');

    // Nothing left that would help: every rotation goes, minfree stays unmet, and the
    // watch says so once and rests instead of running again and again.
    drop(join(mnt, 'filler-2'), freeBytes(mnt) - MIB / 2);
    await within(2000, 'every rotation to go', () => rotations(logs).length === 0).catch(explain);
    drop(join(mnt, 'filler-3'), freeBytes(mnt) - MIB);
    await waitFor(() => watch.stderr.includes('cannot be met'), 2000, 'the watch to give up on minfree').catch(explain);
    const runs = watch.stdout.length;
    const restFrom = cpuSeconds(pid);
    await sleep(3000);
    const resting = cpuSeconds(pid) - restFrom;
    t.diagnostic(`CPU while minfree cannot be met: ${(resting * 1000).toFixed(0)} ms in 3 s`);
    assert.equal(watch.stdout.length, runs, `the watch ran again:\n${watch.stdout.slice(runs)}`);
    const warnings = watch.stderr.split('\n').filter((line) => line.startsWith('warning: minfree 8M for '));
    assert.equal(warnings.length, 1, watch.stderr);
    assert.match(warnings[0] ?? '', /cannot be met: .* once every rotation is removed, 8M wanted; next try in 60 s$/);
    assert.equal(readFileSync(join(logs, 'app.log'), 'utf8'), 'live\n');

    watch.signal('SIGTERM');
    assert.equal(await watch.exit(10_000), 0);
  });
  assert.notEqual(ran, null, 'could not mount a tmpfs');
});
