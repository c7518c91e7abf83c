// The version comes from package.json so a release bump is a one-file change.
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // dist/src/cli/version.js → the package root, both in the repo and when installed.
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  return 'unknown';
}
