// Temp trees and plan builders for the executor tests. Logs live in a 0755 directory
// inside a private temp dir, because logrotate (and we) refuse world-writable parents.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { LogOptions, Section } from '../../src/config/model.js';
import { DEFAULT_OPTIONS } from '../../src/config/defaults.js';
import type { StepContext } from '../../src/exec/context.js';
import { MemoryLogger } from '../../src/logger.js';
import type { LogRotation, SectionPlan } from '../../src/plan/model.js';

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

/** The plain rename rotation of `log` to `log.1` (shifting `.1` to `.2` first). */
export function renameRotation(log: string, extra: Partial<LogRotation> = {}): LogRotation {
  return {
    log,
    prepare: [
      { kind: 'stamp', log, time: new Date(2026, 10, 22, 15, 4, 5) },
      { kind: 'rename', from: `${log}.1`, to: `${log}.2`, shift: { rotateCount: 1, logStart: 1, index: 1 } },
    ],
    rotate: [{ kind: 'rename', from: log, to: `${log}.1` }],
    finalName: `${log}.1`,
    finish: [],
    ...extra,
  };
}

export function sectionPlan(files: readonly string[], rotations: readonly LogRotation[], overrides: Partial<LogOptions> = {}, errors: ReadonlyMap<string, string> = new Map()): SectionPlan {
  const opts = options(overrides);
  const section: Section = { pattern: files.join(' '), files, options: opts, location: { file: 'test.conf', line: 1 } };
  const rotating = new Set(rotations.map((r) => r.log));
  return {
    section,
    options: opts,
    decisions: files.map((path) => ({
      path,
      verdict: errors.has(path)
        ? { kind: 'error', message: errors.get(path) ?? '' }
        : rotating.has(path)
          ? { kind: 'rotate', why: 'force' }
          : { kind: 'skip', why: 'not-due' },
      lastRotated: new Date(2026, 10, 21),
      newStateEntry: false,
    })),
    rotations,
  };
}
