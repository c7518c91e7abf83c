// Where a remote name ends up, as a URL: for messages, `-d` listings and the journal.
// Pure, so that listing uploads never loads a transport (nor the AWS SDK).
import { posix } from 'node:path';
import type { ArchiveTarget } from './target.js';

/** A name under a prefix or path ('' means the top). */
export function underPrefix(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** `s3://BUCKET/KEY`, `rsync://HOST/MODULE/PATH`, `[USER@]HOST:PATH` or `/DIR/PATH`; for
 * rsync the very destination given to the rsync command. */
export function remoteUrl(target: ArchiveTarget, name: string): string {
  switch (target.kind) {
    case 's3':
      return `s3://${target.bucket}/${underPrefix(target.prefix, name)}`;
    case 'rsync': {
      const user = target.user === null ? '' : `${target.user}@`;
      const port = target.port === null ? '' : `:${target.port}`;
      return `rsync://${user}${target.host}${port}/${underPrefix(target.module, underPrefix(target.path, name))}`;
    }
    case 'ssh': {
      const user = target.user === null ? '' : `${target.user}@`;
      return `${user}${target.host}:${target.absolute ? '/' : ''}${underPrefix(target.path, name)}`;
    }
    case 'dir':
      return posix.join(target.dir, name);
  }
}
