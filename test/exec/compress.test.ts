import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { chownSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { LogText } from '../../bench/loglines.js';
import { compressFile, gzipLevel } from '../../src/exec/compress.js';
import { MemoryLogger } from '../../src/logger.js';
import { liveWorkspace } from '../../src/run/live-workspace.js';
import { runRotation } from '../../src/run/run.js';
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

type Fsync = (fd: number, callback: (err: NodeJS.ErrnoException | null) => void) => void;

/** Runs `body` with fs.fsync, as every module's `import { fsync } from 'node:fs'` sees
 * it, replaced by `replacement` (given the real one). */
async function withFsync(replacement: (original: Fsync) => Fsync, body: () => Promise<void>): Promise<void> {
  const original = fs.fsync;
  fs.fsync = replacement(original) as typeof fs.fsync;
  syncBuiltinESMExports();
  try {
    await body();
  } finally {
    fs.fsync = original;
    syncBuiltinESMExports();
  }
}

/** The files fsync was called on while `body` ran, in call order. */
async function fsyncedPaths(body: () => Promise<void>): Promise<string[]> {
  const synced: string[] = [];
  await withFsync((original) => (fd, callback) => {
    synced.push(readlinkSync(`/proc/self/fd/${fd}`));
    original(fd, callback);
  }, body);
  return synced;
}

test('an external compressor\'s output is fsynced on its own descriptor (not the input\'s) before compressFile returns, as is a large in-process gzip\'s', async () => {
  const dir = tempLogDir();
  const small = join(dir, 'a.log.1');
  write(small, text);
  const viaXz = await fsyncedPaths(async () => {
    assert.deepEqual(await compressFile(small, `${small}.xz`, statSync(small), stepContext({ compressCmd: '/usr/bin/xz' })), { ok: true });
  });
  assert.deepEqual(viaXz, [`${small}.xz`]);
  assert.equal(execFileSync('xz', ['-dc', `${small}.xz`], { encoding: 'utf8' }), text);
  // Past 256 KiB gzip streams on this thread and syncs there (small files sync on their worker).
  const large = join(dir, 'b.log.1');
  const data = new LogText(3).chunk(600 * 1024);
  write(large, data);
  const viaGzip = await fsyncedPaths(async () => {
    assert.deepEqual(await compressFile(large, `${large}.gz`, statSync(large), stepContext()), { ok: true });
  });
  assert.deepEqual(viaGzip, [`${large}.gz`]);
  assert.deepEqual(gunzipSync(readFileSync(`${large}.gz`)), data);
});

test('a run with compresscmd xz: every rotation complete in .xz and its source removed', async () => {
  const logs = tempLogDir();
  const root = dirname(logs);
  const contents = new Map(['a', 'b', 'c', 'd'].map((name, i) => [join(logs, `${name}.log`), `${name} ${'line\n'.repeat(1000 * (i + 1))}`]));
  for (const [log, content] of contents) write(log, content);
  const conf = join(root, 'conf');
  writeFileSync(conf, `${logs}/*.log {\n  rotate 2\n  compress\n  compresscmd /usr/bin/xz\n  compressext .xz\n  compressoptions -2\n  create\n}\n`, { mode: 0o644 });
  const logger = new MemoryLogger();
  const result = await runRotation({ configPaths: [conf], statePath: join(root, 'state'), workspace: liveWorkspace(), force: true, mailCommand: '/bin/false', lock: 'normal', logger, now: new Date(2026, 10, 22, 15, 4, 5) });
  assert.equal(result.exitCode, 0, logger.lines.map((l) => l.text).join('\n'));
  assert.deepEqual(readdirSync(logs).sort(), ['a', 'b', 'c', 'd'].flatMap((name) => [`${name}.log`, `${name}.log.1.xz`]));
  for (const [log, content] of contents) {
    assert.equal(execFileSync('xz', ['-dc', `${log}.1.xz`], { encoding: 'utf8' }), content);
    assert.equal(readFileSync(log, 'utf8'), '');
  }
});

test('a failed fsync of the output fails the step as "fsync: <error>" and removes the output, for an external compressor and an in-process gzip', async () => {
  const dir = tempLogDir();
  const eio = (): NodeJS.ErrnoException => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', errno: -5, syscall: 'fsync' });
  const large = new LogText(5).chunk(400 * 1024);
  for (const [name, compressCmd, data] of [['x.log.1', '/usr/bin/xz', text], ['g.log.1', '/bin/gzip', large]] as const) {
    const file = join(dir, name);
    write(file, data);
    const ctx = stepContext({ compressCmd });
    let result: unknown;
    await withFsync(() => (_fd, callback) => process.nextTick(callback, eio()), async () => {
      result = await compressFile(file, `${file}.z`, statSync(file), ctx);
    });
    assert.deepEqual(result, { ok: false, error: `failed to compress log ${file}: fsync: Input/output error` }, compressCmd);
    assert.ok(!existsSync(`${file}.z`), compressCmd);
    assert.deepEqual(readFileSync(file), Buffer.from(data), compressCmd);
  }
});
