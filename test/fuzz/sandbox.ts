// Runs commands in a private mount namespace where only one directory is writable
// (test/fuzz/sandbox.sh builds it), and checks beforehand that such a namespace can be
// had at all: without it, fuzzed rotations do not run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The script stays in the source tree (tsc does not copy it); this file runs from dist/test/fuzz/. */
export const SANDBOX_SCRIPT = fileURLToPath(new URL('../../../test/fuzz/sandbox.sh', import.meta.url));

/** sandbox.sh's status when it could not build or verify the namespace. */
export const SANDBOX_FAILED = 125;

export interface SandboxResult {
  readonly status: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** `command` runs with the whole filesystem read-only except `dir`. */
export function runSandboxed(dir: string, command: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<SandboxResult> {
  return new Promise((resolve) => {
    const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', SANDBOX_SCRIPT, dir, ...command], {
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, so that a timeout ends the commands it started too.
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, stderr: `${stderr}${String(error)}`, timedOut });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr, timedOut });
    });
  });
}

export type SandboxCheck =
  | { readonly kind: 'ready' }
  /** Fuzzed rotations must be skipped, never run unprotected. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** The namespace was built yet did not hold: a failure, not a skip. */
  | { readonly kind: 'leaky'; readonly reason: string };

export async function checkSandbox(scratch: string): Promise<SandboxCheck> {
  if (process.getuid?.() !== 0) return { kind: 'unavailable', reason: 'not root: a private mount namespace needs CAP_SYS_ADMIN' };
  if (spawnSync('unshare', ['--version']).status !== 0) return { kind: 'unavailable', reason: 'unshare(1) is not installed (util-linux)' };
  const inside = join(scratch, 'probe');
  mkdirSync(inside, { recursive: true, mode: 0o755 });
  const outsideFile = join(dirname(inside), 'written-from-the-sandbox');
  // The script checks its canaries itself; this also proves it from here.
  const probe = await runSandboxed(inside, ['sh', '-c', `: > "$1/ok"; (: > "$2") 2>/dev/null; exit 0`, 'probe', inside, outsideFile], process.env, 30_000);
  const escaped = existsSync(outsideFile);
  const worked = existsSync(join(inside, 'ok'));
  rmSync(inside, { recursive: true, force: true });
  rmSync(outsideFile, { force: true });
  if (escaped) return { kind: 'leaky', reason: `a write outside the sandbox's directory went through: ${outsideFile}` };
  if (probe.status === SANDBOX_FAILED && /write outside|read-only/.test(probe.stderr)) return { kind: 'leaky', reason: probe.stderr.trim() };
  if (probe.status !== 0 || !worked) {
    return { kind: 'unavailable', reason: `cannot build the sandbox (unshare -m, mount): status ${probe.status}: ${probe.stderr.trim()}` };
  }
  return { kind: 'ready' };
}
