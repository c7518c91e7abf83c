// Temp trees and plan builders for the executor tests. Logs live in a 0755 directory
// inside a private temp dir, because logrotate (and we) refuse world-writable parents.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { LogOptions } from '../../src/config/model.js';
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { StepContext } from '../../src/exec/effects/context.js';
import { MemoryLogger } from '../../src/logger.js';

/** A fresh `<tmp>/logrotor-XXXX/logs` (0755), removed after the test file. */
export function tempLogDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-exec-'));
  chmodSync(root, 0o755);
  after(() => rmSync(root, { recursive: true, force: true }));
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  return logs;
}

export function options(overrides: Partial<LogOptions> = {}): LogOptions {
  return { ...DEFAULT_OPTIONS, ...overrides };
}

export function stepContext(overrides: Partial<LogOptions> = {}, mailCommand = '/bin/false'): StepContext & { logger: MemoryLogger } {
  return {
    options: options(overrides),
    pattern: '/pattern/*.log',
    logger: new MemoryLogger(),
    now: new Date(2026, 10, 22, 15, 4, 5),
    mailCommand,
  };
}

export function script(text: string): { text: string; location: { file: string; line: number } } {
  return { text, location: { file: 'test.conf', line: 1 } };
}

/** A shell script that appends `TAG $0 ARGS…` to `record`. */
export function recorder(record: string, tag: string, exitCode = 0): { text: string; location: { file: string; line: number } } {
  return script(`\necho "${tag} $0 $*" >> '${record}'\nexit ${exitCode}\n`);
}

export function lines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

export function write(path: string, data: string | Buffer, mode = 0o644): void {
  writeFileSync(path, data);
  chmodSync(path, mode);
}
