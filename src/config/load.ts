// Entry point of the config reader: command-line config paths in, sections out.
// Global settings carry over from one path to the next, as in logrotate.
import type { Logger } from '../logger.js';
import type { Accounts } from './accounts.js';
import { fileAccounts } from './accounts.js';
import type { LoadContext, Target } from './context.js';
import { DEFAULT_OPTIONS } from './defaults.js';
import type { ConfigFs } from './fs.js';
import { nodeFs } from './fs.js';
import { readConfigPath } from './include.js';
import type { LoadedConfig } from './model.js';
import { DEFAULT_TABOO } from './taboo.js';

export interface ConfigEnv {
  /** Real uid is 0: config files must then be root's and not group/world-writable. */
  readonly isRoot: boolean;
  /** For `~/` in file lists, include and olddir. */
  readonly home: string;
  /** Receives every message (`reading config file F`, warnings, errors, …) as it happens;
   * warnings and errors are in the result's diagnostics too. */
  readonly logger: Logger;
  /** Default: /etc/passwd and /etc/group, read once. */
  readonly accounts?: Accounts;
  /** Default: the real filesystem. */
  readonly fs?: ConfigFs;
  /** Default: process.cwd(). */
  readonly cwd?: string;
}

export function loadConfigSync(paths: readonly string[], env: ConfigEnv): LoadedConfig {
  const ctx: LoadContext = {
    fs: env.fs ?? nodeFs,
    accounts: env.accounts ?? fileAccounts(),
    home: env.home,
    isRoot: env.isRoot,
    logger: env.logger,
    sections: [],
    owners: new Map(),
    diagnostics: [],
    taboo: DEFAULT_TABOO,
    cwd: env.cwd ?? process.cwd(),
    including: [],
    readPath: (path, target, from) => readConfigPath(ctx, path, target, from),
  };
  const globals: Target = { options: { ...DEFAULT_OPTIONS } };
  let failed = false;
  for (const path of paths) {
    if (readConfigPath(ctx, path, globals)) failed = true;
  }
  return {
    sections: ctx.sections.map(({ pattern, files, fileWords, options, location }) => ({
      pattern,
      files: [...files],
      fileWords: [...fileWords],
      options,
      location,
    })),
    diagnostics: ctx.diagnostics,
    failed,
  };
}

/** Reads the given config files and directories. Never rejects: problems are diagnostics. */
export async function loadConfig(paths: readonly string[], env: ConfigEnv): Promise<LoadedConfig> {
  return loadConfigSync(paths, env);
}
