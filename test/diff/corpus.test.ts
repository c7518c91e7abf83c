// The wide real-world corpus (test/diff/corpus/, see docs/corpus.md): every logrotate.d
// file shipped by a Debian 12 package, installed under a temp root beside Debian's main
// config, with the logs it names, rotated siblings and old state dates. logrotor must make
// the same -d decisions as logrotate, then leave the same tree, state, hook calls and
// messages after a real forced run.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describeDifferences, diffSnapshots, runPair } from '../helpers/differential.js';
import { DEBUG_SIZES, installConfig, rewriteConfig, type LogShape } from '../helpers/real-configs.js';
import { ROOT_TOKEN, type EntrySpec, type StateEntry, type TreeSpec } from '../helpers/tree.js';
import { runDebugPair } from '../helpers/verdicts.js';

const CORPUS = new URL('../../../test/diff/corpus/', import.meta.url);
const DEBIAN_MAIN = new URL('../../../test/diff/real-world-configs/debian-logrotate.conf', import.meta.url);
const MANIFEST = 'MANIFEST.tsv';
const KIB = 1024;
const DEBUG_SHAPE: LogShape = { sizes: DEBUG_SIZES, rotated: true };
// Real runs copy and compress what they rotate, and snapshots hold every byte: small logs.
const REAL_SHAPE: LogShape = { sizes: [0, 20, 3 * KIB, 150 * KIB], rotated: true };
// Each program start costs more than the rotations of a file, so files share runs, in
// batches small enough that a failure still points at a few files.
const BATCH = 10;

const names = readdirSync(CORPUS).filter((n) => n !== MANIFEST).sort();
const now = Math.floor(Date.now() / 1000);

/** Debian's layout: the main config includes etc/logrotate.d, which holds `files`. With
 * `isolated`, each file's paths lie in a directory of its own, so that files do not
 * claim each other's logs and a difference names the file it comes from. */
function debianTree(files: readonly string[], shape: LogShape, isolated: boolean): TreeSpec {
  const counter = { next: 0 };
  const entries: EntrySpec[] = [{ kind: 'dir', path: 'etc/logrotate.d' }];
  const state: StateEntry[] = [];
  for (const name of files) {
    const installed = installConfig(readFileSync(new URL(name, CORPUS), 'utf8'), isolated ? `${ROOT_TOKEN}/${name}` : ROOT_TOKEN, shape, counter, now);
    // Dated, as a big tree takes longer to write than snapshots allow for `now`.
    const mtime = now - 3600;
    entries.push({ kind: 'file', path: `etc/logrotate.d/${name}`, content: installed.config, mtime }, ...installed.entries);
    state.push(...installed.state);
  }
  return { config: rewriteConfig(readFileSync(DEBIAN_MAIN, 'utf8')).config, entries, state };
}

/** Config messages without their line number. logrotate's counter falls behind after a
 * multi-line file list; logrotor counts right (a deliberate difference, see
 * docs/config-reader.md). Only files sharing logs produce such messages here. */
const withoutLineNumbers = (lines: readonly string[]): string[] => lines.map((line) => line.replace(/^(error|warning): (\S+?):\d+ /, '$1: $2 '));

async function assertSameOutcomes(title: string, files: readonly string[], isolated: boolean): Promise<void> {
  const lines = isolated ? (l: readonly string[]) => [...l] : withoutLineNumbers;
  const debug = await runDebugPair(debianTree(files, DEBUG_SHAPE, isolated));
  assert.ok(debug.left.considered.length >= files.length, `logrotate considered ${debug.left.considered.length} logs`);
  assert.deepEqual({ ...debug.right, errors: lines(debug.right.errors) }, { ...debug.left, errors: lines(debug.left.errors) }, `${title}: -d decisions differ`);
  const real = await runPair(debianTree(files, REAL_SHAPE, isolated), { args: ['-f'] });
  const left = { ...real.left, stderr: lines(real.left.stderr) };
  const right = { ...real.right, stderr: lines(real.right.stderr) };
  const pair = { left, right, differences: diffSnapshots(left, right) };
  assert.deepEqual(pair.differences, [], describeDifferences(title, pair));
}

test('the corpus holds 150+ distinct files, each listed in the manifest', () => {
  const listed = new Set(
    readFileSync(new URL(MANIFEST, CORPUS), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split('\t')[0] ?? ''),
  );
  assert.ok(names.length >= 150, `${names.length} files`);
  assert.deepEqual(names.filter((n) => !listed.has(n)), []);
  assert.deepEqual([...listed].filter((n) => !names.includes(n)), []);
  assert.equal(new Set(names.map((n) => readFileSync(new URL(n, CORPUS), 'utf8'))).size, names.length);
});

test('every corpus file that is not all comments names logs the rewrite can create', () => {
  const silent = names.filter((name) => {
    const text = readFileSync(new URL(name, CORPUS), 'utf8');
    const commentedOut = text.split('\n').every((line) => /^\s*(#|$)/.test(line));
    return !commentedOut && rewriteConfig(text).words.length === 0;
  });
  assert.deepEqual(silent, []);
});

const batches = Array.from({ length: Math.ceil(names.length / BATCH) }, (_, i) => names.slice(i * BATCH, (i + 1) * BATCH));

// Each batch spends most of its time waiting for the two programs, so a few run at once.
describe('corpus files, logrotate against logrotor', { concurrency: 4 }, () => {
  for (const [i, files] of batches.entries()) {
    it(`batch ${i + 1}: ${files.join(', ')}`, () => assertSameOutcomes(`batch ${i + 1}`, files, true));
  }
});

test('the whole corpus in one etc/logrotate.d, sharing /var/log as installed', () => assertSameOutcomes('whole corpus', names, false));
