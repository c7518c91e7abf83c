// Fuzzed rotations, for real, each inside a private mount namespace where only the case's
// own directory is writable (see docs/fuzzing.md). For every case logrotor must not
// crash, must print only one-line prefixed messages, must not lose a line of log data
// the plan did not remove, must leave a state file that reads back, and must not try to
// write outside the case. Debian's logrotate runs the same case in its own namespace;
// where the two exit differently is reported for triage, not asserted.
//
// FUZZ_CASES=2000 runs more cases, FUZZ_SEED=N another series, FUZZ_CASE=17 one case,
// FUZZ_KEEP=1 keeps the case directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGROTATE, LOGROTOR_CLI } from '../helpers/binaries.js';
import { expectFromPlan, type PlanJson } from './allowed-loss.js';
import { generateCase, MAIN_CONFIG, MAILER, OUTPUT_DIR, type FuzzCase } from './case-generator.js';
import { countLedgerLines, fingerprint, materializeCase, substitute } from './case-tree.js';
import { crashes, jsonReport, ledgerLosses, planDescribesRun, stateProblems, triedOutside, unprefixedLines } from './invariants.js';
import { checkSandbox, runSandboxed, SANDBOX_FAILED } from './sandbox.js';

const CASES = Number(process.env['FUZZ_CASES'] ?? 150);
const SERIES = Number(process.env['FUZZ_SEED'] ?? 1);
const ONLY = process.env['FUZZ_CASE'];
const KEEP = process.env['FUZZ_KEEP'] === '1';
const STEP_TIMEOUT = 30;

/** Plan with -d --json, run, then ask logrotate whether it can read the state file. */
const LOGROTOR_STEPS = `
cd "$1" || exit 1
out="$1/${OUTPUT_DIR}"
timeout ${STEP_TIMEOUT} "$2" "$3" -d --json $6 -s "$4" -m "$1/${MAILER}" "$5" > "$out/plan.json" 2> "$out/plan.err"
echo $? > "$out/plan.rc"
timeout ${STEP_TIMEOUT} "$2" "$3" --json $6 -s "$4" -m "$1/${MAILER}" "$5" > "$out/run.json" 2> "$out/run.err"
echo $? > "$out/run.rc"
if [ -f "$4" ] && [ -x ${LOGROTATE.command} ]; then
  ${LOGROTATE.command} -d -s "$4" /dev/null > /dev/null 2> "$out/state.err"
  echo $? > "$out/state.rc"
fi
exit 0
`;

const REFERENCE_STEPS = `
cd "$1" || exit 1
out="$1/${OUTPUT_DIR}"
timeout ${STEP_TIMEOUT} ${LOGROTATE.command} $4 -s "$2" -m "$1/${MAILER}" "$3" > "$out/ref.out" 2> "$out/ref.err"
echo $? > "$out/ref.rc"
exit 0
`;

function caseSeed(index: number): number {
  return (Math.imul(SERIES, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0 || 1;
}

function read(path: string): string {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true ? readFileSync(path, 'utf8') : '';
}

function status(path: string): number | null {
  const text = read(path).trim();
  return text === '' ? null : Number(text);
}

interface Outcome {
  readonly problems: string[];
  readonly disagreement: string | null;
  readonly ledgerChecked: boolean;
  /** logrotor's exit status and how many logs its plan rotated: how deep the case got. */
  readonly status: number | null;
  readonly rotations: number;
}

function env(root: string): NodeJS.ProcessEnv {
  return { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: join(root, 'home'), LANG: 'C', TZ: process.env['TZ'] ?? '' };
}

async function runCase(base: string, outside: string, fuzz: FuzzCase, now: number): Promise<Outcome> {
  const dir = join(base, `case-${fuzz.index}`);
  const ref = join(base, `case-${fuzz.index}-ref`);
  materializeCase(fuzz, dir, outside, now);
  const files = new Map<string, number>();
  for (const entry of fuzz.entries) {
    if (entry.kind === 'file') files.set(join(dir, entry.path), entry.ledger);
    if (entry.kind === 'hardlink') {
      const target = fuzz.entries.find((e) => e.kind === 'file' && e.path === entry.target);
      if (target?.kind === 'file') files.set(join(dir, entry.path), target.ledger);
    }
  }
  const stateFile = join(dir, fuzz.statePath);
  const stateBefore = read(stateFile);
  const outsideBefore = fingerprint(outside);
  const force = fuzz.force ? '-f' : '';

  const sandbox = await runSandboxed(
    dir,
    ['sh', '-c', LOGROTOR_STEPS, 'steps', dir, process.execPath, LOGROTOR_CLI, stateFile, join(dir, MAIN_CONFIG), force],
    env(dir),
    4 * STEP_TIMEOUT * 1000,
  );
  const problems: string[] = [];
  if (sandbox.status === SANDBOX_FAILED || sandbox.timedOut || sandbox.status !== 0) {
    problems.push(`sandbox: status ${sandbox.status}${sandbox.timedOut ? ' (timed out)' : ''}: ${sandbox.stderr.trim()}`);
    return { problems, disagreement: null, ledgerChecked: false, status: null, rotations: 0 };
  }
  const out = join(dir, OUTPUT_DIR);
  const planErr = read(join(out, 'plan.err'));
  const runErr = read(join(out, 'run.err'));
  const planStatus = status(join(out, 'plan.rc'));
  const runStatus = status(join(out, 'run.rc'));
  problems.push(...crashes('logrotor -d --json', planErr, planStatus), ...crashes('logrotor', runErr, runStatus));
  const configLines = new Set([
    ...fuzz.configs.flatMap((c) => substitute(c.text, dir, outside).split('\n')),
    ...fuzz.entries.flatMap((e) => e.path.split('\n').slice(1)),
  ].map((l) => l.trim()));
  problems.push(...unprefixedLines(runErr, configLines));
  if (!fuzz.namesOutside) problems.push(...triedOutside(planErr + runErr));

  const planned = jsonReport('logrotor -d --json', read(join(out, 'plan.json')), planStatus);
  const ran = jsonReport('logrotor --json', read(join(out, 'run.json')), runStatus);
  problems.push(...planned.problems, ...ran.problems);

  // Replaying the plan reads the tree as it was: do it on the untouched reference copy.
  materializeCase(fuzz, ref, outside, now);
  let ledgerChecked = false;
  const plan = planned.report?.['plan'] as PlanJson | undefined;
  if (plan === undefined) problems.push('logrotor -d --json printed no plan');
  else if (planDescribesRun(plan, planned.report, ran.report)) {
    const rebased = JSON.parse(JSON.stringify(plan).split(dir).join(ref)) as PlanJson;
    const refFiles = new Map([...files].map(([path, id]) => [path.split(dir).join(ref), id]));
    const expectation = expectFromPlan(rebased, refFiles);
    problems.push(...ledgerLosses(fuzz.index, fuzz.ledger, expectation, countLedgerLines(dir)));
    ledgerChecked = true;
  }

  if (statSync(stateFile, { throwIfNoEntry: false })?.isFile() === true) {
    const stateAfter = read(stateFile);
    if (fuzz.stateValid || stateAfter !== stateBefore) {
      problems.push(...stateProblems(stateAfter, stateFile, dir));
      const logrotateReads = status(join(out, 'state.rc'));
      if (logrotateReads !== null && logrotateReads !== 0) problems.push(`logrotate cannot read the state file back: ${read(join(out, 'state.err')).trim()}`);
    }
  }
  if (fingerprint(outside) !== outsideBefore) problems.push('something outside the case changed');

  let disagreement: string | null = null;
  if (existsSync(LOGROTATE.command)) {
    const reference = await runSandboxed(
      ref,
      ['sh', '-c', REFERENCE_STEPS, 'reference', ref, join(ref, fuzz.statePath), join(ref, MAIN_CONFIG), force],
      env(ref),
      2 * STEP_TIMEOUT * 1000,
    );
    const refStatus = reference.status === 0 ? status(join(ref, OUTPUT_DIR, 'ref.rc')) : null;
    if (refStatus !== runStatus) {
      const firstError = (text: string): string => text.split('\n').find((l) => l.startsWith('error:'))?.slice(0, 160) ?? '-';
      const refErr = read(join(ref, OUTPUT_DIR, 'ref.err')).split(ref).join(dir);
      disagreement = `case ${fuzz.index}: logrotor ${runStatus}, logrotate ${refStatus} | logrotor: ${firstError(runErr)} | logrotate: ${firstError(refErr)}`;
    }
  }
  if (!KEEP && problems.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(ref, { recursive: true, force: true });
  }
  const rotations = plan?.sections.reduce((sum, section) => sum + section.rotations.length, 0) ?? 0;
  return { problems, disagreement, ledgerChecked, status: runStatus, rotations };
}

test('fuzzed rotations in a read-only mount namespace keep logrotor\'s invariants', { timeout: 40 * 60_000 }, async (t) => {
  // Not os.tmpdir() itself: the base must be a directory of its own, which the sandbox
  // makes read-only around each case.
  const base = mkdtempSync(join(tmpdir(), 'logrotor-fuzz-'));
  chmodSync(base, 0o755); // `su nobody` sections must reach their logs
  const check = await checkSandbox(base);
  if (check.kind === 'unavailable') {
    rmSync(base, { recursive: true, force: true });
    t.skip(`fuzzed rotations need a private mount namespace: ${check.reason}`);
    return;
  }
  assert.equal(check.kind, 'ready', check.kind === 'leaky' ? check.reason : '');

  const outside = join(base, 'outside');
  materializeOutside(outside);
  const now = Date.now();
  const indexes = ONLY !== undefined ? [Number(ONLY)] : Array.from({ length: CASES }, (_, i) => i);
  const failures: string[] = [];
  const disagreements: string[] = [];
  let ledgerChecked = 0;
  let rotations = 0;
  const statuses = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < indexes.length; i = next++) {
      const index = indexes[i] ?? 0;
      const fuzz = generateCase(index, caseSeed(index), now);
      const outcome = await runCase(base, outside, fuzz, now);
      if (outcome.ledgerChecked) ledgerChecked++;
      rotations += outcome.rotations;
      statuses.set(String(outcome.status), (statuses.get(String(outcome.status)) ?? 0) + 1);
      if (outcome.disagreement !== null) disagreements.push(outcome.disagreement);
      for (const problem of outcome.problems) {
        failures.push(`case ${index} (FUZZ_SEED=${SERIES} FUZZ_CASE=${index}, kept in ${join(base, `case-${index}`)}): ${problem}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(4, availableParallelism())) }, worker));

  const byStatus = [...statuses].sort().map(([status, count]) => `exit ${status}: ${count}`).join(', ');
  t.diagnostic(`${indexes.length} cases (${byStatus}), ${rotations} log rotations planned, ledger checked in ${ledgerChecked}`);
  t.diagnostic(`${disagreements.length} exit-status disagreements with ${LOGROTATE.command}:`);
  for (const line of disagreements.sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]))) t.diagnostic(line);
  if (failures.length === 0 && !KEEP) rmSync(base, { recursive: true, force: true });
  assert.deepEqual(failures, []);
});

/** A read-only neighbour that a few configs name on purpose. */
function materializeOutside(outside: string): void {
  mkdirSync(outside, { mode: 0o755 });
  writeFileSync(join(outside, 'victim.log'), 'must never change\n');
}
