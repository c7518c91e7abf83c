// The npm package as a user gets it: packed, installed globally into a prefix, run from
// there. Slow-ish (npm), so everything about the installed package is checked in one test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: REPO, env, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('npm pack, global install into a prefix, then --version, a dry run, the man page and install', { timeout: 240_000 }, (t) => {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-pack-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const packed = run('npm', ['pack', '--silent', '--pack-destination', root]);
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = readdirSync(root).find((name) => /^logrotor-.*\.tgz$/.test(name));
  assert.ok(tarball !== undefined, `no tarball in ${readdirSync(root).join(' ')}`);

  const prefix = join(root, 'prefix');
  const installed = run('npm', ['install', '-g', '--prefix', prefix, join(root, tarball), '--prefer-offline', '--no-audit', '--no-fund']);
  assert.equal(installed.status, 0, installed.stderr);
  const bin = join(prefix, 'bin', 'logrotor');

  const version = run(bin, ['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^logrotor \d+\.\d+\.\d+\n/);

  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  writeFileSync(join(logs, 'app.log'), 'x'.repeat(2000));
  const conf = join(root, 'app.conf');
  writeFileSync(conf, `${join(logs, 'app.log')} {\n  size 1k\n  rotate 2\n}\n`, { mode: 0o644 });
  const dry = run(bin, ['-d', '-s', join(root, 'state'), conf]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stderr, new RegExp(`renaming ${join(logs, 'app.log')} to ${join(logs, 'app.log.1')}`));
  assert.deepEqual(readdirSync(logs), ['app.log'], 'a dry run changes nothing');

  const man = join(prefix, 'share', 'man', 'man8', 'logrotor.8');
  assert.match(readFileSync(man, 'utf8'), /^\.TH LOGROTOR 8/);

  // The shipped etc/ files are found from the installed package, and the unit runs the
  // logrotor that PATH finds.
  const staged = join(root, 'staged');
  const units = run(bin, ['install', '--systemd', '--root', staged], { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}` });
  assert.equal(units.status, 0, units.stderr);
  const service = readFileSync(join(staged, 'etc/systemd/system/logrotor.service'), 'utf8');
  assert.match(service, new RegExp(`^ExecStart=${bin} /etc/logrotate.conf$`, 'm'));
  assert.equal(realpathSync(bin), join(prefix, 'lib/node_modules/logrotor/dist/src/cli/main.js'));

  // The prebuilt addon ships in the package and its loader finds it there.
  const loader = join(prefix, 'lib/node_modules/logrotor/dist/src/native/index.js');
  const addon = run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(loader)}); console.log(m.loadNative() === null ? 'none' : 'loaded')`]);
  assert.equal(addon.stdout.trim(), 'loaded', addon.stderr);
});
