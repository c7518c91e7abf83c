// The benchmark's own look at the gateway, through the SDK and not through logrotor's
// transport: what landed under a prefix (checked against the local files), and the
// gateway's own speed for the same objects (the yardstick of the archive rows).
import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3User } from '../test/servers/ceph.js';

const MiB = 1024 * 1024;
/** As logrotor's S3 transport uploads a file of up to 78 GiB: 8 MiB parts, four in flight. */
export const PART_SIZE = 8 * MiB;
const PARTS_IN_FLIGHT = 4;

export interface StoredObject {
  readonly key: string;
  readonly etag: string;
  readonly bytes: number;
}

export class Bucket {
  private readonly client: S3Client;

  constructor(
    endpoint: string,
    user: S3User,
    readonly name: string,
  ) {
    this.client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: user, requestChecksumCalculation: 'WHEN_REQUIRED' });
  }

  /** Creates the bucket; its first object makes radosgw create its data pool, which is
   * part of starting the gateway, not of any run. */
  async create(): Promise<void> {
    await this.client.send(new CreateBucketCommand({ Bucket: this.name }));
    await this.client.send(new PutObjectCommand({ Bucket: this.name, Key: 'warm-up', Body: 'x' }));
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name, Key: 'warm-up' }));
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.name, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) found.push({ key: o.Key ?? '', etag: (o.ETag ?? '').replaceAll('"', ''), bytes: o.Size ?? -1 });
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return found;
  }

  /** The object's bytes `[start, start + length)`, read back from the gateway. */
  async read(key: string, start = 0, length?: number): Promise<Buffer> {
    const Range = length === undefined ? undefined : `bytes=${start}-${start + length - 1}`;
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key, Range }));
    const chunks: Buffer[] = [];
    for await (const chunk of out.Body as Readable) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name, Key: key }));
  }

  /** PUTs every body, `inFlight` at a time; resolves to the milliseconds that took. */
  async putAll(keyOf: (i: number) => string, bodies: readonly Buffer[], inFlight: number): Promise<number> {
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < bodies.length; i = next++) await this.client.send(new PutObjectCommand({ Bucket: this.name, Key: keyOf(i), Body: bodies[i] }));
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return Number(process.hrtime.bigint() - started) / 1e6;
  }

  /** Uploads a file as logrotor's transport does (multipart above one part); milliseconds. */
  async upload(key: string, file: string, bytes: number): Promise<number> {
    const started = process.hrtime.bigint();
    const body = createReadStream(file, { highWaterMark: MiB });
    try {
      await new Upload({ client: this.client, params: { Bucket: this.name, Key: key, Body: body, ContentLength: bytes }, partSize: PART_SIZE, queueSize: PARTS_IN_FLIGHT }).done();
    } finally {
      body.destroy();
    }
    return Number(process.hrtime.bigint() - started) / 1e6;
  }

  close(): void {
    this.client.destroy();
  }
}

export function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** The ETag S3 gives `file` uploaded in parts of PART_SIZE (one PUT when it fits in one):
 * the MD5 of the parts' MD5s and the number of parts. Worked out here, apart from
 * logrotor's own digest code, so that the bench does not check logrotor against itself. */
export function expectedEtag(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const parts: Buffer[] = [];
    const buffer = Buffer.allocUnsafe(PART_SIZE);
    for (let at = 0; ; ) {
      let filled = 0;
      for (let n = -1; n !== 0 && filled < PART_SIZE; filled += n) n = readSync(fd, buffer, filled, PART_SIZE - filled, at + filled);
      if (filled === 0) break;
      parts.push(createHash('md5').update(buffer.subarray(0, filled)).digest());
      at += filled;
    }
    if (parts.length <= 1) return (parts[0] ?? createHash('md5').digest()).toString('hex');
    return `${md5(Buffer.concat(parts))}-${parts.length}`;
  } finally {
    closeSync(fd);
  }
}
