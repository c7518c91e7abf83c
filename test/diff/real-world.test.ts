// Issue 2's acceptance test: every real-world config (Debian packages' logrotate.d files)
// moved into a temp root, its logs created with varied sizes and old state dates, then
// `-d` with logrotate and logrotor must consider the same logs, decide the same, and exit alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import type { EntrySpec, StateEntry, TreeSpec } from '../helpers/tree.js';
import { logsFor, rewriteConfig } from '../helpers/real-configs.js';
import { runDebugPair } from '../helpers/verdicts.js';

const FIXTURES = new URL('../../../test/diff/real-world-configs/', import.meta.url);

function specFor(name: string, now: number): TreeSpec {
  const { config, words } = rewriteConfig(readFileSync(new URL(name, FIXTURES), 'utf8'));
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
  const main = rewriteConfig(readFileSync(new URL('debian-logrotate.conf', FIXTURES), 'utf8'));
  const counter = { next: 0 };
  const entries: EntrySpec[] = [{ kind: 'dir', path: 'etc/logrotate.d' }];
  const state: StateEntry[] = [];
  for (const name of fixtureNames.filter((n) => n !== 'debian-logrotate.conf')) {
    const { config, words } = rewriteConfig(readFileSync(new URL(name, FIXTURES), 'utf8'));
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
