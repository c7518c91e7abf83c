// Temp trees for config tests: a 0755 root under a fresh temp dir, config files owned by
// root with mode 0644, and a loader that records every message.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfigSync } from '../../src/config/load.js';
import type { ConfigEnv } from '../../src/config/load.js';
import type { LoadedConfig, LogOptions, Section } from '../../src/config/model.js';
import { MemoryLogger } from '../../src/logger.js';

export interface Tree {
  readonly root: string;
  /** Writes a file (parents created 0755) and returns its path; configs get mode 0644. */
  write(path: string, text: string, mode?: number): string;
  dir(path: string): string;
  remove(): void;
}

export function makeTree(): Tree {
  const base = mkdtempSync(join(tmpdir(), 'logrotor-config-'));
  chmodSync(base, 0o755);
  const root = join(base, 'r');
  mkdirSync(root, { mode: 0o755 });
  const dir = (path: string): string => {
    const full = join(root, path);
    mkdirSync(full, { recursive: true, mode: 0o755 });
    return full;
  };
  return {
    root,
    dir,
    write(path, text, mode = 0o644) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
      writeFileSync(full, text);
      chmodSync(full, mode);
      return full;
    },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** As logrotor decides it (src/run.ts): as root, config files must be root's and not
 * group/world-writable; the fast lane runs these tests as another user, whose files
 * they are. */
export const RUN_AS_ROOT = process.getuid?.() === 0;

export interface Loaded extends LoadedConfig {
  readonly debug: readonly string[];
  /** Errors and warnings rendered the way the CLI prints them. */
  readonly messages: readonly string[];
}

export function load(paths: readonly string[], env: Partial<ConfigEnv> = {}): Loaded {
  const logger = new MemoryLogger();
  const loaded = loadConfigSync(paths, { isRoot: RUN_AS_ROOT, home: '/nonexistent-home', logger, ...env });
  const messages = loaded.diagnostics
    .filter((d) => d.severity !== 'debug')
    .map((d) => `${d.severity}: ${d.location === undefined ? '' : `${d.location.file}:${d.location.line} `}${d.text}`);
  return { ...loaded, debug: logger.lines.map((l) => l.text), messages };
}

/** Loads one config text written to `name` in a fresh tree; `@` in the text stands
 * for the tree's root. */
export function loadText(text: string, env: Partial<ConfigEnv> = {}): Loaded & { root: string; file: string } {
  const tree = makeTree();
  try {
    tree.dir('logs');
    const file = tree.write('test.conf', text.replaceAll('@', tree.root));
    const loaded = load([file], env);
    return { ...loaded, root: tree.root, file };
  } finally {
    tree.remove();
  }
}

export function only(sections: readonly Section[]): Section {
  if (sections.length !== 1) throw new Error(`expected one section, got ${sections.length}`);
  const [section] = sections;
  if (section === undefined) throw new Error('unreachable');
  return section;
}

/** Options of a one-section config whose body is `body` (after `globals`, if any); the
 * config must load without a message. */
export function sectionWith(body: string, globals = ''): LogOptions {
  const loaded = loadText(`${globals}@/logs/a.log {\n${body}\n}\n`);
  assert.deepEqual(loaded.messages, []);
  return only(loaded.sections).options;
}

export interface Failure {
  readonly messages: readonly string[];
  readonly sections: number;
  readonly failed: boolean;
}

/** Messages of a one-section config with a bad line 2, and whether the section survived. */
export function failing(line: string): Failure {
  const loaded = loadText(`@/logs/a.log {\n${line}\n}\n`);
  return {
    messages: loaded.messages.map((m) => m.replace(loaded.file, 'F').replace(loaded.root, '@')),
    sections: loaded.sections.length,
    failed: loaded.failed,
  };
}

/** What `failing` gives for a section error on line 2: the message, then the section skipped. */
export function sectionError(text: string): Failure {
  return { messages: [`error: F:2 ${text}`, 'error: found error in @/logs/a.log, skipping'], sections: 0, failed: true };
}
