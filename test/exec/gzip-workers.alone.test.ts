// Small files (≤ 256 KiB) compressed whole on worker threads (gzip-small.ts,
// gzip-workers.ts): the same bytes as on the main thread, gzip's header, a bounded
// number of workers under load, a file that grows meanwhile, errors with their errno,
// the thread-pool fallback when workers fail, and a process that exits once done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { LogText } from '../../bench/loglines.js';
import { gzipFd } from '../../src/exec/gzip.js';
import { gzipSmallSync } from '../../src/exec/gzip-small.js';
import { gzipWorkers } from '../../src/exec/gzip-workers.js';

const GZIP_MODULE = fileURLToPath(new URL('../../src/exec/gzip.js', import.meta.url));
/** gzip-workers.ts's limit: one worker per core and two more. */
const WORKERS = availableParallelism();

const dir = mkdtempSync(join(tmpdir(), 'logrotor-gzip-workers-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const text = new LogText(11).chunk(256 * 1024);

/** The pool's bookkeeping, read to check its bounds (not part of its interface). */
interface PoolInternals {
  readonly busy: ReadonlyMap<unknown, number>;
  readonly starting: ReadonlySet<unknown>;
  readonly waiting: ReadonlyMap<number, unknown>;
  readonly queue: readonly unknown[];
  readonly started: number;
  readonly broken: boolean;
}
const pool = gzipWorkers as unknown as PoolInternals;

function file(name: string, data: Buffer, mtime?: number): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  if (mtime !== undefined) utimesSync(path, mtime, mtime);
  return path;
}

/** `input` gzipped by gzipFd into `${input}.gz`. */
async function viaGzipFd(input: string, level: number, blockSize?: number): Promise<Buffer> {
  const inFd = openSync(input, 'r');
  const outFd = openSync(`${input}.gz`, 'w');
  try {
    await gzipFd(inFd, outFd, level, { durable: true, ...(blockSize === undefined ? {} : { blockSize }) });
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  return readFileSync(`${input}.gz`);
}

/** The same on this thread with gzipSmallSync, into `${input}.main.gz`. */
function viaMainThread(input: string, level: number): Buffer {
  const inFd = openSync(input, 'r');
  const outFd = openSync(`${input}.main.gz`, 'w');
  try {
    assert.equal(gzipSmallSync({ input: inFd, output: outFd, level, size: fstatSync(inFd).size }), true);
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  return readFileSync(`${input}.main.gz`);
}

function systemGunzip(gz: Buffer): Buffer {
  const result = spawnSync('gzip', ['-dc'], { input: gz, maxBuffer: 16 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout;
}

/** The 10-byte header `gzip -LEVEL < input` writes (mtime from the input's fstat). */
function gzipHeaderOf(input: string, level: number): Buffer {
  const result = spawnSync('sh', ['-c', `gzip -${level} < "$1"`, 'sh', input], { maxBuffer: 16 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout.subarray(0, 10);
}

test('a small file through a worker: the input back byte for byte, gzip\'s header (mtime, XFL, OS), the same bytes as on the main thread and the header of the streaming path', async () => {
  for (const size of [0, 1, 4097, 100_000, 256 * 1024]) {
    for (const level of [1, 6, 9]) {
      const data = text.subarray(0, size);
      const input = file(`small-${size}-${level}.log`, data, 1_600_000_000 + size);
      const gz = await viaGzipFd(input, level);
      const what = `${size} B at level ${level}`;
      assert.deepEqual(gunzipSync(gz), data, what);
      assert.deepEqual(systemGunzip(gz), data, what);
      assert.deepEqual(gz.subarray(0, 10), gzipHeaderOf(input, level), `${what}: magic, method, flags, mtime, XFL and OS as gzip < file`);
      assert.equal(gz.readUInt32LE(4), 1_600_000_000 + size, what);
      assert.equal(gz.readUInt32LE(gz.length - 4), size, `${what}: ISIZE`);
      assert.deepEqual(gz, viaMainThread(input, level), `${what}: worker and main thread write the same member`);
      if (size > 32 * 1024) {
        // Blocks of 32 KiB take the streaming path (deflate on the thread pool).
        const streamed = await viaGzipFd(input, level, 32 * 1024);
        assert.deepEqual(gunzipSync(streamed), data, what);
        assert.deepEqual(streamed.subarray(0, 10), gz.subarray(0, 10), `${what}: same header as the streaming path`);
      }
    }
  }
  assert.ok(pool.started > 0 && !pool.broken, 'the small files went through workers');
});

test('50 compressions at once all complete, with never more than the worker limit busy or started', async () => {
  const inputs = Array.from({ length: 50 }, (_, i) => {
    const data = text.subarray(i * 997, i * 997 + 1000 + ((i * 7919) % (200 * 1024)));
    return { path: file(`many-${i}.log`, data), data };
  });
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, pool.busy.size);
    assert.ok(pool.busy.size <= WORKERS, `${pool.busy.size} workers busy`);
    assert.ok(pool.started <= WORKERS, `${pool.started} workers started`);
  };
  const jobs = inputs.map(({ path }) => {
    const job = viaGzipFd(path, 6);
    sample();
    return job.then((gz) => (sample(), gz));
  });
  const outputs = await Promise.all(jobs);
  outputs.forEach((gz, i) => assert.deepEqual(gunzipSync(gz), inputs[i]?.data, `file ${i}`));
  assert.ok(peak >= 2, `compressions ran side by side (peak ${peak} busy)`);
  assert.deepEqual([pool.busy.size, pool.starting.size, pool.waiting.size, pool.queue.length, pool.broken], [0, 0, 0, 0, false]);
});

test('a file holding more than the size its caller found: gzipSmallSync and the worker answer false and write nothing', async () => {
  const data = text.subarray(0, 50_000);
  const input = file('grown.log', data);
  const output = join(dir, 'grown.log.gz');
  const inFd = openSync(input, 'r');
  const outFd = openSync(output, 'w');
  try {
    for (const size of [0, 49_999]) {
      assert.equal(gzipSmallSync({ input: inFd, output: outFd, level: 6, size }), false);
      assert.equal(await gzipWorkers.run({ input: inFd, output: outFd, level: 6, size }), false);
    }
    assert.equal(fstatSync(outFd).size, 0);
    // With the size it has, the worker does compress it.
    assert.equal(await gzipWorkers.run({ input: inFd, output: outFd, level: 6, size: data.length }), true);
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  assert.deepEqual(gunzipSync(readFileSync(output)), data);
});

/** Runs `body` (an ES module text with `gzipFd` and `dir` in scope) in a fresh node
 * process; returns its exit, output and duration. */
function inChild(name: string, body: string, nodeArgs: readonly string[] = []): { status: number | null; signal: string | null; stdout: string; stderr: string; ms: number } {
  const script = join(dir, `${name}.mjs`);
  writeFileSync(script, `import { gzipFd } from ${JSON.stringify(GZIP_MODULE)};\nconst dir = ${JSON.stringify(dir)};\n${body}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [...nodeArgs, script], { encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}

/** Child-script lines: compress `${dir}/F` into `${dir}/F.gz` with gzipFd, F the value
 * of the JS expression `name`; `then` runs once the job is handed out. */
const compressIn = (name: string, then = ''): string => `
{
  const fs = await import('node:fs');
  const file = ${name};
  const input = fs.openSync(dir + '/' + file, 'r');
  const output = fs.openSync(dir + '/' + file + '.gz', 'w');
  const job = gzipFd(input, output, 6, { durable: true });
  ${then}
  try {
    await job;
    console.log(file + ': ok');
  } catch (err) {
    console.log(file + ': ' + err.message);
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
}`;

test('a file that grows after gzipFd looked at its size is compressed whole, through the streaming path', () => {
  const first = text.subarray(0, 30_000);
  const more = text.subarray(30_000, 90_000);
  file('growing.log', first);
  // In a fresh process the first job waits for its worker to start: the append lands
  // after gzipFd's fstat and before the worker reads.
  const run = inChild('grow', compressIn("'growing.log'", `fs.appendFileSync(dir + '/growing.log', ${JSON.stringify(more.toString('latin1'))}, 'latin1');`));
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'growing.log: ok\n');
  assert.deepEqual(gunzipSync(readFileSync(join(dir, 'growing.log.gz'))), Buffer.concat([first, more]));
});

test('a bad descriptor: the job rejects with its errno (EBADF) from the worker, and the next jobs are done', async () => {
  const data = text.subarray(0, 20_000);
  const input = file('ebadf.log', data);
  const readOnly = file('ebadf.log.gz', Buffer.alloc(0));
  const inFd = openSync(input, 'r');
  const outFd = openSync(readOnly, 'r');
  try {
    // Not open at all: the worker's read fails.
    await assert.rejects(gzipWorkers.run({ input: 1 << 20, output: outFd, level: 6, size: 10 }), { code: 'EBADF', syscall: 'read' });
    // Open for reading only: gzipFd's fstat is fine, the worker's write is not.
    await assert.rejects(gzipFd(inFd, outFd, 6), { code: 'EBADF', syscall: 'write' });
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  assert.equal(readFileSync(readOnly).length, 0);
  assert.equal(pool.broken, false, 'a failed file is an answer, not a lost worker');
  const later = await Promise.all([1, 2, 3].map((i) => viaGzipFd(file(`after-ebadf-${i}.log`, data.subarray(i)), 6)));
  later.forEach((gz, i) => assert.deepEqual(gunzipSync(gz), data.subarray(i + 1)));
});

test('a failed fsync of a small file rejects with code and syscall (compress.ts reports it as "fsync: …")', async () => {
  const data = text.subarray(0, 1000);
  const input = file('fsync.log', data);
  const fifo = join(dir, 'fsync.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const inFd = openSync(input, 'r');
  // Read-write, so that opening does not wait for a reader; fsync(2) of a pipe is EINVAL.
  const outFd = openSync(fifo, 'r+');
  try {
    await assert.rejects(gzipFd(inFd, outFd, 6, { durable: true }), { code: 'EINVAL', syscall: 'fsync' });
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
});

test('the process exits promptly (0) after its last compression: idle workers do not keep it alive', () => {
  file('exit.log', text.subarray(0, 64 * 1024));
  const run = inChild('exit', compressIn("'exit.log'"));
  assert.equal(run.signal, null, `killed after ${run.ms} ms: a worker kept the process alive`);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'exit.log: ok\n');
  assert.ok(run.ms < 5000, `took ${run.ms} ms`);
  assert.deepEqual(gunzipSync(readFileSync(join(dir, 'exit.log.gz'))), text.subarray(0, 64 * 1024));
});

test('workers that fail while starting (a preload throws in them): the files go to the thread pool, none fails', () => {
  const preload = join(dir, 'no-workers.mjs');
  writeFileSync(preload, `import { isMainThread } from 'node:worker_threads';\nif (!isMainThread) throw new Error('no worker may start');\n`);
  const names = Array.from({ length: 12 }, (_, i) => `nostart-${i}.log`);
  names.forEach((name, i) => file(name, text.subarray(i, 10_000 + i * 1000)));
  // All at once, so that every worker the pool starts has jobs waiting for it.
  const body = `await Promise.all(${JSON.stringify(names)}.map(async (name) => ${compressIn('name')}));`;
  const run = inChild('nostart', body, ['--import', preload]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n').sort(), names.map((n) => `${n}: ok`).sort());
  names.forEach((name, i) => assert.deepEqual(gunzipSync(readFileSync(join(dir, `${name}.gz`))), text.subarray(i, 10_000 + i * 1000), name));
});

test('a worker that dies during a job: that job rejects, later files go to the thread pool, the process still exits', () => {
  const preload = join(dir, 'dying-workers.mjs');
  // Its listener runs before the worker's own: the worker ends on its first job.
  writeFileSync(preload, `import { isMainThread, parentPort } from 'node:worker_threads';\nif (!isMainThread) parentPort.on('message', () => process.exit(7));\n`);
  file('dies-1.log', text.subarray(0, 5000));
  file('dies-2.log', text.subarray(5000, 15_000));
  const run = inChild('dies', compressIn("'dies-1.log'") + compressIn("'dies-2.log'"), ['--import', preload]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'dies-1.log: compression worker exited with status 7\ndies-2.log: ok\n');
  assert.deepEqual(gunzipSync(readFileSync(join(dir, 'dies-2.log.gz'))), text.subarray(5000, 15_000));
});
