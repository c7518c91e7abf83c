// Differential runs of logrotate (Debian's 3.21) and logrotor with `-v` on twin trees:
// the progress lines that name steps (renaming, creating, copying, compressing,
// removing, scripts, errors) must come out in the same order, and the files left
// behind, the state, the hook calls and the exit status must agree too.
import assert from 'node:assert/strict';
import { LOGROTATE } from '../helpers/binaries.js';
import { diffSnapshots, inTwoTrees, runBinary, standardArgs } from '../helpers/differential.js';
import { normalizeVersionDifferences } from '../helpers/normalize.js';
import { snapshotRun, type RunSnapshot } from '../helpers/snapshot.js';
import { hookScript, type EntrySpec, type TreeSpec } from '../helpers/tree.js';

/** The lines that report a step or its failure; bookkeeping lines (config reading, state,
 * decisions' details) are left to other tests. */
const STEP_LINE =
  /^(considering log |rotating log |renaming |old log |previous log |glob finding |log .* doesn't exist|disposeName will be |creating new |(skip )?copying |truncating |Not truncating |compressing log with|removing |Using shred|(not )?running .*script|switching |error: |warning: (?!logrotate in debug mode))/;

/** Where a rotation's preparation can start at the earliest; preremove runs inside it. */
const BEFORE_PREPARATION = /^(considering log |(not )?running (first action|prerotate|postrotate|last action) script)/;

/** 3.21 prepares a rotation (the shift of old logs, delaycompress, expiry) before its
 * prerotate script, main after it: 3.21's `running prerotate script` (and, under -d,
 * the `running script with args` line after it) moves back in front of the preparation
 * lines (from the first `rotating log` of the group) it follows. On main's output it
 * never moves, since nothing is prepared before it. */
function prerotateBeforePreparation(lines: readonly string[]): string[] {
  const out: string[] = [];
  let movedTo = -1;
  for (const line of lines) {
    let at = out.length;
    if (movedTo >= 0 && line.startsWith('running script with args ')) at = movedTo + 1;
    else if (line === 'running prerotate script') {
      for (let i = out.length - 1; i >= 0; i--) {
        const earlier = out[i] ?? '';
        if (BEFORE_PREPARATION.test(earlier)) break;
        if (earlier.startsWith('rotating log ')) at = i;
      }
    }
    movedTo = line === 'running prerotate script' ? at : -1;
    out.splice(at, 0, line);
  }
  return out;
}

/** su's switches name the process (or child) that switches. */
const withoutPid = (line: string): string => line.replace(/ \(pid \d+\)$/, ' (pid @PID@)');

/** logrotate's children print their own switch of ids, so two children started one
 * after the other (mail's uncompressor and mailer) print in whichever order they get to
 * run: a run of switching lines side by side is compared as a set. */
function switchesSorted(lines: readonly string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    out.push(...run.sort());
    run = [];
  };
  for (const line of lines) {
    if (line.startsWith('switching ')) run.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

function stepLines(run: RunSnapshot): RunSnapshot {
  return { ...run, stderr: switchesSorted(prerotateBeforePreparation(run.stderr.filter((line) => STEP_LINE.test(line)).map(withoutPid))) };
}

export interface VerboseRun {
  /** Arguments besides -v and the standard ones; `-f` unless given. */
  readonly args?: readonly string[];
  /** Prepares a fresh tree before the run; what it returns undoes that after the snapshot. */
  readonly setup?: (root: string) => () => void;
  /** logrotate's lines that logrotor deliberately does not print, named by the caller. */
  readonly ignore?: RegExp;
}

/** Both programs with `-v` on twins of `spec`; fails on any difference. Returns
 * logrotor's side (step lines only, paths under the tree as @ROOT@). */
export async function compareVerbose(title: string, spec: TreeSpec, run: VerboseRun = {}): Promise<RunSnapshot> {
  const { left, right } = await inTwoTrees(spec, {}, async (root, binary) => {
    const undo = run.setup?.(root);
    try {
      const output = await runBinary(binary, root, standardArgs(root, ['-v', ...(run.args ?? ['-f'])]));
      const snapshot = stepLines(normalizeVersionDifferences(snapshotRun(root, output, output.exitCode, output.stderr)));
      const ignore = binary === LOGROTATE ? run.ignore : undefined;
      return ignore === undefined ? snapshot : { ...snapshot, stderr: snapshot.stderr.filter((line) => !ignore.test(line)) };
    } finally {
      undo?.();
    }
  });
  const differences = diffSnapshots(left, right);
  assert.deepEqual(differences, [], `${title}: ${LOGROTATE.name} vs logrotor differ in\n  ${differences.join('\n  ')}\nlogrotate said:\n  ${left.stderr.join('\n  ')}`);
  return right;
}

export const file = (path: string, content: string | Uint8Array, extra: Partial<Extract<EntrySpec, { kind: 'file' }>> = {}): EntrySpec => ({
  kind: 'file',
  path,
  content,
  ...extra,
});
export const logsDir: EntrySpec = { kind: 'dir', path: 'logs', mode: 0o755 };
export const hooks = (...kinds: string[]): string => kinds.map((k) => `  ${k}${hookScript(k)}  endscript\n`).join('');
