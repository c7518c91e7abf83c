// Mailing a log: `MAILCMD -s SUBJECT ADDRESS` with the file (uncompressed through
// uncompresscmd when asked) on stdin. The mail program runs as root, the uncompressor
// as the su user, like logrotate.
import { spawn } from 'node:child_process';
import type { StepContext } from './effects/context.js';
import { childFailure, waitChild } from './hooks.js';
import { openLogFile } from './open-log.js';
import { failure, OK, type Outcome } from './effects/outcome.js';
import { spawnAsRoot, spawnAsSuUser } from './su.js';
import { strerror } from '../strerror.js';

export interface MailRequest {
  readonly path: string;
  readonly address: string;
  readonly subject: string;
  readonly uncompress: boolean;
}

export async function mailFile(request: MailRequest, ctx: StepContext): Promise<Outcome> {
  const { path } = request;
  const input = await openLogFile(path, false, ctx.options.allowHardlink);
  if (!input.ok) return failure(`failed to open ${path} for mailing: ${strerror(input.err)}`);
  try {
    const uncompressor = request.uncompress
      ? spawnAsSuUser(ctx.logger, (identity) => spawn(ctx.options.uncompressCmd, [], { stdio: [input.handle.fd, 'pipe', 'inherit'], ...identity }))
      : null;
    const mailer = spawnAsRoot(ctx.logger, () =>
      spawn(ctx.mailCommand, ['-s', request.subject, request.address], {
        stdio: [uncompressor === null ? input.handle.fd : 'pipe', 'ignore', 'inherit'],
      }),
    );
    if (uncompressor !== null && mailer.stdin !== null) {
      // A mail program that exits early must not take us down with EPIPE.
      mailer.stdin.on('error', () => undefined);
      uncompressor.stdout?.pipe(mailer.stdin);
    }
    const [mailed, uncompressed] = await Promise.all([
      waitChild(mailer),
      uncompressor === null ? null : waitChild(uncompressor),
    ]);
    const mailWhy = childFailure(mailed);
    if (mailWhy !== null) return failure(`mail command failed for ${path}: ${mailWhy}`);
    const uncompressWhy = uncompressed === null ? null : childFailure(uncompressed);
    if (uncompressWhy !== null) return failure(`uncompress command failed mailing ${path}: ${uncompressWhy}`);
    return OK;
  } finally {
    await input.handle.close();
  }
}
