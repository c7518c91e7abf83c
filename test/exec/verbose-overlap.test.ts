// -v output while the finishing steps of many logs overlap (finish-pool.ts): the lines
// must come in logrotate's order all the same. Differential runs against Debian's
// logrotate 3.21 on twin trees (verbose-diff.ts: step lines, files, state, hook calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { EntrySpec } from '../helpers/tree.js';
import { compareVerbose, file, hooks, logsDir } from './verbose-diff.js';

const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}.log`);

/** 20 logs of different sizes (the bigger ones take longer to compress, so tasks end in
 * another order than they started), some with old rotations to shift and one to expire. */
function manyLogs(dir: string): EntrySpec[] {
  return names('l', 20).flatMap((name, i) => {
    const lines = 50 + ((i * 7919) % 20) * 1500;
    const own = [file(`${dir}/${name}`, Array.from({ length: lines }, (_, k) => `${name} ${k} ${'x'.repeat(i % 5)}\n`).join(''))];
    const older = i % 3 === 0 ? [file(`${dir}/${name}.1.gz`, gzipSync(`${name} one\n`)), file(`${dir}/${name}.2.gz`, gzipSync(`${name} two\n`))] : [];
    const expiring = i % 6 === 0 ? [file(`${dir}/${name}.3.gz`, gzipSync(`${name} three\n`))] : [];
    return [...own, ...older, ...expiring];
  });
}

const otherDir: EntrySpec = { kind: 'dir', path: 'other', mode: 0o755 };

test('-v: 20 compressed logs, then a second section with postrotate and delaycompress: logrotate\'s step lines in its order', async () => {
  const run = await compareVerbose('20 compressed logs and a scripted section', {
    entries: [
      logsDir,
      otherDir,
      ...manyLogs('logs'),
      ...['o1.log', 'o2.log', 'o3.log'].flatMap((name) => [file(`other/${name}`, `${name} now\n`.repeat(400)), file(`other/${name}.1`, `${name} before\n`)]),
    ],
    config:
      `@ROOT@/logs/*.log {\n  rotate 3\n  compress\n  create 0640 root root\n}\n` +
      `@ROOT@/other/*.log {\n  rotate 2\n  compress\n  delaycompress\n  create\n${hooks('postrotate')}}\n`,
  });
  assert.equal(run.exitCode, 0);
  const compressing = run.stderr.filter((l) => l.startsWith('compressing log with'));
  assert.equal(compressing.length, 23, run.stderr.join('\n'));
  // Each log's compression is announced before the next log's rotation, in the same
  // order the logs were taken.
  const rotating = run.stderr.filter((l) => l.startsWith('rotating log ') || l.startsWith('compressing log with'));
  assert.deepEqual(
    rotating.slice(0, 40),
    names('l', 20).flatMap((name) => [`rotating log @ROOT@/logs/${name}, log->rotateCount is 3`, 'compressing log with: /bin/gzip']),
  );
  // Expired rotations went where logrotate sends them.
  assert.equal(run.entries['logs/l01.log.3.gz']?.type, 'file');
  assert.equal(run.entries['logs/l01.log.4.gz'], undefined);
});

test('-v: compressions failing in the background (compresscmd /bin/false) report where logrotate does, between two sections of compressed logs', async () => {
  const run = await compareVerbose('failing compressor among compressed logs', {
    entries: [
      logsDir,
      otherDir,
      { kind: 'dir', path: 'bad', mode: 0o755 },
      ...manyLogs('logs'),
      ...names('b', 3).map((name) => file(`bad/${name}`, `${name}\n`.repeat(100))),
      ...names('o', 4).map((name) => file(`other/${name}`, `${name}\n`.repeat(3000))),
    ],
    config:
      `@ROOT@/logs/*.log {\n  rotate 3\n  compress\n  create\n}\n` +
      `@ROOT@/bad/*.log {\n  rotate 1\n  compress\n  compresscmd /bin/false\n}\n` +
      `@ROOT@/other/*.log {\n  rotate 1\n  compress\n}\n`,
  });
  assert.equal(run.exitCode, 1);
  const errors = run.stderr.filter((l) => l.startsWith('error: '));
  assert.equal(errors.length, 3, run.stderr.join('\n'));
  // Each failure is reported right after its own log's compression was announced.
  for (const name of names('b', 3)) {
    const at = run.stderr.indexOf(`rotating log @ROOT@/bad/${name}, log->rotateCount is 1`);
    const error = run.stderr.findIndex((l, i) => i > at && l.startsWith('error: '));
    const next = run.stderr.findIndex((l, i) => i > at && l.startsWith('rotating log '));
    assert.ok(at >= 0 && error > at && error < next, `${name}: ${run.stderr.join('\n')}`);
  }
});
