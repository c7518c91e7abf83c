// Idle compression workers are stopped (a daemon keeps no isolates between runs), and
// that is not mistaken for a failure: later jobs start new workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { GzipWorkers } from '../../src/exec/gzip-workers.js';

async function compressWith(workers: GzipWorkers, dir: string, name: string, text: string): Promise<boolean | null> {
  const source = join(dir, name);
  writeFileSync(source, text);
  const input = openSync(source, 'r');
  const output = openSync(`${source}.gz`, 'w');
  try {
    return await workers.run({ input, output, level: 6, size: Buffer.byteLength(text) });
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

test('idle workers are stopped after the idle time and started again for the next job', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-gzip-idle-'));
  try {
    const workers = new GzipWorkers(200);
    assert.equal(await compressWith(workers, dir, 'a', 'first\n'.repeat(1000)), true);
    assert.equal(workers.running, 1);
    await sleep(600);
    assert.equal(workers.running, 0);
    // Not broken: a new worker takes the job (null would mean the thread-pool fallback).
    assert.equal(await compressWith(workers, dir, 'b', 'second\n'.repeat(1000)), true);
    assert.equal(workers.running, 1);
    assert.equal(gunzipSync(readFileSync(join(dir, 'b.gz'))).toString(), 'second\n'.repeat(1000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
