// MD5 digests of a local file, read once: of the whole file and, for an S3 multipart
// upload, of each part. MD5 because it is what S3 servers check (Content-MD5) and what
// they return as ETag; it guards against corruption and changes, not against an attacker.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

export interface FileDigest {
  readonly bytes: number;
  readonly md5: Buffer;
  /** MD5 of each `partSize` slice, when the file is larger than one part. */
  readonly parts: readonly Buffer[] | null;
}

const CHUNK = 1024 * 1024;

/** Digests an open file from its start (positional reads: the handle's offset stays). */
export async function digestHandle(handle: FileHandle, partSize: number | null = null): Promise<FileDigest> {
  const whole = createHash('md5');
  const parts: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  let bytes = 0;
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    const want = partSize === null ? CHUNK : Math.min(CHUNK, partSize - inPart);
    const { bytesRead } = await handle.read(buffer, 0, want, bytes);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    whole.update(chunk);
    part.update(chunk);
    bytes += bytesRead;
    inPart += bytesRead;
    if (partSize !== null && inPart === partSize) {
      parts.push(part.digest());
      part = createHash('md5');
      inPart = 0;
    }
  }
  if (inPart > 0) parts.push(part.digest());
  return { bytes, md5: whole.digest(), parts: partSize !== null && bytes > partSize ? parts : null };
}

export async function digestFile(path: string): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    return await digestHandle(handle);
  } finally {
    await handle.close();
  }
}

/** The ETag S3 gives the object: the MD5 of the content, or for a multipart upload the
 * MD5 of the parts' MD5s followed by `-` and the number of parts. */
export function expectedEtag(digest: FileDigest): string {
  if (digest.parts === null) return digest.md5.toString('hex');
  return `${createHash('md5').update(Buffer.concat(digest.parts)).digest('hex')}-${digest.parts.length}`;
}

export function describeDigest(digest: FileDigest): string {
  return digest.parts === null ? `md5:${digest.md5.toString('hex')}` : `etag:${expectedEtag(digest)}`;
}
