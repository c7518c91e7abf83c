// Reading the configuration the way a rotation run does, for the modes that need the
// sections themselves (watch: which logs and directories; export: which files).
import { homedir } from 'node:os';
import type { LoadedConfig } from '../config/model.js';
import type { Output } from './output.js';

export type ConfigSource = (paths: readonly string[]) => Promise<LoadedConfig>;

/** Warnings and errors are in the result's diagnostics; only debug lines are live, with -v. */
export function configSource(output: Output, verbose: boolean): ConfigSource {
  const ignore = (): void => {};
  return async (paths) => {
    const { loadConfig } = await import('../config/load.js');
    return loadConfig(paths, {
      isRoot: process.getuid?.() === 0,
      home: homedir(),
      logger: { debug: verbose ? (text) => output.out(text) : ignore, warning: ignore, error: ignore },
    });
  };
}
