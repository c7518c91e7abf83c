// Ten thousand mutated and random configs through the whole reader in process, on an
// in-memory filesystem: it must never throw, and every message it locates must point at
// a real line of the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Accounts } from '../../src/config/accounts.js';
import type { ConfigFs, FileInfo } from '../../src/config/fs.js';
import { loadConfigSync } from '../../src/config/load.js';
import { MemoryLogger } from '../../src/logger.js';

// The shared real-world fixtures, as committed for the differential tests.
const FIXTURES = new URL('../../../test/diff/real-world-configs/', import.meta.url).pathname;
const CONF = '/virtual/test.conf';
const KEYWORDS = [
  'compress', 'daily', 'weekly', 'monthly', 'rotate', 'size', 'create', 'su', 'olddir', 'createolddir',
  'include', 'postrotate', 'endscript', 'prerotate', 'missingok', 'tabooext', 'taboopat', 'mail', 'minage',
  'maxage', 'dateformat', 'compressoptions', 'sharedscripts', 'errors', 'monthly', 'minutes', 'copytruncate',
];
const PIECES = ['{', '}', '\n', ' ', '\t', '#', '"', "'", '\\', '=', '/var/log/*.log', '~/', '0x1F', '-1', '10k', 'root', ':0', '*', '[', '\r', 'é'];

/** xorshift32: seedable and plenty to spread mutations; the seed must not be 0. */
function prng(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function fail(code: string): never {
  throw Object.assign(new Error(code), { code });
}

/** A filesystem holding only the config under test; nothing real is read or written. */
function virtualFs(text: string): ConfigFs {
  const file: FileInfo = { kind: 'file', mode: 0o644, uid: 0, size: Buffer.byteLength(text), dev: 1 };
  const dir: FileInfo = { kind: 'dir', mode: 0o755, uid: 0, size: 0, dev: 1 };
  const stat = (path: string): FileInfo => (path === CONF ? file : path === '/virtual' ? dir : fail('ENOENT'));
  return {
    stat,
    lstat: stat,
    readFile: (path) => (path === CONF ? text : fail('ENOENT')),
    readdir: (path) => (path === '/virtual' ? ['test.conf'] : fail('ENOENT')),
    realpath: (path) => {
      stat(path);
      return path;
    },
    glob: () => [],
    mkdir: () => fail('EROFS'),
    chown: () => fail('EROFS'),
    chmod: () => fail('EROFS'),
    asUser: (_uid, _gid, fn) => fn(),
  };
}

const accounts: Accounts = {
  uidOf: (name) => (name === 'root' ? 0 : undefined),
  gidOf: (name) => (name === 'root' ? 0 : undefined),
  hasUid: (uid) => uid === 0,
  hasGid: (gid) => gid === 0,
  homeOf: (name) => (name === 'root' ? '/root' : undefined),
};

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let out = text;
  const edits = 1 + Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const lines = out.split('\n');
    const line = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 7)) {
      case 0:
        out = out.slice(0, at) + pick(PIECES) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 5));
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at, at + 1).repeat(2) + out.slice(at + 1);
        break;
      case 3:
        lines.splice(line, 1);
        out = lines.join('\n');
        break;
      case 4:
        lines.splice(line, 0, lines[Math.floor(random() * lines.length)] ?? '');
        out = lines.join('\n');
        break;
      case 5:
        out = out.slice(0, at) + pick(KEYWORDS) + (random() < 0.5 ? ' ' : '') + out.slice(at);
        break;
      default:
        out = out.slice(0, at) + pick(['{', '}', '{\n', '\n}\n']) + out.slice(at);
    }
  }
  return out;
}

function soup(random: () => number): string {
  const tokens = [...KEYWORDS, ...PIECES];
  const length = Math.floor(random() * 60);
  return Array.from({ length }, () => tokens[Math.floor(random() * tokens.length)]).join(random() < 0.5 ? ' ' : '');
}

test('10,000 mutated and random configs never throw and locate every message', () => {
  const seeds = readdirSync(FIXTURES).sort().map((name) => readFileSync(join(FIXTURES, name), 'utf8'));
  const random = prng(0x10c807);
  let sections = 0;
  for (let i = 0; i < 10_000; i++) {
    const text = i % 4 === 3 ? soup(random) : mutate(seeds[i % seeds.length] ?? '', random);
    const lines = text.split('\n').length;
    const loaded = loadConfigSync([CONF], { isRoot: true, home: '/root', logger: new MemoryLogger(), fs: virtualFs(text), accounts, cwd: '/virtual' });
    sections += loaded.sections.length;
    for (const d of loaded.diagnostics) {
      if (d.location === undefined) continue;
      assert.equal(d.location.file, CONF, `config #${i}: ${d.text}`);
      assert.ok(d.location.line >= 1 && d.location.line <= lines, `config #${i}: line ${d.location.line} of ${lines}: ${d.text}`);
    }
    for (const section of loaded.sections) assert.ok(section.location.line >= 1 && section.location.line <= lines);
  }
  // The mutations must leave plenty of configs readable, or the test proves little.
  assert.ok(sections > 3_000, `only ${sections} sections`);
});
