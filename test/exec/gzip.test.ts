import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LogText } from '../../bench/loglines.js';
import { gzipFd, type GzipOptions } from '../../src/exec/gzip.js';

const dir = mkdtempSync(join(tmpdir(), 'logrotor-gzip-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** 3 MiB of log text: three default blocks plus a partial one at 256 KiB blocks. */
const text = new LogText(7).chunk(3 * 1024 * 1024);

async function compress(name: string, data: Buffer, level: number, options?: GzipOptions, prefix?: Buffer): Promise<Buffer> {
  const input = join(dir, name);
  const output = `${input}.gz`;
  writeFileSync(input, data);
  const inFd = openSync(input, 'r');
  const outFd = openSync(output, 'w');
  try {
    if (prefix) writeSync(outFd, prefix);
    await gzipFd(inFd, outFd, level, options);
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  return readFileSync(output);
}

function systemGunzip(gz: Buffer): Buffer {
  const result = spawnSync('gzip', ['-dc'], { input: gz, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout;
}

function systemGzip(data: Buffer, level: number): Buffer {
  return spawnSync('gzip', [`-${level}`], { input: data, maxBuffer: 64 * 1024 * 1024 }).stdout;
}

test('a file of many blocks is one gzip member that zlib and gzip -dc both read back', async () => {
  const gz = await compress('multi.log', text, 6, { blockSize: 256 * 1024 });
  assert.deepEqual(gunzipSync(gz), text);
  assert.deepEqual(systemGunzip(gz), text);
  // `gzip -l` reads the trailer: the ISIZE must be the whole input.
  const list = spawnSync('gzip', ['-lq'], { input: gz }).stdout.toString();
  assert.match(list, new RegExp(`\\b${text.length}\\b`));
});

test('the output is within 1% of gzip at levels 1, 6 and 9, and levels are honored', async () => {
  const sizes: number[] = [];
  for (const level of [1, 6, 9]) {
    const ours = await compress(`level${level}.log`, text, level, { blockSize: 256 * 1024 });
    const theirs = systemGzip(text, level);
    assert.ok(ours.length <= theirs.length * 1.01, `level ${level}: ${ours.length} B vs gzip's ${theirs.length} B`);
    assert.equal(ours[8], level === 9 ? 2 : level === 1 ? 4 : 0, 'XFL byte as gzip sets it');
    assert.deepEqual(gunzipSync(ours), text);
    sizes.push(ours.length);
  }
  const [fast, normal, best] = sizes;
  assert.ok(fast !== undefined && normal !== undefined && best !== undefined);
  assert.ok(fast > normal && normal > best, `sizes should shrink with the level: ${sizes.join(', ')}`);
});

test('an empty file gives a valid empty gzip', async () => {
  const gz = await compress('empty.log', Buffer.alloc(0), 6);
  assert.equal(gunzipSync(gz).length, 0);
  assert.equal(systemGunzip(gz).length, 0);
});

test('a file of exactly one block, and one byte more', async () => {
  const block = 64 * 1024;
  for (const size of [block, block + 1]) {
    const data = text.subarray(0, size);
    const gz = await compress(`edge-${size}.log`, data, 6, { blockSize: block });
    assert.deepEqual(systemGunzip(gz), data);
  }
});

test('writes at the output fd current offset and keeps the header like gzip < file', async () => {
  const prefix = Buffer.from('already here\n');
  const input = join(dir, 'offset.log');
  writeFileSync(input, text.subarray(0, 100_000));
  utimesSync(input, 1_600_000_000, 1_600_000_000);
  const inFd = openSync(input, 'r');
  const outFd = openSync(`${input}.gz`, 'w');
  try {
    writeSync(outFd, prefix);
    await gzipFd(inFd, outFd, 6);
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  const written = readFileSync(`${input}.gz`);
  assert.deepEqual(written.subarray(0, prefix.length), prefix);
  const gz = written.subarray(prefix.length);
  assert.deepEqual(gunzipSync(gz), text.subarray(0, 100_000));
  const reference = spawnSync('sh', ['-c', 'gzip -6 < "$1"', 'sh', input]).stdout;
  assert.deepEqual(gz.subarray(0, 10), reference.subarray(0, 10), 'magic, method, flags, mtime, XFL and OS match gzip');
});

test('the input is read from its start whatever the fd offset, which stays put', async () => {
  const input = join(dir, 'seeked.log');
  const data = text.subarray(0, 50_000);
  writeFileSync(input, data);
  const inFd = openSync(input, 'r');
  const outFd = openSync(`${input}.gz`, 'w');
  try {
    // A read(2) at the current offset, as an earlier user of the fd would do.
    assert.equal(readSync(inFd, Buffer.alloc(1000), 0, 1000, null), 1000);
    await gzipFd(inFd, outFd, 6);
    const next = Buffer.alloc(10);
    readSync(inFd, next, 0, 10, null);
    assert.deepEqual(next, data.subarray(1000, 1010));
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
  assert.deepEqual(gunzipSync(readFileSync(`${input}.gz`)), data);
});

test('an invalid level is refused before anything is written', async () => {
  await assert.rejects(compress('bad.log', text.subarray(0, 10), 10), RangeError);
  assert.equal(readFileSync(join(dir, 'bad.log.gz')).length, 0);
});
