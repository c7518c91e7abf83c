// What the long-running modes cost while they wait (issue 14): the metrics modules load
// only with --metrics-listen. How much memory that saves is `npm run bench`'s to
// measure; here, that it is so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { loadedModules } from '../helpers/loaded-modules.js';

/** A log over its size in a temp dir, and its config. */
function scratch(t: { after(fn: () => void): void }): { conf: string; state: string } {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-long-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  writeFileSync(join(logs, 'app.log'), 'x'.repeat(200), { mode: 0o644 });
  const conf = join(root, 'test.conf');
  writeFileSync(conf, `${logs}/app.log {\n  size 100\n  rotate 1\n}\n`, { mode: 0o644 });
  return { conf, state: join(root, 'state') };
}

test('watch without --metrics-listen loads no metrics module', (t) => {
  const s = scratch(t);
  // Stopped by SIGTERM after 3 s: long after it started watching.
  const { modules } = loadedModules([LOGROTOR_CLI, 'watch', '-s', s.state, s.conf], process.env, 3000);
  assert.ok(modules.includes('src/service/foreground.js') && modules.includes('src/watch/log-watch.js'), modules.join(' '));
  assert.deepEqual(modules.filter((m) => m.startsWith('src/metrics/') || m === 'src/service/metrics.js'), []);
});
