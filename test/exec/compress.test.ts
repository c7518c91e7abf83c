import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { compressFile, gzipLevel } from '../../src/exec/compress.js';
import { lines, stepContext, tempLogDir, write } from './helpers.js';

const text = 'hello compressed world\n'.repeat(2000);

test('gzip is done in-process; output has the original log mode, owner and times', async () => {
  const dir = tempLogDir();
  const log = join(dir, 'a.log');
  const rotated = `${log}.1`;
  write(log, 'new log', 0o600);
  chownSync(log, 65534, 0);
  utimesSync(log, new Date(2026, 0, 2, 3, 4, 5), new Date(2026, 0, 1, 2, 3, 4));
  write(rotated, text, 0o644);
  const ctx = stepContext({ compressCmd: '/usr/bin/gzip' });
  const result = await compressFile(rotated, `${rotated}.gz`, statSync(log), ctx);
  assert.deepEqual(result, { ok: true });
  const st = statSync(`${rotated}.gz`); // before reading it, which moves the atime
  assert.equal(gunzipSync(readFileSync(`${rotated}.gz`)).toString(), text);
  assert.equal(readFileSync(rotated, 'utf8'), text, 'the plan removes the input in a later step');
  assert.deepEqual([st.mode & 0o7777, st.uid, st.gid], [0o600, 65534, 0]);
  assert.equal(st.mtime.getTime(), new Date(2026, 0, 1, 2, 3, 4).getTime());
  assert.equal(st.atime.getTime(), new Date(2026, 0, 2, 3, 4, 5).getTime());
});

test('gzip level comes from compressoptions, default 6', () => {
  assert.equal(gzipLevel([]), 6);
  assert.equal(gzipLevel(['-9']), 9);
  assert.equal(gzipLevel(['-1', '--rsyncable']), 1);
  assert.equal(gzipLevel(['--best']), 9);
});

test('the level is really used: -1 output is larger than -9 output', async () => {
  const dir = tempLogDir();
  const sizes: number[] = [];
  for (const level of ['-1', '-9']) {
    const file = join(dir, `l${level}`);
    write(file, Array.from({ length: 20000 }, (_, i) => `line ${i % 97} ${i % 13}\n`).join(''));
    const result = await compressFile(file, `${file}.gz`, statSync(file), stepContext({ compressOptions: [level] }));
    assert.deepEqual(result, { ok: true });
    sizes.push(statSync(`${file}.gz`).size);
  }
  assert.ok((sizes[0] ?? 0) > (sizes[1] ?? 0), `sizes ${sizes.join(' ')}`);
});

test('another compresscmd runs as a filter with the options and LOGROTATE_COMPRESSED_FILENAME', async () => {
  const dir = tempLogDir();
  const tool = join(dir, 'fakezip');
  const record = join(dir, 'record');
  write(tool, `#!/bin/sh\necho "$* $LOGROTATE_COMPRESSED_FILENAME" > '${record}'\nprintf 'Z:'\ncat\n`, 0o755);
  const file = join(dir, 'a.log.1');
  write(file, 'payload');
  const ctx = stepContext({ compressCmd: tool, compressOptions: ['-x', '--y'] });
  assert.deepEqual(await compressFile(file, `${file}.z`, statSync(file), ctx), { ok: true });
  assert.equal(readFileSync(`${file}.z`, 'utf8'), 'Z:payload');
  assert.deepEqual(lines(record), [`-x --y ${file}`]);
});

test('xz round-trips through the external path', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'a.log.1');
  write(file, text);
  assert.deepEqual(await compressFile(file, `${file}.xz`, statSync(file), stepContext({ compressCmd: 'xz' })), { ok: true });
  assert.equal(execFileSync('xz', ['-dc', `${file}.xz`], { encoding: 'utf8' }), text);
});

/** A rotated file and a compresscmd script with body `body`. */
function withCompressor(body: string) {
  const dir = tempLogDir();
  const tool = join(dir, 'compressor');
  write(tool, `#!/bin/sh\n${body}`, 0o755);
  const file = join(dir, 'a.log.1');
  write(file, 'payload');
  return { file, ctx: stepContext({ compressCmd: tool }) };
}

test('a failing compressor: error, stderr shown, output removed, input kept', async () => {
  const { file, ctx } = withCompressor('echo "disk on fire" >&2\nexit 3\n');
  const result = await compressFile(file, `${file}.gz`, statSync(file), ctx);
  assert.deepEqual(result, { ok: false, error: `failed to compress log ${file}: child did not exit with status 0` });
  assert.equal(readFileSync(file, 'utf8'), 'payload');
  assert.ok(!existsSync(`${file}.gz`));
  assert.deepEqual(ctx.logger.lines, [
    { severity: 'error', text: `Compressing program wrote following message to stderr when compressing log ${file}:\ndisk on fire` },
  ]);
});

test('stderr noise alone does not fail compression', async () => {
  const { file, ctx } = withCompressor('echo warn >&2\ncat\n');
  assert.deepEqual(await compressFile(file, `${file}.gz`, statSync(file), ctx), { ok: true });
  assert.equal(ctx.logger.lines.length, 1);
});

test('a hard-linked input is refused before anything is written', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'a.log.1');
  write(file, 'payload');
  execFileSync('ln', [file, join(dir, 'other')]);
  const result = await compressFile(file, `${file}.gz`, statSync(file), stepContext());
  assert.deepEqual(result, { ok: false, error: `unable to open ${file} (read-only) for compression: Operation not supported` });
  assert.ok(!existsSync(`${file}.gz`));
});
