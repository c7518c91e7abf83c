// A logger sink for tests of output order: each line kept as `severity:text`, each
// flush as `<flush>`.
import type { Logger } from '../../src/logger.js';

export function recordingSink(): Logger & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    debug: (text) => void calls.push(`debug:${text}`),
    warning: (text) => void calls.push(`warning:${text}`),
    error: (text) => void calls.push(`error:${text}`),
    flush: () => void calls.push('<flush>'),
  };
}
