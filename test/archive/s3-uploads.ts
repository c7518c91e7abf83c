// S3 uploads that succeed, or are refused for what is on the server: verified single and
// multipart uploads, idempotence, conflicts, and a file that changes under the upload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync, statSync } from 'node:fs';
import { keepChanging, md5, transportFor } from './files.js';
import { BUCKET, contentMd5, etagOf, openUploads, useEnvironment, userEnvironment, type S3World } from './s3-world.js';

const MiB = 1024 * 1024;

export function uploadCases(world: () => S3World): void {
  test('s3: a compressed rotation is uploaded with Content-MD5 and its ETag checked; again, nothing is sent', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.compressedLog('access.log.1.gz', 20_000);
    const t = await transportFor(`s3://${BUCKET}/fleet`);
    const name = 'web01/var/log/nginx/access.log-20261202T031500Z.gz';
    const key = `fleet/${name}`;
    const done = { ok: true, remote: `s3://${BUCKET}/${key}`, bytes: statSync(file).size, digest: `md5:${md5(file)}` };
    assert.deepEqual(await t.check(file, name), { ok: true, remote: done.remote, state: 'absent' });
    assert.deepEqual(await t.upload(file, name), { ...done, existed: false });
    assert.equal(await etagOf(w, key), md5(file));
    assert.equal(await contentMd5(w, key), md5(file));
    assert.deepEqual(await t.upload(file, name), { ...done, existed: true });
    assert.deepEqual(await t.check(file, name), { ok: true, remote: done.remote, state: 'same' });
    t.close();
  });

  test('s3: a 72 MiB file goes up in 9 verified parts; the ETag is the MD5 of the part MD5s', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.bigFile('big.log.1', 72 * MiB);
    const t = await transportFor(`s3://${BUCKET}`);
    const name = 'web01/var/log/big.log-20261202T031500Z';
    const result = await t.upload(file, name);
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.match(result.digest, /^etag:[0-9a-f]{32}-9$/);
    assert.equal(`etag:${await etagOf(w, name)}`, result.digest);
    assert.equal(await contentMd5(w, name), md5(file));
    assert.deepEqual(await t.check(file, name), { ok: true, remote: `s3://${BUCKET}/${name}`, state: 'same' });
    t.close();
  });

  test('s3: a file that changes under a multipart upload is refused by the server (BadDigest); nothing is left', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.bigFile('changing.log.1', 72 * MiB);
    const writer = await keepChanging(file, 40 * MiB, w.files.dir);
    const name = 'web01/var/log/changing.log-20261202T031500Z';
    const t = await transportFor(`s3://${BUCKET}`);
    try {
      assert.deepEqual(await t.upload(file, name), {
        ok: false,
        kind: 'mismatch',
        error: `s3://${BUCKET}/${name}: the server received other bytes than were read before (BadDigest): the file changed while it was uploaded; nothing kept`,
      });
      assert.equal(await etagOf(w, name), null);
      assert.deepEqual(await openUploads(w, name), []);
    } finally {
      await writer.stop();
      t.close();
    }
  });

  test('s3: a name that holds other content is refused and left alone', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.compressedLog('taken.log.1.gz', 100);
    const name = 'web01/var/log/taken.log-20261202T031500Z.gz';
    await w.inspect.send(new PutObjectCommand({ Bucket: BUCKET, Key: name, Body: 'another rotation\n' }));
    const before = await etagOf(w, name);
    const t = await transportFor(`s3://${BUCKET}`);
    assert.deepEqual(await t.check(file, name), { ok: true, remote: `s3://${BUCKET}/${name}`, state: 'different' });
    assert.deepEqual(await t.upload(file, name), { ok: false, kind: 'conflict', error: `s3://${BUCKET}/${name}: already exists with other content; not overwritten` });
    assert.equal(await etagOf(w, name), before);
    t.close();
  });

  test('s3: the same content uploaded before with other part sizes counts as there (read back)', async () => {
    const w = world();
    useEnvironment(userEnvironment(w, w.archiver));
    const file = w.files.bigFile('parts.log.1', 12 * MiB);
    const name = 'web01/var/log/parts.log-20261202T031500Z';
    // A single PUT: the ETag is the plain MD5, not the 2-part ETag the transport computes.
    await w.inspect.send(new PutObjectCommand({ Bucket: BUCKET, Key: name, Body: readFileSync(file) }));
    const t = await transportFor(`s3://${BUCKET}`);
    assert.deepEqual(await t.check(file, name), { ok: true, remote: `s3://${BUCKET}/${name}`, state: 'same' });
    const result = await t.upload(file, name);
    assert.ok(result.ok && result.existed, JSON.stringify(result));
    t.close();
  });
}
