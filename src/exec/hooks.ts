// Hook scripts: `/bin/sh -c SCRIPT logrotate_script ARG1 [ARG2]` with logrotate's stdio,
// environment and cwd. Scripts always run as the invoking user, even under `su`. Under
// `--json` our stdout holds one JSON document, so scripts' stdout goes to our stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../logger.js';
import { spawnAsRoot } from './su.js';

export interface HookResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the shell could not be started at all. */
  readonly spawnError?: string;
}

/** Where a script's stdout goes: ours (as logrotate), or our stderr. */
export type ScriptStdout = 'stdout' | 'stderr';

/** Runs a hook script with its arguments; `logger` hears of its switch of ids under su. */
export type HookRunner = (script: string, args: readonly string[], logger: Logger) => Promise<HookResult>;

export function hookRunner(stdout: ScriptStdout): HookRunner {
  const stdio = ['inherit', stdout === 'stdout' ? 'inherit' : process.stderr, 'inherit'] as const;
  return (script, args, logger) =>
    waitChild(spawnAsRoot(logger, () => spawn('/bin/sh', ['-c', script, 'logrotate_script', ...args], { stdio: [...stdio] })));
}

/** How a child ended (after its stdio closed). */
export function waitChild(child: ChildProcess): Promise<HookResult> {
  return new Promise((resolve) => {
    child.once('error', (err) => resolve({ exitCode: null, signal: null, spawnError: err.message }));
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal }));
  });
}

/** Why a child failed, in logrotate's words; null when it exited with status 0. */
export function childFailure(result: HookResult): string | null {
  if (result.spawnError !== undefined) return result.spawnError;
  if (result.signal !== null) return 'child did not terminate normally';
  if (result.exitCode !== 0) return 'child did not exit with status 0';
  return null;
}
