// The AWS SDK's errors as one clear line each. S3 servers (radosgw among them) often send
// no message, and a HEAD's error has no body at all, so the code and the HTTP status decide.
import { failure, type ArchiveFailure } from './transport.js';

interface SdkError {
  readonly name: string;
  readonly message: string;
  readonly code: string;
  readonly status: number | null;
}

function fields(error: unknown): SdkError {
  if (typeof error !== 'object' || error === null) return { name: '', message: String(error), code: '', status: null };
  const e = error as { name?: unknown; message?: unknown; code?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode;
  return {
    name: typeof e.name === 'string' ? e.name : '',
    message: typeof e.message === 'string' ? e.message : '',
    code: typeof e.Code === 'string' ? e.Code : typeof e.code === 'string' ? e.code : '',
    status: typeof status === 'number' ? status : null,
  };
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** `remote`: the s3:// URL of the object; `bucket` for the missing-bucket message. */
export function s3Failure(remote: string, bucket: string, error: unknown): ArchiveFailure {
  const e = fields(error);
  const code = e.code !== '' ? e.code : e.name;
  const own = e.message !== '' && e.message !== 'UnknownError' ? e.message : code;
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/.test(e.message)) {
    return failure('setup', `${remote}: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials (AWS_PROFILE)`);
  }
  if (/Region is missing/.test(e.message)) {
    return failure('setup', `${remote}: no S3 region: set AWS_REGION (any name for a server that is not AWS) or region in ~/.aws/config`);
  }
  switch (code) {
    case 'NoSuchBucket':
      return failure('missing', `${remote}: bucket '${bucket}' does not exist (create it, or correct the archive URL)`);
    case 'InvalidAccessKeyId':
      return failure('denied', `${remote}: the server does not know this access key (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID or the profile`);
    case 'SignatureDoesNotMatch':
      return failure('denied', `${remote}: the secret key does not match the access key (SignatureDoesNotMatch)`);
    case 'BadDigest':
    case 'InvalidDigest':
      return failure('mismatch', `${remote}: the server received other bytes than were read before (${code}): the file changed while it was uploaded; nothing kept`);
  }
  if (e.status === 403 || code === 'AccessDenied') {
    return failure('denied', `${remote}: access denied (${code === 'Unknown' || code === '' ? 'HTTP 403' : code}): these credentials may not use bucket '${bucket}'`);
  }
  if (NETWORK.has(e.code) || e.name === 'TimeoutError' || /socket hang up|socket timed out/i.test(e.message)) {
    return failure('unreachable', `${remote}: cannot reach the S3 endpoint (${e.message || e.code})`);
  }
  if (e.status !== null && e.status >= 500) return failure('unreachable', `${remote}: the S3 server failed (HTTP ${e.status} ${own})`);
  if (/Expected \d+ part\(s\) but uploaded/.test(e.message)) {
    return failure('mismatch', `${remote}: the file changed size while it was uploaded; nothing kept`);
  }
  return failure('failed', `${remote}: ${own}${e.status === null ? '' : ` (HTTP ${e.status})`}`);
}
