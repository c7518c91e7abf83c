// copytruncate under a live writer: how many lines never reach either the
// rotated copy or the live log (logrotate loses whatever is appended between
// the end of its copy and its truncate, and the copy's fsync sits in between).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { LINE_BYTES } from './append-writer.js';
import type { Metrics, Workload } from './workloads.js';

const WRITER = fileURLToPath(new URL('./append-writer.js', import.meta.url));
/** About 50,000 lines a second: a busy service, well within one core. */
const LINES_PER_TICK = 50;
/** Lets the writer reach its steady rate before, and after, the rotation. */
const SETTLE_MS = 100;

export function copytruncateLoss(dir: string, prefillBytes: number): Workload {
  const logs = join(dir, 'ct');
  const log = join(logs, 'app.log');
  const state = join(dir, 'ct.state');
  const config = join(dir, 'ct.conf');
  writeFileSync(config, `${log} {\n  rotate 1\n  copytruncate\n}\n`, { mode: 0o644 });
  let writer: { child: ChildProcess; stdout: Promise<string> } | undefined;
  return {
    args: ['-f', '-s', state, config],
    async reset() {
      rmSync(logs, { recursive: true, force: true });
      rmSync(state, { force: true });
      mkdirSync(logs, { mode: 0o755 });
      const child = spawn(process.execPath, [WRITER, log, String(prefillBytes), String(LINES_PER_TICK)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const stdout = collect(child);
      writer = { child, stdout };
      await waitForLine(child, 'ready');
      await sleep(SETTLE_MS);
    },
    async metrics(): Promise<Metrics> {
      if (writer === undefined) throw new Error('metrics before reset');
      await sleep(SETTLE_MS);
      writer.child.kill('SIGTERM');
      const total = Number((await writer.stdout).trim().split('\n').pop());
      writer = undefined;
      return count(total, [`${log}.1`, log]);
    },
  };
}

/** Lines missing from both files, and lines found twice (a lossless scheme must not trade one for the other). */
function count(total: number, files: readonly string[]): Metrics {
  const seen = new Uint8Array(total);
  let duplicateLines = 0;
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'latin1').split('\n')) {
      if (line.length !== LINE_BYTES - 1) continue;
      const sequence = Number(line.slice(0, 12));
      if (!(sequence < total)) continue;
      if (seen[sequence] === 1) duplicateLines += 1;
      seen[sequence] = 1;
    }
  }
  let lostLines = 0;
  for (const mark of seen) if (mark === 0) lostLines += 1;
  return { lostLines, lostBytes: lostLines * LINE_BYTES, duplicateLines };
}

function collect(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
}

function waitForLine(child: ChildProcess, expected: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += String(chunk);
      if (text.split('\n').includes(expected)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`log writer exited (${code}) before it was ready`)));
  });
}
