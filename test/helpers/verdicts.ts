// `-d` runs compared by their decisions: which logs were considered and what was decided,
// read from the debug lines both programs print in the same words.
import { runBinary, standardArgs, inTwoTrees, type PairOptions } from './differential.js';
import { normalizeMessages } from './normalize.js';
import { ROOT_TOKEN, type TreeSpec } from './tree.js';

export interface Consideration {
  readonly log: string;
  readonly verdict: 'rotate' | 'missing' | 'symlink' | 'hardlink' | 'skip' | 'none';
}

export interface DebugOutcome {
  readonly exitCode: number | null;
  readonly considered: readonly Consideration[];
  readonly errors: readonly string[];
}

const VERDICT_LINES: readonly [RegExp, Consideration['verdict']][] = [
  [/^ {2}log needs rotating$/, 'rotate'],
  [/^ {2}log .* does not exist -- skipping$/, 'missing'],
  [/^ {2}log .* is symbolic link\./, 'symlink'],
  [/^ {2}log .* has multiple \(\d+\) hard links\./, 'hardlink'],
  [/^ {2}log does not need rotating/, 'skip'],
];

export function parseConsiderations(stderr: string): Consideration[] {
  const out: { log: string; verdict: Consideration['verdict'] }[] = [];
  for (const line of stderr.split('\n')) {
    const considering = /^considering log (.*)$/.exec(line);
    if (considering?.[1] !== undefined) {
      out.push({ log: considering[1], verdict: 'none' });
      continue;
    }
    const current = out[out.length - 1];
    const verdict = VERDICT_LINES.find(([pattern]) => pattern.test(line))?.[1];
    if (current !== undefined && current.verdict === 'none' && verdict !== undefined) current.verdict = verdict;
  }
  return out;
}

export function runDebugPair(spec: TreeSpec, options: PairOptions = {}): Promise<{ left: DebugOutcome; right: DebugOutcome }> {
  return inTwoTrees(spec, options, async (root, binary) => {
    const output = await runBinary(binary, root, standardArgs(root, ['-d', ...(options.args ?? [])]));
    const stderr = output.stderr.split(root).join(ROOT_TOKEN);
    return {
      exitCode: output.exitCode,
      considered: parseConsiderations(stderr),
      errors: normalizeMessages(stderr.split('\n').filter((line) => line.startsWith('error: '))),
    };
  });
}
