// The options the long-running modes (`daemon`, `watch`) share, with logrotate's letters.
import type { Command } from 'commander';
import { BUILD_DEFAULTS } from '../config/defaults.js';

export interface ForegroundFlags {
  readonly state: string;
  readonly mail: string;
  readonly verbose: boolean;
  /** HOST:PORT for /metrics and /healthz; off when absent. */
  readonly metricsListen?: string;
}

export function foregroundOptions(command: Command): Command {
  return command
    .option('-s, --state <statefile>', 'state file, shared with logrotate', BUILD_DEFAULTS.statePath)
    .option('-m, --mail <command>', 'mail program', BUILD_DEFAULTS.mailCommand)
    .option('-v, --verbose', 'print debug lines too', false)
    .option('--metrics-listen <host:port>', 'serve Prometheus metrics on /metrics and a health check on /healthz (off unless given)');
}
