// What every archive destination offers, so that the executor archives a rotated file as
// one effect whatever the URL. The destinations: s3.ts, rsync.ts, local.ts; open.ts picks one;
// remote.ts says where a name ends up without opening anything.

/** Why an archive step failed: retries, messages and metrics go by it. */
export type FailureKind =
  /** Server down, connection dropped, timeout, a 5xx: try again later. */
  | 'unreachable'
  /** Nothing to authenticate with (no S3 keys or region; rsync not installed). */
  | 'setup'
  /** Keys or ssh key refused, or no right to write there. */
  | 'denied'
  /** The bucket, rsync module or archive directory does not exist (not mounted?). */
  | 'missing'
  /** The rsync target refuses the transfer (read-only module, …). */
  | 'refused'
  /** The name already holds other content. Never overwritten: a name is one rotation's. */
  | 'conflict'
  /** What arrived is not the local file (it changed while it was read). Nothing is left
   * under the name. */
  | 'mismatch'
  /** The local file cannot be read. */
  | 'local'
  | 'failed';

export interface ArchiveFailure {
  readonly ok: false;
  readonly kind: FailureKind;
  /** One line: the remote URL, what went wrong and, where it helps, what to fix. */
  readonly error: string;
}

export interface Archived {
  readonly ok: true;
  readonly remote: string;
  readonly bytes: number;
  /** What was verified: `md5:HEX` of the file, or an S3 multipart `etag:HEX-PARTS`. */
  readonly digest: string;
  /** The name already held this content (an upload repeated after a crash): nothing was sent. */
  readonly existed: boolean;
}

export interface Presence {
  readonly ok: true;
  readonly remote: string;
  readonly state: 'absent' | 'same' | 'different';
}

export interface Transport {
  /** Whether `name` holds exactly `file`'s content now. Reads both; changes nothing.
   * For recovery: a queued upload whose name is already `same` was done before a crash. */
  check(file: string, name: string): Promise<Presence | ArchiveFailure>;
  /** Copies `file` to `name` and verifies that the remote holds exactly `file`'s content;
   * `ok` only then. Idempotent: when `name` already holds the content nothing is sent
   * (`existed`); when it holds other content the upload is refused (`conflict`). A
   * half-done upload is never visible under `name`. */
  upload(file: string, name: string): Promise<Archived | ArchiveFailure>;
  /** Frees connections. */
  close(): void;
}

export function failure(kind: FailureKind, error: string): ArchiveFailure {
  return { ok: false, kind, error };
}
