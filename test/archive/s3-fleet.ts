// 20 hosts (processes of their own, own host names and directories) archive the same
// logs, rotated in the same second, into one bucket at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Archived, ArchiveFailure } from '../../src/archive/transport.js';
import { startProcess } from '../servers/process.js';
import { md5 } from './files.js';
import { BUCKET, contentMd5, keysUnder, scratchPath, type S3World } from './s3-world.js';

const HOST_SCRIPT = fileURLToPath(new URL('./fleet-host.js', import.meta.url));
const HOSTS = 20;

interface HostResult {
  readonly file: string;
  readonly name: string;
  readonly result: Archived | ArchiveFailure;
}

export function fleetCases(world: () => S3World): void {
  test('s3: 20 hosts upload concurrently into one bucket: no name collides, every object verified', { timeout: 300_000 }, async () => {
    const w = world();
    const config = scratchPath(w, 'fleet-config');
    const credentials = scratchPath(w, 'fleet-credentials');
    writeFileSync(config, `[default]\nregion = us-east-1\nendpoint_url = ${w.gateway.endpoint}\n`);
    writeFileSync(credentials, `[default]\naws_access_key_id = ${w.archiver.accessKeyId}\naws_secret_access_key = ${w.archiver.secretAccessKey}\n`);
    // Only the shared files: no AWS_* keys in the hosts' environment.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: '/nonexistent', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
    const hosts = Array.from({ length: HOSTS }, (_, i) => `web${String(i + 1).padStart(2, '0')}.example`);
    const runs = hosts.map((host) => {
      const dir = scratchPath(w, `host-${host}`);
      const log = scratchPath(w, `host-${host}.log`);
      const child = startProcess(host, process.execPath, [HOST_SCRIPT, host, dir, `s3://${BUCKET}/fleet20`], { logFile: log, env });
      return { host, dir, log, child };
    });
    for (const run of runs) {
      assert.deepEqual(await run.child.exited, { code: 0, signal: null }, `${run.host}: ${readFileSync(run.log, 'utf8')}`);
      // Nothing on stderr: in particular no warning from the SDK about Node versions.
      assert.equal(readFileSync(run.log, 'utf8'), '', run.host);
    }
    const uploaded: HostResult[] = runs.flatMap((run) => JSON.parse(readFileSync(join(run.dir, 'results.json'), 'utf8')) as HostResult[]);
    assert.equal(uploaded.length, HOSTS * 3);
    for (const { name, result } of uploaded) assert.ok(result.ok && !result.existed, `${name}: ${JSON.stringify(result)}`);
    const names = uploaded.map((u) => `fleet20/${u.name}`).sort();
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(await keysUnder(w, 'fleet20/'), names);
    for (const { file, name } of uploaded) assert.equal(await contentMd5(w, `fleet20/${name}`), md5(file), name);
  });
}
