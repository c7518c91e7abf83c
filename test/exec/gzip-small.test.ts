// Small files (≤ 256 KiB) compressed whole in one deflate call on the thread pool
// (gzip.ts): the input back byte for byte, gzip's header, many at once, a file that
// grows before it is read, errors with their errno.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LogText } from '../../bench/loglines.js';
import { gzipFd } from '../../src/exec/gzip.js';
import { cpuLimiter } from '../../src/exec/limit.js';

const dir = mkdtempSync(join(tmpdir(), 'logrotor-gzip-small-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const text = new LogText(11).chunk(256 * 1024);

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

test('a small file: the input back byte for byte, gzip\'s header (mtime, XFL, OS) and the header of the streaming path', async () => {
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
      if (size > 32 * 1024) {
        // Blocks of 32 KiB take the streaming path (deflate on the thread pool).
        const streamed = await viaGzipFd(input, level, 32 * 1024);
        assert.deepEqual(gunzipSync(streamed), data, what);
        assert.deepEqual(streamed.subarray(0, 10), gz.subarray(0, 10), `${what}: same header as the streaming path`);
      }
    }
  }
});


test('50 compressions at once all complete, each the input back byte for byte', async () => {
  const inputs = Array.from({ length: 50 }, (_, i) => {
    const data = text.subarray(i * 997, i * 997 + 1000 + ((i * 7919) % (200 * 1024)));
    return { path: file(`many-${i}.log`, data), data };
  });
  const outputs = await Promise.all(inputs.map(({ path }) => viaGzipFd(path, 6)));
  outputs.forEach((gz, i) => assert.deepEqual(gunzipSync(gz), inputs[i]?.data, `file ${i}`));
});

test('a file that grows after gzipFd looked at its size, before a slot is free to read it, is compressed whole through the streaming path', async () => {
  const first = text.subarray(0, 30_000);
  const more = text.subarray(30_000, 90_000);
  const input = file('growing.log', first);
  // Every slot taken: the small file waits for one after its fstat.
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = Array.from({ length: cpuLimiter.slots }, () => cpuLimiter.run(() => gate));
  const compressed = viaGzipFd(input, 6);
  writeFileSync(input, more, { flag: 'a' });
  release();
  await Promise.all(held);
  assert.deepEqual(gunzipSync(await compressed), Buffer.concat([first, more]));
});

test('an output open for reading only: the job rejects with its errno (EBADF, write), writes nothing, and the next jobs are done', async () => {
  const data = text.subarray(0, 20_000);
  const input = file('ebadf.log', data);
  const readOnly = file('ebadf.log.gz', Buffer.alloc(0));
  const inFd = openSync(input, 'r');
  const outFd = openSync(readOnly, 'r');
  try {
    await assert.rejects(gzipFd(inFd, outFd, 6), { code: 'EBADF', syscall: 'write' });
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  assert.equal(readFileSync(readOnly).length, 0);
  const later = await Promise.all([1, 2, 3].map((i) => viaGzipFd(file(`after-ebadf-${i}.log`, data.subarray(i)), 6)));
  later.forEach((gz, i) => assert.deepEqual(gunzipSync(gz), data.subarray(i + 1)));
});

test('a failed fsync of a small file rejects with code and syscall (compress.ts reports it as "fsync: …")', async () => {
  const input = file('fsync.log', text.subarray(0, 1000));
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
