// What the S3 tests share: one RADOS Gateway for the whole file (a cluster takes seconds
// to start), two radosgw users, a bucket, and a client of the test's own to look at what
// the transport left on the server.
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { startRadosGateway, type RadosGateway, type S3User } from '../servers/ceph.js';
import { scratch, type Scratch } from './files.js';

export const BUCKET = 'fleet-logs';

export interface S3World {
  readonly gateway: RadosGateway;
  readonly archiver: S3User;
  /** A second radosgw user: valid keys, no rights to the archiver's bucket. */
  readonly outsider: S3User;
  readonly files: Scratch;
  /** The test's own client (as the archiver), to inspect the bucket. */
  readonly inspect: S3Client;
}

/** The archiving process's environment, as the SDK's standard chain reads it: nothing
 * from the developer's ~/.aws, only what the test sets. */
export function useEnvironment(vars: Readonly<Record<string, string | undefined>>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/aws-credentials';
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

export function userEnvironment(world: S3World, user: S3User, endpoint = world.gateway.endpoint): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: endpoint };
}

export async function startS3World(): Promise<S3World> {
  // For the test's own client; the transport keeps the SDK quiet by itself (the fleet
  // test checks that in processes of its own).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const gateway = await startRadosGateway();
  try {
    const archiver = await gateway.createUser('archiver');
    const outsider = await gateway.createUser('outsider');
    const inspect = new S3Client({ region: 'us-east-1', endpoint: gateway.endpoint, forcePathStyle: true, credentials: archiver, requestChecksumCalculation: 'WHEN_REQUIRED' });
    await inspect.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // The first object makes radosgw create its data pool: part of starting, not of a test.
    await inspect.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'warm-up', Body: 'x' }));
    await inspect.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'warm-up' }));
    return { gateway, archiver, outsider, files: scratch(), inspect };
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}

export async function stopS3World(world: S3World | undefined): Promise<void> {
  world?.inspect.destroy();
  world?.files.remove();
  await world?.gateway.stop();
}

/** The object's ETag without quotes, or null when there is none. */
export async function etagOf(world: S3World, key: string): Promise<string | null> {
  try {
    return ((await world.inspect.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ETag ?? '').replaceAll('"', '');
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
    throw error;
  }
}

/** MD5 (hex) of the object's content, read back from the server. */
export async function contentMd5(world: S3World, key: string): Promise<string> {
  const out = await world.inspect.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const hash = createHash('md5');
  for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function keysUnder(world: S3World, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await world.inspect.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys.sort();
}

/** Multipart uploads begun and neither completed nor aborted, under `prefix`. */
export async function openUploads(world: S3World, prefix: string): Promise<string[]> {
  const out = await world.inspect.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Uploads ?? []).map((u) => u.Key ?? '');
}

/** Resolves once a multipart upload of `key` has begun on the server. */
export async function uploadBegun(world: S3World, key: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await openUploads(world, key)).length === 0) {
    if (Date.now() > deadline) throw new Error(`the multipart upload of ${key} never began`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function scratchPath(world: S3World, name: string): string {
  return join(world.files.dir, name);
}
