// 20 hosts archive into one bucket at once: 20 logrotor runs, each in namespaces of its
// own (unshare: its own host name; its own log directory bind-mounted on one shared path),
// so that every host has the same logs at the same paths, rotated in the same second, and
// only the host name can tell their objects apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { startProcess } from '../servers/process.js';
import { BUCKET, keysUnder, scratchPath, type S3World } from './s3-world.js';

const HOSTS = 20;
const LOGS = ['app.log', 'nginx/access.log', 'nginx/error.log'];

export function fleetCases(world: () => S3World): void {
  test('s3: 20 hosts (own host names and state) archive the same logs into one bucket at once: no name collides, every object verified', { timeout: 300_000 }, async () => {
    const w = world();
    const shared = scratchPath(w, 'fleet-var-log');
    mkdirSync(shared);
    const config = scratchPath(w, 'fleet-config');
    const credentials = scratchPath(w, 'fleet-credentials');
    writeFileSync(config, `[default]\nregion = us-east-1\nendpoint_url = ${w.gateway.endpoint}\n`);
    writeFileSync(credentials, `[default]\naws_access_key_id = ${w.archiver.accessKeyId}\naws_secret_access_key = ${w.archiver.secretAccessKey}\n`);
    // Only the shared files: no AWS_* keys in the hosts' environment.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: '/nonexistent', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
    const conf = scratchPath(w, 'fleet.conf');
    writeFileSync(conf, `${LOGS.map((log) => join(shared, log)).join(' ')} {\n  size 1\n  rotate 2\n  compress\n  archive s3://${BUCKET}/fleet20\n}\n`, { mode: 0o644 });
    const hosts = Array.from({ length: HOSTS }, (_, i) => `web${String(i + 1).padStart(2, '0')}.example`);
    const runs = hosts.map((host) => {
      const dir = scratchPath(w, `host-${host}`);
      mkdirSync(join(dir, 'var-log', 'nginx'), { recursive: true });
      for (const log of LOGS) writeFileSync(join(dir, 'var-log', log), `${host} ${log}\n`.repeat(1000));
      const output = scratchPath(w, `host-${host}.out`);
      // The host's logs appear at the shared path in its mount namespace only.
      const script = 'mount --bind "$1" "$2" && hostname "$3" && shift 3 && exec "$@"';
      const args = ['--mount', '--uts', '--propagation', 'private', 'sh', '-c', script, 'sh', join(dir, 'var-log'), shared, host, process.execPath, LOGROTOR_CLI, '-s', join(dir, 'state'), conf];
      return { host, dir, output, child: startProcess(host, 'unshare', args, { logFile: output, env }) };
    });
    for (const run of runs) {
      // Exit 0 and nothing printed: in particular no warning from the SDK about Node versions.
      assert.deepEqual(await run.child.exited, { code: 0, signal: null }, `${run.host}: ${readFileSync(run.output, 'utf8')}`);
      assert.equal(readFileSync(run.output, 'utf8'), '', run.host);
    }
    const keys = await keysUnder(w, 'fleet20/');
    assert.equal(keys.length, HOSTS * LOGS.length, keys.join('\n'));
    for (const host of hosts) {
      for (const log of LOGS) {
        const own = keys.filter((key) => key.startsWith(`fleet20/${host}${shared}/${log}-`));
        assert.equal(own.length, 1, `${host} ${log}: ${own.join(' ')}`);
        const object = await w.inspect.send(new GetObjectCommand({ Bucket: BUCKET, Key: own[0] }));
        const body = Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
        assert.equal(gunzipSync(body).toString(), `${host} ${log}\n`.repeat(1000), own[0]);
      }
    }
  });
}
