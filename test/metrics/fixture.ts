// The metrics' end-to-end scene: one log whose rotation succeeds (compressed, and the
// oldest rotation removed for the count) and one whose rotation fails (its compression
// fails, after a rotation past maxage was removed).
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempBase } from '../helpers/tree.js';

export interface Scene {
  readonly base: string;
  readonly logs: string;
  readonly conf: string;
  readonly state: string;
  readonly good: string;
  readonly bad: string;
}

export function scene(prefix: string): Scene {
  const base = makeTempBase(prefix);
  const logs = join(base, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  const good = join(logs, 'good.log');
  const bad = join(logs, 'bad log.log');
  writeFileSync(good, 'a line of the good log\n'.repeat(200));
  writeFileSync(`${good}.1.gz`, gzipSync('old one\n'));
  writeFileSync(`${good}.2.gz`, gzipSync('old two\n'));
  writeFileSync(bad, 'b\n');
  writeFileSync(`${bad}.1.gz`, gzipSync('ten days old\n'));
  const tenDaysAgo = Date.now() / 1000 - 10 * 86_400;
  utimesSync(`${bad}.1.gz`, tenDaysAgo, tenDaysAgo);
  const conf = join(base, 'logrotor.conf');
  writeFileSync(
    conf,
    `${good} {\n  size 1\n  rotate 2\n  compress\n}\n` +
      `"${bad}" {\n  size 1\n  rotate 2\n  maxage 1\n  compress\n  compresscmd /bin/false\n}\n`,
    { mode: 0o644 },
  );
  return { base, logs, conf, state: join(base, 'status'), good, bad };
}

/** Bytes of the files named, as they are now. */
export function sizes(...paths: string[]): number {
  return paths.reduce((sum, path) => sum + statSync(path).size, 0);
}
