// Reading the configuration the way a rotation run does, for the modes that need the
// sections themselves (watch: which logs and directories; export: which files).
import { homedir } from 'node:os';
import type { LoadedConfig } from './model.js';

export type ConfigSource = (paths: readonly string[]) => Promise<LoadedConfig>;

/** Warnings and errors are in the result's diagnostics; only debug lines are live, to
 * `debug` when given (-v). */
export function configSource(debug: ((text: string) => void) | null): ConfigSource {
  const ignore = (): void => {};
  return async (paths) => {
    const { loadConfig } = await import('./load.js');
    return loadConfig(paths, {
      isRoot: process.getuid?.() === 0,
      home: homedir(),
      logger: { debug: debug ?? ignore, warning: ignore, error: ignore },
    });
  };
}
