// The bin must not lose output it has queued when it exits: with stderr on a pipe that
// the reader drains slowly, every line of a long -d run still arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOGROTOR } from '../helpers/binaries.js';
import { makeTempBase } from '../helpers/tree.js';

test('a long -d run read slowly through a pipe keeps its last lines', async () => {
  const base = makeTempBase('lrflush-');
  try {
    const count = 3000;
    const logs = Array.from({ length: count }, (_, i) => `${base}/logs/missing-log-with-a-long-name-${i}.log`);
    writeFileSync(join(base, 'c.conf'), `${logs.join('\n')}\n{\n  missingok\n}\n`, { mode: 0o644 });
    const child = spawn(LOGROTOR.command, [...LOGROTOR.args, '-d', '-s', join(base, 'state'), join(base, 'c.conf')]);
    // Not reading at first lets the pipe fill while the program is still printing.
    child.stderr.pause();
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await sleep(1500);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
    child.stderr.resume();
    const status = await closed;
    assert.equal(status, 0);
    assert.equal(stderr.split('\n').filter((line) => line.startsWith('considering log ')).length, count);
    assert.ok(stderr.endsWith(`considering log ${logs[count - 1]}\nCreating new state\n`), 'the last lines arrived');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
