// Scratch directories for state tests. logrotate refuses logs in group/world-writable
// directories (such as /tmp itself), so logs go in a 0755 subdirectory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export interface Scratch {
  readonly dir: string;
  readonly logs: string;
  readonly state: string;
  /** Write a config file the way logrotate accepts it: root-owned, 0644. */
  config(name: string, text: string): string;
}

/** A fresh directory, removed when test `t` ends. */
export function scratch(t: TestContext): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-state-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    logs,
    state: join(dir, 'status'),
    config(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o644 });
      return path;
    },
  };
}
