// S3 uploads that cannot succeed, each with one clear error and nothing claimed that is
// not on the server; and the SDK's own chain for endpoint, region and credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startProcess } from '../servers/process.js';
import { md5, transportFor } from './files.js';
import { BUCKET, contentMd5, etagOf, openUploads, scratchPath, uploadBegun, useEnvironment, userEnvironment, type S3World } from './s3-world.js';

const MiB = 1024 * 1024;
const UPLOAD_ONE = fileURLToPath(new URL('./upload-one.js', import.meta.url));
const NAME = 'web01/var/log/app.log-20261202T031500Z.gz';

export function failureCases(world: () => S3World): void {
  test('s3: the gateway killed during a multipart upload: a clear failure, nothing there; started again, the upload succeeds', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.bigFile('restart.log.1', 96 * MiB);
    const name = 'web01/var/log/restart.log-20261202T031500Z';
    const t = await transportFor(`s3://${BUCKET}`);
    const pending = t.upload(file, name);
    // Kill it once the multipart upload exists on the server: the transfer is under way.
    await uploadBegun(w, name);
    await w.gateway.killGateway();
    const failed = await pending;
    assert.equal(failed.ok, false);
    if (!failed.ok) {
      assert.equal(failed.kind, 'unreachable', failed.error);
      assert.match(failed.error, /^s3:\/\/fleet-logs\/web01\/var\/log\/restart\.log-20261202T031500Z: cannot reach the S3 endpoint \(/);
    }
    await w.gateway.startGateway();
    assert.equal(await etagOf(w, name), null);
    const retried = await t.upload(file, name);
    assert.ok(retried.ok && !retried.existed, JSON.stringify(retried));
    assert.equal(await contentMd5(w, name), md5(file));
    t.close();
  });

  test('s3: the uploading process killed (-9) mid-upload: nothing visible; the upload again writes the same name', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.bigFile('crash.log.1', 96 * MiB);
    const name = 'web01/var/log/crash.log-20261202T031500Z';
    const uploader = startProcess('uploader', process.execPath, [UPLOAD_ONE, file, name, `s3://${BUCKET}`], { logFile: scratchPath(w, 'uploader.log') });
    await uploadBegun(w, name);
    process.kill(uploader.pid, 'SIGKILL');
    assert.deepEqual(await uploader.exited, { code: null, signal: 'SIGKILL' });
    assert.equal(await etagOf(w, name), null);
    const t = await transportFor(`s3://${BUCKET}`);
    assert.deepEqual(await t.check(file, name), { ok: true, remote: `s3://${BUCKET}/${name}`, state: 'absent' });
    const again = await t.upload(file, name);
    assert.ok(again.ok && !again.existed, JSON.stringify(again));
    assert.equal(await contentMd5(w, name), md5(file));
    assert.deepEqual(await t.check(file, name), { ok: true, remote: `s3://${BUCKET}/${name}`, state: 'same' });
    // The killed upload's parts stay on the server until aborted: the bucket lifecycle rule
    // AbortIncompleteMultipartUpload (docs/archive.md) is what removes them.
    assert.deepEqual(await openUploads(w, name), [name]);
    t.close();
  });

  test('s3: a bucket that does not exist', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.compressedLog('nobucket.log.1.gz', 10);
    const t = await transportFor('s3://no-such-bucket/x');
    assert.deepEqual(await t.upload(file, NAME), {
      ok: false,
      kind: 'missing',
      error: `s3://no-such-bucket/x/${NAME}: bucket 'no-such-bucket' does not exist (create it, or correct the archive URL)`,
    });
    t.close();
  });

  test('s3: a user without rights to the bucket, and keys the server does not know', async () => {
    const w = world();
    const file = w.files.compressedLog('denied.log.1.gz', 10);
    useEnvironment(userEnvironment(w, w.outsider));
    const outsider = await transportFor(`s3://${BUCKET}`);
    assert.deepEqual(await outsider.upload(file, NAME), {
      ok: false,
      kind: 'denied',
      error: `s3://${BUCKET}/${NAME}: access denied (AccessDenied): these credentials may not use bucket '${BUCKET}'`,
    });
    outsider.close();
    useEnvironment({ ...userEnvironment(w, w.outsider), AWS_ACCESS_KEY_ID: 'AKNOBODY' });
    const stranger = await transportFor(`s3://${BUCKET}`);
    assert.deepEqual(await stranger.upload(file, NAME), {
      ok: false,
      kind: 'denied',
      error: `s3://${BUCKET}/${NAME}: the server does not know this access key (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID or the profile`,
    });
    stranger.close();
    assert.equal(await etagOf(w, NAME), null);
  });

  test('s3: no credentials anywhere in the chain, and no region', async () => {
    const w = world();
    const file = w.files.compressedLog('nocreds.log.1.gz', 10);
    useEnvironment({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: w.gateway.endpoint, AWS_EC2_METADATA_DISABLED: 'true' });
    const t = await transportFor(`s3://${BUCKET}`);
    assert.deepEqual(await t.upload(file, NAME), {
      ok: false,
      kind: 'setup',
      error: `s3://${BUCKET}/${NAME}: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials (AWS_PROFILE)`,
    });
    t.close();
    useEnvironment({ ...userEnvironment(w, w.archiver), AWS_REGION: undefined });
    const noRegion = await transportFor(`s3://${BUCKET}`);
    assert.deepEqual(await noRegion.upload(file, NAME), {
      ok: false,
      kind: 'setup',
      error: `s3://${BUCKET}/${NAME}: no S3 region: set AWS_REGION (any name for a server that is not AWS) or region in ~/.aws/config`,
    });
    noRegion.close();
  });

  test('s3: endpoint, region and keys from the shared config files; localhost gets path-style addressing', async () => {
    const w = world();
    const file = w.files.compressedLog('profile.log.1.gz', 500);
    const port = new URL(w.gateway.endpoint).port;
    const config = scratchPath(w, 'aws-config');
    const credentials = scratchPath(w, 'aws-credentials');
    writeFileSync(config, `[profile archive]\nregion = us-east-1\nendpoint_url = http://localhost:${port}\n`);
    writeFileSync(credentials, `[archive]\naws_access_key_id = ${w.archiver.accessKeyId}\naws_secret_access_key = ${w.archiver.secretAccessKey}\n`);
    useEnvironment({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_PROFILE: 'archive' });
    const name = 'web01/var/log/profile.log-20261202T031500Z.gz';
    const t = await transportFor(`s3://${BUCKET}/profiles`);
    const result = await t.upload(file, name);
    assert.deepEqual(result, { ok: true, remote: `s3://${BUCKET}/profiles/${name}`, bytes: statSync(file).size, digest: `md5:${md5(file)}`, existed: false });
    t.close();
  });

  // Which endpoints get path-style without asking is checked in s3-unit.test.ts; no portable
  // host name resolves to 127.0.0.1 yet is neither an IP address nor localhost.
  test('s3: an URL with ?path-style uploads under its prefix', async () => {
    const w = world();
    const file = w.files.compressedLog('pathstyle.log.1.gz', 50);
    const port = new URL(w.gateway.endpoint).port;
    useEnvironment(userEnvironment(w, w.archiver, `http://localhost:${port}`));
    const t = await transportFor(`s3://${BUCKET}/explicit?path-style`);
    const result = await t.upload(file, NAME);
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(await etagOf(w, `explicit/${NAME}`), md5(file));
    t.close();
  });
}
