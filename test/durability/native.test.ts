// The addon and its util-linux fallback must behave alike: same effects, same error codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNative } from '../../src/native/index.js';
import { syscallsVia, type Syscalls } from '../../src/native/syscalls.js';
import { scratch, withFilesystem, type FsKind } from './fixtures.js';

const binding = loadNative();
const implementations: readonly Syscalls[] = [...(binding ? [syscallsVia(binding)] : []), syscallsVia(null)];

test('the addon is built and loads (npm run build compiles it)', () => {
  assert.notEqual(binding, null);
});

test('LOGROTOR_NO_NATIVE=1 selects the util-linux fallback', () => {
  const module = new URL('../../src/native/syscalls.js', import.meta.url).href;
  const script = `import(${JSON.stringify(module)}).then((m) => process.stdout.write(m.syscalls().via))`;
  const run = (env: NodeJS.ProcessEnv): string => execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  assert.equal(run({ ...process.env, LOGROTOR_NO_NATIVE: '1' }), 'util-linux');
  assert.equal(run({ ...process.env, LOGROTOR_NO_NATIVE: '' }), binding ? 'native' : 'util-linux');
});

test('mallocTrim gives freed malloc pages back to the kernel', () => {
  // In a child of its own, with gc exposed: 64 MiB of 32 KiB buffers (malloc'd, below
  // the mmap threshold) with small ones kept between them, so free() alone cannot
  // shrink the heap; after they are collected only malloc_trim returns their pages.
  const addon = fileURLToPath(new URL('../../../native/build/Release/logrotor_native.node', import.meta.url));
  const script = `
    const native = require(${JSON.stringify(addon)});
    const rss = () => process.memoryUsage.rss();
    let held = [];
    const pins = [];
    for (let i = 0; i < 2048; i++) {
      held.push(Buffer.allocUnsafeSlow(32 * 1024).fill(1));
      if (i % 64 === 63) pins.push(Buffer.allocUnsafeSlow(64).fill(1));
    }
    held = null;
    gc();
    setTimeout(() => {
      gc();
      const before = rss();
      const released = native.mallocTrim();
      process.stdout.write(JSON.stringify({ released, freedMiB: (before - rss()) / 1048576, pins: pins.length }));
    }, 100);
  `;
  const result = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' })) as { released: boolean; freedMiB: number; pins: number };
  assert.equal(result.released, true);
  assert.ok(result.freedMiB > 32, `malloc_trim gave back only ${result.freedMiB.toFixed(1)} MiB of 64`);
  assert.equal(result.pins, 32);
});

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string }) => error.code === code);
}

/** 3 blocks of distinct bytes: 'a'×4096, 'b'×4096, 'c'×100. */
function threeBlocks(path: string): void {
  writeFileSync(path, 'a'.repeat(4096) + 'b'.repeat(4096) + 'c'.repeat(100));
}

async function onFs<T>(kind: FsKind, body: (dir: string) => Promise<T>): Promise<void> {
  const dirs = scratch();
  try {
    const ran = await withFilesystem(dirs.root, kind, kind === 'xfs' ? 300 : 16, body);
    assert.notEqual(ran, null, `could not mount ${kind}`);
  } finally {
    dirs.cleanup();
  }
}

for (const sys of implementations) {
  test(`${sys.via}: flock excludes a second open file description until unlocked`, async () => {
    const dirs = scratch();
    const path = join(dirs.root, 'lock');
    writeFileSync(path, '');
    const first = openSync(path, 'r');
    const second = openSync(path, 'r');
    try {
      await sys.flock(first, 'exclusive-nonblocking');
      await rejectsWith(sys.flock(second, 'exclusive-nonblocking'), 'EWOULDBLOCK');
      await sys.flock(first, 'unlock');
      await sys.flock(second, 'exclusive-nonblocking');
    } finally {
      closeSync(first);
      closeSync(second);
      dirs.cleanup();
    }
  });

  test(`${sys.via}: collapseRange removes an aligned prefix on ext4 and refuses unaligned ones`, () =>
    onFs('ext4', async (dir) => {
      const path = join(dir, 'log');
      threeBlocks(path);
      const fd = openSync(path, 'r+');
      try {
        await rejectsWith(sys.collapseRange(fd, 0, 100), 'EINVAL');
        await sys.collapseRange(fd, 0, 4096);
      } finally {
        closeSync(fd);
      }
      assert.equal(readFileSync(path, 'latin1'), 'b'.repeat(4096) + 'c'.repeat(100));
    }));

  test(`${sys.via}: collapseRange reports EOPNOTSUPP on tmpfs`, () =>
    onFs('tmpfs', async (dir) => {
      const path = join(dir, 'log');
      threeBlocks(path);
      const fd = openSync(path, 'r+');
      try {
        await rejectsWith(sys.collapseRange(fd, 0, 4096), 'EOPNOTSUPP');
      } finally {
        closeSync(fd);
      }
    }));

  test(`${sys.via}: clone shares blocks on XFS and reports EOPNOTSUPP on ext4`, async () => {
    for (const kind of ['xfs', 'ext4'] as const) {
      await onFs(kind, async (dir) => {
        threeBlocks(join(dir, 'src'));
        writeFileSync(join(dir, 'dst'), '');
        const src = openSync(join(dir, 'src'), 'r');
        const dst = openSync(join(dir, 'dst'), 'r+');
        try {
          if (kind === 'xfs') await sys.clone(src, dst);
          else await rejectsWith(sys.clone(src, dst), 'EOPNOTSUPP');
        } finally {
          closeSync(src);
          closeSync(dst);
        }
        if (kind === 'xfs') assert.equal(readFileSync(join(dir, 'dst'), 'latin1'), readFileSync(join(dir, 'src'), 'latin1'));
      });
    }
  });
}
