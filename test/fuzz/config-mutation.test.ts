// Mutated real-world configs (config-mutations.ts), each run by logrotor with -d and then
// for real, inside a private mount namespace where only the case's directory can be
// written (sandbox.sh). For every case:
// - -d changes nothing: the whole tree (names, contents, modes, owners, mtimes, ctimes)
//   is the same before and after it;
// - neither run hangs (a time limit) or crashes (exit 0, 1 or 3, no stack trace);
// - no log of a section logrotor said it skipped (`found error in PATTERN, skipping`) is
//   rotated, under -d or for real.
// logrotate (LOGROTATE_MAIN if set, else Debian's 3.21) runs each case too, on a copy;
// where the exit statuses or the trees left behind differ, a line is printed for triage.
//
// MUTATION_CASES=N (default 30), MUTATION_SEED=S (default 1), MUTATION_CASE=K (one case),
// MUTATION_KEEP=1 (keep the case directories). See docs/fuzzing.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGROTATE, LOGROTOR_CLI } from '../helpers/binaries.js';
import { CONFIG_NAME, MAILER_NAME, META_DIR, STATE_NAME, materialize } from '../helpers/tree.js';
import { mutatedCase, type MutatedCase } from './config-mutations.js';
import { crashes, jsonReport } from './invariants.js';
import { checkSandbox, runSandboxed } from './sandbox.js';

const CASES = Number(process.env['MUTATION_CASES'] ?? 30);
const SERIES = Number(process.env['MUTATION_SEED'] ?? 1);
const ONLY = process.env['MUTATION_CASE'];
const KEEP = process.env['MUTATION_KEEP'] === '1';
const REFERENCE = process.env['LOGROTATE_MAIN'] ?? LOGROTATE.command;
/** A run longer than this hangs (logrotate's own walk of `rotate 2147483647` takes hours). */
const STEP_LIMIT_MS = 20_000;
const ERR_LIMIT = 4 << 20;

/** Everything under `root`: what -d must leave exactly as it was. (The sandbox's own
 * probe and the runs' outputs go to the case directory around it.) */
function snapshot(root: string): Map<string, string> {
  const rows = new Map<string, string>();
  const walk = (rel: string): void => {
    const path = join(root, rel);
    const st = lstatSync(path);
    let what = '';
    if (st.isFile()) what = createHash('sha1').update(readFileSync(path)).digest('hex');
    else if (st.isSymbolicLink()) what = readlinkSync(path);
    rows.set(rel, `${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.size} mtime ${st.mtimeMs} ctime ${st.ctimeMs} ${what}`);
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(rel, name));
  };
  walk('.');
  return rows;
}

function changes(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, row] of before) if (after.get(path) !== row) out.push(`${path}: ${row} -> ${after.get(path) ?? '(gone)'}`);
  for (const [path, row] of after) if (!before.has(path)) out.push(`${path}: (new) ${row}`);
  return out;
}

interface Step {
  readonly status: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** One program run in the namespace where only `dir` can be written, its output kept in
 * `dir`/out/NAME.*; the tree it works on is `dir`/tree. */
async function step(dir: string, name: string, command: readonly string[]): Promise<Step> {
  const out = join(dir, 'out');
  // stderr is cut at 4 MiB: logrotate -d walking `rotate 2147483647` writes 25 MB a second.
  const script = `{ { "$@"; echo $? > "${out}/${name}.rc"; } 2>&1 1>&3 3>&- | head -c ${ERR_LIMIT} > "${out}/${name}.err"; } 3> "${out}/${name}.out"`;
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: join(dir, 'tree', 'home'), LANG: 'C', TZ: process.env['TZ'] ?? '' };
  const run = await runSandboxed(dir, ['sh', '-c', script, name, ...command], env, STEP_LIMIT_MS);
  const read = (ext: string): string => (existsSync(join(out, `${name}.${ext}`)) ? readFileSync(join(out, `${name}.${ext}`), 'utf8') : '');
  const rc = read('rc').trim();
  return { status: rc === '' ? null : Number(rc), timedOut: run.timedOut, stdout: read('out'), stderr: read('err') + (run.status === 0 ? '' : run.stderr) };
}

function args(tree: string, fuzz: MutatedCase, debug: boolean): string[] {
  return [...(debug ? ['-d'] : []), ...(fuzz.force ? ['-f'] : []), '-s', join(tree, STATE_NAME), '-m', join(tree, MAILER_NAME), join(tree, CONFIG_NAME)];
}

/** The case directory (writable in the namespace) with the materialized tree in it. */
function setUp(dir: string, fuzz: MutatedCase): string {
  mkdirSync(dir, { mode: 0o755 });
  mkdirSync(join(dir, 'out'));
  const tree = join(dir, 'tree');
  materialize(tree, fuzz.spec);
  return tree;
}

const SKIPPING = /^found error in ([\s\S]*), skipping$/;

/** Logs rotated (-d: planned to be) although their section was announced as skipped.
 * A pattern written more than once in the configs is left out: the skipped section may
 * not be the one that rotated. */
function rotatedAfterSkipping(name: string, report: Record<string, unknown> | null, configs: readonly string[]): string[] {
  if (report === null) return [];
  const diagnostics = (report['diagnostics'] ?? []) as { text: string }[];
  const skipped = new Set(diagnostics.flatMap((d) => SKIPPING.exec(d.text)?.[1] ?? []).filter((p) => !p.startsWith('file ')));
  const logs = (report['logs'] ?? []) as { path: string; pattern: string; verdict: { kind: string }; actions: string[] }[];
  const written = (pattern: string): number => configs.reduce((n, text) => n + text.split(pattern).length - 1, 0);
  return logs
    .filter((log) => log.verdict.kind === 'rotate' && log.actions.length > 0 && skipped.has(log.pattern) && written(log.pattern) <= 1)
    .map((log) => `${name}: ${log.path} rotated after 'found error in ${log.pattern}, skipping'`);
}

interface Outcome {
  readonly problems: string[];
  readonly triage: string | null;
  /** How far the case got: logs the real run rotated, sections it said it skipped. */
  readonly rotated: number;
  readonly skipped: number;
}

function reported(report: Record<string, unknown> | null): { rotated: number; skipped: number } {
  const logs = (report?.['logs'] ?? []) as { verdict: { kind: string }; actions: string[] }[];
  const diagnostics = (report?.['diagnostics'] ?? []) as { text: string }[];
  return { rotated: logs.filter((l) => l.verdict.kind === 'rotate' && l.actions.length > 0).length, skipped: diagnostics.filter((d) => SKIPPING.test(d.text)).length };
}

async function runCase(base: string, fuzz: MutatedCase): Promise<Outcome> {
  const dir = join(base, `case-${fuzz.index}`);
  const tree = setUp(dir, fuzz);
  const problems: string[] = [];
  const cli = [process.execPath, LOGROTOR_CLI, '--json'];

  const before = snapshot(tree);
  const debug = await step(dir, 'debug', [...cli, ...args(tree, fuzz, true)]);
  const changed = changes(before, snapshot(tree));
  if (changed.length > 0) problems.push(`-d changed the tree:\n    ${changed.slice(0, 10).join('\n    ')}`);
  const real = await step(dir, 'real', [...cli, ...args(tree, fuzz, false)]);
  let counts = { rotated: 0, skipped: 0 };
  for (const [name, run] of [['logrotor -d', debug], ['logrotor', real]] as const) {
    if (run.timedOut) problems.push(`${name}: no end after ${STEP_LIMIT_MS / 1000} s`);
    else problems.push(...crashes(name, run.stderr, run.status));
    const report = run.timedOut ? null : jsonReport(name, run.stdout, run.status);
    problems.push(...(report?.problems ?? []), ...rotatedAfterSkipping(name, report?.report ?? null, fuzz.configs));
    if (run === real) counts = reported(report?.report ?? null);
  }

  let triage: string | null = null;
  if (existsSync(REFERENCE)) {
    const ref = join(base, `case-${fuzz.index}-ref`);
    const refTree = setUp(ref, fuzz);
    const refDebug = await step(ref, 'debug', [REFERENCE, ...args(refTree, fuzz, true)]);
    const refReal = await step(ref, 'real', [REFERENCE, ...args(refTree, fuzz, false)]);
    const exit = (run: Step): string => (run.timedOut ? 'hung' : String(run.status));
    const names = (root: string): string[] => [...snapshot(root).keys()].filter((p) => !p.startsWith(META_DIR));
    const treesDiffer = !refReal.timedOut && JSON.stringify(names(refTree)) !== JSON.stringify(names(tree));
    if (exit(refDebug) !== exit(debug) || exit(refReal) !== exit(real) || treesDiffer) {
      const firstError = (run: Step, root: string): string => run.stderr.split('\n').find((l) => l.startsWith('error: '))?.split(root).join('@')?.slice(0, 140) ?? '-';
      triage =
        `case ${fuzz.index}: -d ${exit(debug)}/${exit(refDebug)}, run ${exit(real)}/${exit(refReal)}${treesDiffer ? ', trees differ' : ''} (logrotor/logrotate)` +
        ` | ${firstError(real, tree)} | ${firstError(refReal, refTree)} | ${fuzz.story.join('; ')}`;
    }
    if (!KEEP && problems.length === 0) rmSync(ref, { recursive: true, force: true });
  }
  if (!KEEP && problems.length === 0) rmSync(dir, { recursive: true, force: true });
  return { problems, triage, ...counts };
}

test('mutated real-world configs: -d changes nothing, nothing hangs or crashes, no log rotates after "skipping"', { timeout: 60 * 60_000 }, async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'logrotor-mutation-'));
  chmodSync(base, 0o755);
  const check = await checkSandbox(base);
  if (check.kind === 'unavailable') {
    rmSync(base, { recursive: true, force: true });
    t.skip(`real runs of fuzzed configs need a private mount namespace: ${check.reason}`);
    return;
  }
  assert.equal(check.kind, 'ready', check.kind === 'leaky' ? check.reason : '');

  const now = Math.floor(Date.now() / 1000);
  const indexes = ONLY !== undefined ? [Number(ONLY)] : Array.from({ length: CASES }, (_, i) => i);
  const failures: string[] = [];
  const triage: string[] = [];
  let [rotated, skipped] = [0, 0];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < indexes.length; i = next++) {
      const fuzz = mutatedCase(indexes[i] ?? 0, SERIES, now);
      const outcome = await runCase(base, fuzz);
      if (outcome.triage !== null) triage.push(outcome.triage);
      rotated += outcome.rotated;
      skipped += outcome.skipped;
      for (const problem of outcome.problems) {
        failures.push(`case ${fuzz.index} (MUTATION_SEED=${SERIES} MUTATION_CASE=${fuzz.index}, in ${join(base, `case-${fuzz.index}`)}): ${problem}\n  ${fuzz.story.join('\n  ')}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(2, availableParallelism())) }, worker));
  t.diagnostic(`${indexes.length} mutated cases: ${rotated} logs rotated, ${skipped} sections skipped by the real runs`);
  t.diagnostic(`${triage.length} cases differ from ${REFERENCE} (exit statuses or trees):`);
  for (const line of triage.sort((a, b) => Number(a.split(' ')[1]?.replace(':', '')) - Number(b.split(' ')[1]?.replace(':', '')))) t.diagnostic(line);
  if (failures.length === 0 && !KEEP) rmSync(base, { recursive: true, force: true });
  assert.deepEqual(failures, []);
});
