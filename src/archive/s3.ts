// Archiving to S3-compatible object storage through the AWS SDK for JavaScript v3.
// Imported only by open.ts, on demand: a run that does not archive to S3 never loads it.
//
// Verification. The file is digested first (MD5 of the whole file, and of each part when
// it is uploaded in parts). Every PUT and every part carries the Content-MD5 of those
// bytes as they were digested, so the server refuses (BadDigest) bytes that differ:
// a file that changed after it was digested never lands. Then the ETag the server
// reports for the finished object (the MD5, or for a multipart upload the MD5 of the
// part MD5s and `-N`) must equal the one computed from the digest, or else the content
// read back must (an ETag that is no MD5: SSE-KMS); if neither, the object is deleted. The SDK's newer x-amz-checksum-* headers are not used:
// radosgw accepts them without checking them, and its streaming form is refused.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { strerror } from '../strerror.js';
import { describeDigest, digestHandle, expectedEtag, type FileDigest } from './digest.js';
import { remoteUrl, underPrefix } from './remote.js';
import { s3Failure } from './s3-errors.js';
import type { ArchiveTarget } from './target.js';
import { failure, type ArchiveFailure, type Archived, type Presence, type Transport } from './transport.js';

type S3Target = Extract<ArchiveTarget, { kind: 's3' }>;

const MiB = 1024 * 1024;
/** Parts of 8 MiB, four in flight: 32 MiB of buffers per upload. */
const PART_SIZE = 8 * MiB;
const PARTS_IN_FLIGHT = 4;
const MAX_PARTS = 10_000;

/** The part size for a file of `bytes`: 8 MiB, or the whole MiB that keeps a file of up
 * to S3's 5 TiB within 10,000 parts. Fixed by the size alone, so the ETag can be computed. */
export function partSizeFor(bytes: number): number {
  return Math.max(PART_SIZE, Math.ceil(bytes / MAX_PARTS / MiB) * MiB);
}

/** Path-style addressing (`http://host/bucket/key`): asked for with `?path-style`, or an
 * endpoint whose host cannot carry the bucket as a subdomain (an IP address, localhost). */
export function usePathStyle(target: S3Target, endpoint: string | undefined): boolean {
  if (target.pathStyle) return true;
  if (endpoint === undefined) return false;
  try {
    const host = new URL(endpoint).hostname.replace(/^\[(.*)\]$/, '$1');
    return host === 'localhost' || host.endsWith('.localhost') || isIP(host) !== 0;
  } catch {
    return false;
  }
}

function newClient(forcePathStyle: boolean): S3Client {
  // Under Node 20 the SDK warns at every start that its releases after January 2027 need
  // Node 22; package.json pins releases that run on 20, so the warning would only be noise.
  const key = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const saved = process.env[key];
  process.env[key] = 'true';
  try {
    return new S3Client({
      forcePathStyle,
      followRegionRedirects: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    });
  } finally {
    if (saved === undefined) delete process.env[key];
    else process.env[key] = saved;
  }
}

/** Raised from the request pipeline when the bytes about to be sent are not the ones digested. */
class FileChanged extends Error {}

function partLength(digest: FileDigest, partSize: number, part: number): number {
  const count = digest.parts?.length ?? 1;
  return part < count ? partSize : digest.bytes - partSize * (count - 1);
}

/** Puts Content-MD5 on every PUT and part of an upload in `inflight` (keyed by object key). */
function addContentMd5(client: S3Client, inflight: ReadonlyMap<string, FileDigest>): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: unknown; PartNumber?: unknown; Body?: unknown };
      const digest = typeof input.Key === 'string' ? inflight.get(input.Key) : undefined;
      const request = args.request as { headers?: Record<string, string> };
      const isPart = context.commandName === 'UploadPartCommand';
      if (digest !== undefined && request.headers !== undefined && (isPart || context.commandName === 'PutObjectCommand')) {
        const part = isPart ? Number(input.PartNumber) : 1;
        const md5 = isPart ? digest.parts?.[part - 1] : digest.md5;
        const length = input.Body instanceof Uint8Array ? input.Body.byteLength : -1;
        if (md5 === undefined || length !== partLength(digest, partSizeFor(digest.bytes), part)) throw new FileChanged();
        request.headers['content-md5'] = md5.toString('base64');
      }
      return next(args);
    },
    { step: 'build', name: 'logrotorContentMd5' },
  );
}

export async function openS3(target: S3Target): Promise<Transport> {
  let client = newClient(target.pathStyle);
  if (!target.pathStyle && usePathStyle(target, await client.config.serviceConfiguredEndpoint?.())) {
    client.destroy();
    client = newClient(true);
  }
  const inflight = new Map<string, FileDigest>();
  /** Keys being uploaded: a second upload of the same name waits for no one, it fails. */
  const busy = new Set<string>();
  addContentMd5(client, inflight);
  const keyOf = (name: string): string => underPrefix(target.prefix, name);

  /** The object's ETag (quotes removed) and size, or null when there is none. */
  async function head(key: string): Promise<{ etag: string; bytes: number } | null> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
      return { etag: (out.ETag ?? '').replaceAll('"', ''), bytes: out.ContentLength ?? -1 };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return null;
      // A HEAD's error has no body, hence no code: a ranged GET gets the server to say
      // why (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, …).
      if (status === 403) {
        const out = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key, Range: 'bytes=0-0' }));
        (out.Body as Readable | undefined)?.destroy();
      }
      throw error;
    }
  }

  /** MD5 of the object's content, read back: for an ETag made with other part sizes, or
   * one that is not an MD5 at all. */
  async function readBackMd5(key: string): Promise<Buffer> {
    const out = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    const hash = createHash('md5');
    for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
    return hash.digest();
  }

  async function compare(key: string, digest: FileDigest): Promise<Presence['state']> {
    const there = await head(key);
    if (there === null) return 'absent';
    if (there.etag === expectedEtag(digest)) return 'same';
    if (there.bytes !== digest.bytes) return 'different';
    return (await readBackMd5(key)).equals(digest.md5) ? 'same' : 'different';
  }

  async function withFile<T>(file: string, use: (handle: FileHandle, digest: FileDigest) => Promise<T | ArchiveFailure>): Promise<T | ArchiveFailure> {
    let handle: FileHandle;
    let digest: FileDigest;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      return failure('local', `${file}: ${strerror(error)}`);
    }
    try {
      try {
        digest = await digestHandle(handle, partSizeFor((await handle.stat()).size));
      } catch (error) {
        return failure('local', `${file}: ${strerror(error)}`);
      }
      return await use(handle, digest);
    } finally {
      await handle.close();
    }
  }

  async function check(file: string, name: string): Promise<Presence | ArchiveFailure> {
    return withFile(file, async (_handle, digest) => {
      try {
        return { ok: true as const, remote: remoteUrl(target, name), state: await compare(keyOf(name), digest) };
      } catch (error) {
        return s3Failure(remoteUrl(target, name), target.bucket, error);
      }
    });
  }

  async function send(handle: FileHandle, key: string, digest: FileDigest): Promise<void> {
    const body = handle.createReadStream({ start: 0, autoClose: false, highWaterMark: MiB });
    inflight.set(key, digest);
    try {
      const upload = new Upload({
        client,
        params: { Bucket: target.bucket, Key: key, Body: body, ContentLength: digest.bytes },
        partSize: partSizeFor(digest.bytes),
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      });
      await upload.done();
    } finally {
      inflight.delete(key);
      body.destroy();
    }
  }

  /** Sends the digested file unless the key already holds it; then checks what the
   * server holds (not what the upload's last response said). */
  async function put(file: string, name: string, handle: FileHandle, digest: FileDigest): Promise<Archived | ArchiveFailure> {
    const key = keyOf(name);
    const remote = remoteUrl(target, name);
    const done = { ok: true as const, remote, bytes: digest.bytes, digest: describeDigest(digest) };
    try {
      const state = await compare(key, digest);
      if (state === 'same') return { ...done, existed: true };
      if (state === 'different') return failure('conflict', `${remote}: already exists with other content; not overwritten`);
      await send(handle, key, digest);
      const stored = await head(key);
      if (stored === null) return failure('failed', `${remote}: not there after the upload`);
      // An ETag that is not the MD5 (SSE-KMS, SSE-C): the content itself is compared.
      const same = stored.bytes === digest.bytes && (stored.etag === expectedEtag(digest) || (await readBackMd5(key)).equals(digest.md5));
      if (same) return { ...done, existed: false };
      await client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
      const got = `ETag ${stored.etag}, ${stored.bytes} bytes`;
      return failure('mismatch', `${remote}: the server holds ${got}; ${file} gives ${expectedEtag(digest)}, ${digest.bytes} bytes; the object was deleted`);
    } catch (error) {
      if (error instanceof FileChanged) return failure('mismatch', `${remote}: ${file} changed while it was uploaded; nothing kept`);
      return s3Failure(remote, target.bucket, error);
    }
  }

  async function upload(file: string, name: string): Promise<Archived | ArchiveFailure> {
    const key = keyOf(name);
    if (busy.has(key)) return failure('failed', `${remoteUrl(target, name)}: already being uploaded`);
    busy.add(key);
    try {
      return await withFile(file, (handle, digest) => put(file, name, handle, digest));
    } finally {
      busy.delete(key);
    }
  }

  return { check, upload, close: () => client.destroy() };
}
