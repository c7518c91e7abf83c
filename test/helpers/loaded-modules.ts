// Which of the project's own modules (and which packages) a command loads: the fast
// start of `--version`, and the lazy loading of heavy dependencies, checked without a
// clock.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REGISTER = fileURLToPath(new URL('./register-module-hooks.js', import.meta.url));
/** dist/, where the compiled modules live. */
const DIST = fileURLToPath(new URL('../../', import.meta.url));

/** The modules `node <args>` resolved, as paths relative to dist/ (`src/cli/main.js`) or
 * to node_modules (`node_modules/commander/...`). A long-running command is sent SIGTERM
 * after `stopAfterMs`. */
export function loadedModules(args: readonly string[], env: NodeJS.ProcessEnv = process.env, stopAfterMs?: number): { status: number | null; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-modules-'));
  try {
    const log = join(dir, 'modules');
    const run = spawnSync(process.execPath, ['--import', REGISTER, ...args], { env: { ...env, LOGROTOR_MODULE_LOG: log }, encoding: 'utf8', ...(stopAfterMs === undefined ? {} : { timeout: stopAfterMs }) });
    const urls = readFileSync(log, 'utf8').split('\n').filter((line) => line !== '');
    const modules = [...new Set(urls.map((url) => fileURLToPath(url)))].map((path) => {
      const packaged = path.lastIndexOf('/node_modules/');
      return packaged >= 0 ? path.slice(packaged + 1) : path.startsWith(DIST) ? path.slice(DIST.length) : path;
    });
    return { status: run.status, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
