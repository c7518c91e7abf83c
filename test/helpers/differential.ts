// Differential runs: the same spec materialized twice, logrotate in one copy and
// logrotor in the other with the same arguments, then both outcomes compared.
import { spawnSync } from 'node:child_process';
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

export function runBinary(binary: Binary, root: string, args: readonly string[]): RunOutput {
  const startMs = Date.now();
  const result = spawnSync(binary.command, [...binary.args, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    // strerror texts and dates must not depend on the caller's locale.
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr, startMs, endMs: Date.now() };
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
}

/** Materializes `spec` twice (sibling dirs of equal path length, so sizes of files that
 * mention paths agree too) and lets `observe` run one binary in each. */
export function inTwoTrees<T>(
  spec: TreeSpec,
  options: PairOptions,
  observe: (root: string, binary: Binary) => T,
): { readonly left: T; readonly right: T } {
  const base = makeTempBase('lrdiff-');
  try {
    const trees = [join(base, 'ref'), join(base, 'our')] as const;
    for (const root of trees) materialize(root, spec);
    return { left: observe(trees[0], options.left ?? LOGROTATE), right: observe(trees[1], options.right ?? LOGROTOR) };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** Runs both binaries on copies of `spec` and compares everything they leave behind. */
export function runPair(spec: TreeSpec, options: PairOptions = {}): Pair {
  const { left, right } = inTwoTrees(spec, options, (root, binary) => runTree(root, binary, options));
  return { left, right, differences: diffSnapshots(left, right) };
}

function runTree(root: string, binary: Binary, options: PairOptions): RunSnapshot {
  const args = standardArgs(root, options.args ?? []);
  const first = runBinary(binary, root, args);
  let last = first;
  let stderr = first.stderr;
  for (let run = 1; run < (options.runs ?? 1); run++) {
    last = runBinary(binary, root, args);
    stderr += last.stderr;
  }
  const window = { startMs: first.startMs, endMs: last.endMs };
  return normalizeVersionDifferences(snapshotRun(root, window, last.exitCode, stderr));
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
