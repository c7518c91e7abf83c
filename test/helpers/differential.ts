// Differential runs: the same spec materialized twice, logrotate in one copy and
// logrotor in the other with the same arguments, then both outcomes compared.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LOGROTATE, LOGROTOR, type Binary } from './binaries.js';
import { normalizeVersionDifferences } from './normalize.js';
import { snapshotRun, type RunSnapshot } from './snapshot.js';
import { CONFIG_NAME, MAILER_NAME, STATE_NAME, makeTempBase, materialize, substituteRoot, type TreeSpec } from './tree.js';

export interface RunOutput {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** `-m` always points at the fake mailer so no test can send real mail. */
export function standardArgs(root: string, extra: readonly string[]): string[] {
  return [
    ...extra.map((arg) => substituteRoot(arg, root)),
    '-m',
    join(root, MAILER_NAME),
    '-s',
    join(root, STATE_NAME),
    join(root, CONFIG_NAME),
  ];
}

export function runBinary(binary: Binary, root: string, args: readonly string[]): Promise<RunOutput> {
  const startMs = Date.now();
  const child = spawn(binary.command, [...binary.args, ...args], {
    cwd: root,
    // A guard against hangs, not a measurement: the whole corpus (400 configs) takes
    // ~40 s alone and has taken over 60 s with a full test run and three builds beside it.
    timeout: 240_000,
    // strerror texts and dates must not depend on the caller's locale.
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr, startMs, endMs: Date.now() }));
  });
}

export interface Pair {
  readonly left: RunSnapshot;
  readonly right: RunSnapshot;
  readonly differences: readonly string[];
}

export interface PairOptions {
  /** Extra arguments before the standard ones; may contain @ROOT@. */
  readonly args?: readonly string[];
  readonly left?: Binary;
  readonly right?: Binary;
  /** Runs with the same args one after the other in each tree (e.g. two days of rotation). */
  readonly runs?: number;
  /** Erase the documented 3.21-vs-main differences (default); off when comparing with main. */
  readonly normalize?: boolean;
}

/** Materializes `spec` twice (sibling dirs of equal path length, so sizes of files that
 * mention paths agree too) and lets `observe` run one binary in each. */
export async function inTwoTrees<T>(
  spec: TreeSpec,
  options: PairOptions,
  observe: (root: string, binary: Binary) => Promise<T>,
): Promise<{ readonly left: T; readonly right: T }> {
  const base = makeTempBase('lrdiff-');
  try {
    const trees = [join(base, 'ref'), join(base, 'our')] as const;
    for (const root of trees) materialize(root, spec);
    const [left, right] = await Promise.all([
      observe(trees[0], options.left ?? LOGROTATE),
      observe(trees[1], options.right ?? LOGROTOR),
    ]);
    return { left, right };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** Runs both binaries on copies of `spec` and compares everything they leave behind. */
export async function runPair(spec: TreeSpec, options: PairOptions = {}): Promise<Pair> {
  const { left, right } = await inTwoTrees(spec, options, (root, binary) => runTree(root, binary, options));
  return { left, right, differences: diffSnapshots(left, right) };
}

async function runTree(root: string, binary: Binary, options: PairOptions): Promise<RunSnapshot> {
  const args = standardArgs(root, options.args ?? []);
  const first = await runBinary(binary, root, args);
  let last = first;
  let stderr = first.stderr;
  for (let run = 1; run < (options.runs ?? 1); run++) {
    last = await runBinary(binary, root, args);
    stderr += last.stderr;
  }
  const window = { startMs: first.startMs, endMs: last.endMs };
  const snapshot = snapshotRun(root, window, last.exitCode, stderr);
  return options.normalize === false ? snapshot : normalizeVersionDifferences(snapshot);
}

/** One readable line per difference; empty when the snapshots agree. */
export function diffSnapshots(left: RunSnapshot, right: RunSnapshot): string[] {
  const out: string[] = [];
  const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));
  if (left.exitCode !== right.exitCode) out.push(`exit status: ${left.exitCode} vs ${right.exitCode}`);
  const keyed = (what: string, a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): void => {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push(`${what} ${key}: ${show(a[key])} vs ${show(b[key])}`);
    }
  };
  keyed('file', left.entries, right.entries);
  keyed('state', left.state, right.state);
  const listed = (what: string, a: readonly string[], b: readonly string[]): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${what}:\n    ${show(a)}\n vs ${show(b)}`);
  };
  listed('hook calls', left.hooks, right.hooks);
  listed('mail', left.mail, right.mail);
  listed('stderr', left.stderr, right.stderr);
  return out;
}

/** The assertion message of a failed comparison. */
export function describeDifferences(title: string, pair: Pair, left = LOGROTATE, right = LOGROTOR): string {
  return `${title}: ${left.name} vs ${right.name} differ in\n  ${pair.differences.join('\n  ')}`;
}
