// The transport for an archive URL. The S3 one is imported on demand, so a run whose
// config does not archive to S3 never reads the AWS SDK.
import { openDirectory } from './local.js';
import { openRsync } from './rsync.js';
import type { ArchiveTarget } from './target.js';
import type { Transport } from './transport.js';

/** The transport for `target`. Opening contacts nothing; errors come per file. */
export async function openTransport(target: ArchiveTarget): Promise<Transport> {
  switch (target.kind) {
    case 's3': {
      // Dynamic: the SDK is some 20 MB of modules.
      const { openS3 } = await import('./s3.js');
      return openS3(target);
    }
    case 'rsync':
    case 'ssh':
      return openRsync(target);
    case 'dir':
      return openDirectory(target);
  }
}

