// The AWS SDK is read only when a config archives to S3. A module hook makes any import of
// an @aws-sdk or @smithy module fail the process, so a run that loaded it would exit 1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOGROTOR_CLI } from '../helpers/binaries.js';

let dir: string;
let register: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'logrotor-lazy-sdk-'));
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `export async function resolve(specifier, context, next) {
  if (/^@(aws-sdk|smithy)\\//.test(specifier)) throw new Error('SDK LOADED: ' + specifier);
  return next(specifier, context);
}\n`,
  );
  register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the hook does catch the SDK: opening an S3 transport under it fails', () => {
  const open = pathToFileURL(join(LOGROTOR_CLI, '../../archive/open.js')).href;
  const script = `const { openTransport } = await import(${JSON.stringify(open)});
await openTransport({ kind: 's3', url: 's3://logs', bucket: 'logs', prefix: '', pathStyle: false });`;
  const result = run(['--input-type=module', '-e', script]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /SDK LOADED: @aws-sdk\/client-s3/);
});

test('--version, a dry run and a real rotation without archive never load the SDK', () => {
  const version = run([LOGROTOR_CLI, '--version']);
  assert.deepEqual([version.status, version.stderr], [0, '']);
  assert.match(version.stdout, /^logrotor /);

  const logs = join(dir, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  writeFileSync(join(logs, 'app.log'), 'x'.repeat(2000));
  const conf = join(dir, 'app.conf');
  writeFileSync(conf, `${join(logs, 'app.log')} {\n  size 1k\n  rotate 2\n  compress\n}\n`, { mode: 0o644 });
  const state = join(dir, 'state');
  const dry = run([LOGROTOR_CLI, '-d', '-s', state, conf]);
  assert.equal(dry.status, 0, dry.stderr);
  const real = run([LOGROTOR_CLI, '-s', state, conf]);
  assert.deepEqual([real.status, real.stderr], [0, '']);
  assert.deepEqual(readdirSync(logs), ['app.log.1.gz']);
});

test('a dry run of a config that archives to S3 does not load the SDK either', () => {
  const logs = join(dir, 'dry-logs');
  mkdirSync(logs, { mode: 0o755 });
  writeFileSync(join(logs, 'app.log'), 'x'.repeat(2000));
  const conf = join(dir, 's3.conf');
  writeFileSync(conf, `archive s3://fleet-logs/web\n${join(logs, 'app.log')} {\n  size 1k\n  rotate 2\n}\n`, { mode: 0o644 });
  const dry = run([LOGROTOR_CLI, '-d', '-s', join(dir, 'dry-state'), conf]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.doesNotMatch(dry.stderr, /SDK LOADED/);
});
