// Issue 2's acceptance test: every real-world config (Debian packages' logrotate.d files)
// moved into a temp root, its logs created with varied sizes and old state dates, then
// `-d` with logrotate and logrotor must consider the same logs, decide the same, and exit alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import type { EntrySpec, StateEntry, TreeSpec } from '../helpers/tree.js';
import { hookScript } from '../helpers/tree.js';
import { runDebugPair } from '../helpers/verdicts.js';

const FIXTURES = new URL('../../../test/diff/real-world-configs/', import.meta.url);
const SCRIPT_KEYWORDS = new Set(['prerotate', 'postrotate', 'firstaction', 'lastaction', 'preremove']);
const DAY = 86_400;
const KIB = 1024;
// Cycles of different lengths, so that sizes and ages combine differently per log.
const SIZES = [0, 20, 150 * KIB, 2 * KIB * KIB, 12 * KIB * KIB, 600 * KIB * KIB, 60 * KIB * KIB];
const AGES_IN_DAYS: readonly (number | null)[] = [null, 0.5, 2, 8, 40, 400];

const accounts = (file: string): Set<string> =>
  new Set(readFileSync(file, 'utf8').split('\n').map((line) => line.split(':')[0] ?? ''));
const USERS = accounts('/etc/passwd');
const GROUPS = accounts('/etc/group');

interface Rewritten {
  readonly config: string;
  /** File-list words as they will be after the rewrite (absolute, under @ROOT@). */
  readonly words: readonly string[];
}

/** Moves every absolute path under @ROOT@, replaces scripts by recording hooks and
 * owners this machine lacks by root, so that the same sections survive parsing. */
function rewrite(text: string): Rewritten {
  const out: string[] = [];
  const words: string[] = [];
  let inScript = false;
  let inSection = false;
  for (const line of text.split('\n')) {
    const first = /^\s*([a-z]+)/.exec(line)?.[1] ?? '';
    if (inScript) {
      if (first === 'endscript') {
        out.push(line);
        inScript = false;
      }
      continue;
    }
    if (SCRIPT_KEYWORDS.has(first)) {
      out.push(`${line.slice(0, line.indexOf(first) + first.length)}${hookScript(first)}`);
      inScript = true;
      continue;
    }
    if (/^\s*#/.test(line)) {
      out.push(line);
      continue;
    }
    let moved = line.replace(/(^|[\s"'])\/(?=\w)/g, '$1@ROOT@/');
    if (['create', 'su', 'createolddir'].includes(first)) {
      moved = moved.replace(/\S+/g, (token, offset: number) =>
        offset === moved.indexOf(first) || /^\d+$/.test(token) || USERS.has(token) || GROUPS.has(token) ? token : 'root',
      );
    }
    if (!inSection && /^\s*["/@]/.test(moved)) {
      words.push(...moved.replace(/[{"]/g, ' ').split(/\s+/).filter((w) => w.startsWith('@ROOT@/')));
    }
    if (moved.includes('{')) inSection = true;
    if (/^\s*}/.test(moved)) inSection = false;
    out.push(moved);
  }
  return { config: out.join('\n'), words };
}

/** Log files and state for the file-list words: each glob gets two matches, every
 * fifth log is left missing. */
function logsFor(words: readonly string[], now: number, counter: { next: number }): { entries: EntrySpec[]; state: StateEntry[] } {
  const entries: EntrySpec[] = [];
  const state: StateEntry[] = [];
  for (const word of words) {
    const names = word.includes('*') ? ['alpha', 'beta'].map((v) => word.replaceAll('*', v)) : [word];
    for (const name of names) {
      const i = counter.next++;
      const path = name.replace('@ROOT@/', '');
      if (i % 5 !== 4) entries.push({ kind: 'file', path, content: '', size: SIZES[i % SIZES.length] ?? 0 });
      const age = AGES_IN_DAYS[i % AGES_IN_DAYS.length] ?? null;
      if (age !== null) state.push({ path: name, time: Math.floor(now - age * DAY) });
    }
  }
  return { entries, state };
}

function specFor(name: string, now: number): TreeSpec {
  const { config, words } = rewrite(readFileSync(new URL(name, FIXTURES), 'utf8'));
  const { entries, state } = logsFor(words, now, { next: 0 });
  return { config, entries, state };
}

const fixtureNames = readdirSync(FIXTURES).sort();
const now = Math.floor(Date.now() / 1000);

for (const name of fixtureNames) {
  test(`real-world config ${name}: same logs, verdicts and exit status under -d`, async () => {
    const spec = specFor(name, now);
    assert.ok(spec.entries.length > 0 || name === 'debian-logrotate.conf', 'the rewrite found the file list');
    const { left, right } = await runDebugPair(spec);
    assert.ok(left.considered.length > 0 || name === 'debian-logrotate.conf', 'logrotate considered some logs');
    assert.deepEqual(right, left);
  });
}

test('all real-world configs included from the Debian main config, as installed', async () => {
  const main = rewrite(readFileSync(new URL('debian-logrotate.conf', FIXTURES), 'utf8'));
  const counter = { next: 0 };
  const entries: EntrySpec[] = [{ kind: 'dir', path: 'etc/logrotate.d' }];
  const state: StateEntry[] = [];
  for (const name of fixtureNames.filter((n) => n !== 'debian-logrotate.conf')) {
    const { config, words } = rewrite(readFileSync(new URL(name, FIXTURES), 'utf8'));
    entries.push({ kind: 'file', path: `etc/logrotate.d/${name}`, content: config });
    const logs = logsFor(words, now, counter);
    entries.push(...logs.entries);
    state.push(...logs.state);
  }
  const { left, right } = await runDebugPair({ config: main.config, entries, state });
  assert.ok(left.considered.length > 40, `logrotate considered ${left.considered.length} logs`);
  const verdicts = new Set(left.considered.map((c) => c.verdict));
  for (const kind of ['missing', 'rotate', 'skip'] as const) assert.ok(verdicts.has(kind), `some log gets verdict ${kind}`);
  assert.deepEqual(right, left);
});
