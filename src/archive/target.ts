// Where `archive URL` sends rotated files: the URL as written, checked and taken apart.
// Pure: nothing here resolves hosts, reads credentials or touches the remote.

/** One archive destination. `url` is the text as written (for messages); paths and
 * prefixes are normalised: no leading or trailing `/`, no empty, `.` or `..` segment. */
export type ArchiveTarget =
  /** Credentials, region and endpoint come from the AWS SDK's own chain, never from here. */
  | { readonly kind: 's3'; readonly url: string; readonly bucket: string; readonly prefix: string; readonly pathStyle: boolean }
  /** An rsync daemon; a password comes from RSYNC_PASSWORD, as for the rsync command. */
  | { readonly kind: 'rsync'; readonly url: string; readonly host: string; readonly port: number | null; readonly user: string | null; readonly module: string; readonly path: string }
  /** rsync over ssh; `path` is relative to the remote user's home unless `absolute`. */
  | { readonly kind: 'ssh'; readonly url: string; readonly host: string; readonly user: string | null; readonly path: string; readonly absolute: boolean }
  /** A mounted directory (NFS, CIFS, …); absolute. */
  | { readonly kind: 'dir'; readonly url: string; readonly dir: string };

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const USAGE = 'use s3://BUCKET/PREFIX, rsync://HOST/MODULE/PATH, [USER@]HOST:PATH or an absolute directory';
const NO_CREDENTIALS = 'no credentials in config files';
// Characters a path segment may hold: what survives S3 keys, rsync and shells unquoted.
const SEGMENT = /^[A-Za-z0-9._=+@,-]+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
// [USER@]HOST:PATH, the form rsync and scp give to ssh.
const SSH_FORM = /^(?:([^@/:]+)@)?([^@/:[\]]+|\[[^\]]+\]):(.*)$/;

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** %XX decoded; a malformed escape stays as written (and is then refused as a '%'). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits a path into segments, refusing what could escape or alias a directory. */
function segments(path: string, what: string): Parsed<string> {
  const parts = path.split('/').filter((part, i, all) => part !== '' || (i !== 0 && i !== all.length - 1));
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') return fail(`${what} '${path}' has an empty, '.' or '..' component`);
    if (!SEGMENT.test(part)) return fail(`${what} '${path}' may only hold letters, digits and . _ = + @ , - between slashes`);
  }
  return { ok: true, value: parts.join('/') };
}

function parseS3(text: string, url: URL): Parsed<ArchiveTarget> {
  if (url.username !== '' || url.password !== '') {
    return fail(`${NO_CREDENTIALS}: give S3 keys through AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/credentials`);
  }
  if (url.port !== '') return fail('an S3 URL names a bucket, not a server: set the endpoint with AWS_ENDPOINT_URL_S3');
  const bucket = url.hostname;
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    return fail(`bucket '${bucket}' is not a valid bucket name (3 to 63 lower-case letters, digits, '.' and '-')`);
  }
  let pathStyle = false;
  for (const [key, value] of url.searchParams) {
    if (key !== 'path-style' || value !== '') return fail(`unknown option '${key}${value === '' ? '' : `=${value}`}' (an S3 URL takes only ?path-style)`);
    pathStyle = true;
  }
  const prefix = segments(decode(url.pathname), 'prefix');
  if (!prefix.ok) return prefix;
  return { ok: true, value: { kind: 's3', url: text, bucket, prefix: prefix.value, pathStyle } };
}

function parseRsync(text: string, url: URL): Parsed<ArchiveTarget> {
  if (url.password !== '') return fail(`${NO_CREDENTIALS}: give the rsync password through RSYNC_PASSWORD`);
  if (url.search !== '') return fail('an rsync URL takes no options');
  const host = url.hostname;
  if (host === '' || !HOST.test(host)) return fail(`'${host}' is not a host name`);
  const user = url.username === '' ? null : decode(url.username);
  if (user !== null && !USER.test(user)) return fail(`'${user}' is not a user name`);
  const path = segments(decode(url.pathname), 'path');
  if (!path.ok) return path;
  const [module, ...rest] = path.value.split('/');
  if (module === undefined || module === '') return fail('an rsync URL needs a module: rsync://HOST/MODULE/PATH');
  const port = url.port === '' ? null : Number(url.port);
  return { ok: true, value: { kind: 'rsync', url: text, host, port, user, module, path: rest.join('/') } };
}

function parseSsh(text: string): Parsed<ArchiveTarget> | null {
  const match = SSH_FORM.exec(text);
  if (match === null) return null;
  const [, user, host = '', rawPath = ''] = match;
  if (!HOST.test(host)) return fail(`'${host}' is not a host name`);
  if (user !== undefined && !USER.test(user)) return fail(`'${user}' is not a user name`);
  const path = segments(rawPath, 'path');
  if (!path.ok) return path;
  return { ok: true, value: { kind: 'ssh', url: text, host, user: user ?? null, path: path.value, absolute: rawPath.startsWith('/') } };
}

function parseDir(text: string, path: string): Parsed<ArchiveTarget> {
  if (!path.startsWith('/')) return fail(`a directory must be an absolute path (${USAGE})`);
  const dir = segments(path, 'directory');
  if (!dir.ok) return dir;
  if (dir.value === '') return fail('the root directory cannot be an archive');
  return { ok: true, value: { kind: 'dir', url: text, dir: `/${dir.value}` } };
}

/** Replaces the user-info part of a URL, so a refused secret is not echoed into logs. */
export function redact(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@').replace(/^[^@/:]+:[^@/]*@(?=[^/]*:)/, '***@');
}

/** The archive URL of `archive URL`; the error says what is wrong and how to write it. */
export function parseArchiveUrl(text: string): Parsed<ArchiveTarget> {
  const result = parseAny(text);
  return result.ok ? result : fail(`bad archive URL '${redact(text)}': ${result.error}`);
}

function parseAny(text: string): Parsed<ArchiveTarget> {
  if (/[\s\p{C}]/u.test(text)) return fail('it contains blanks or control characters');
  // user:password@host:path, the scp form with a password.
  if (/^[^@/:]+:[^@/]*@[^/]*:/.test(text)) return fail(`${NO_CREDENTIALS}: use an ssh key`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (text.startsWith('/')) return parseDir(text, text);
    return parseSsh(text) ?? parseDir(text, text);
  }
  // The URL parser would quietly resolve these; a typo should not move the archive.
  if (/\/\.\.?(?=[/?#]|$)/.test(text)) return fail("it has a '.' or '..' component");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`it is not a URL (${USAGE})`);
  }
  if (url.hash !== '') return fail("it has a '#' part");
  switch (scheme) {
    case 's3':
      return parseS3(text, url);
    case 'rsync':
      return parseRsync(text, url);
    case 'file':
      if (url.host !== '') return fail('a file URL names a local directory: file:///DIRECTORY');
      if (url.search !== '') return fail('a file URL takes no options');
      return parseDir(text, decode(url.pathname));
    default:
      return fail(`unknown scheme '${scheme}' (${USAGE})`);
  }
}
