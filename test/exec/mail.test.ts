import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mailFile } from '../../src/exec/mail.js';
import { stepContext, tempLogDir, write } from './helpers.js';

/** A fake mail program: its arguments to `args`, its stdin to `body`. */
function fakeMail(dir: string, exitCode = 0): string {
  const path = join(dir, 'fakemail');
  write(path, `#!/bin/sh\nprintf '%s|' "$@" > '${dir}/args'\ncat > '${dir}/body'\nexit ${exitCode}\n`, 0o755);
  return path;
}

test('mail runs MAILCMD -s SUBJECT ADDRESS with the file on stdin', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'a.log.3');
  write(file, 'the old log\n');
  const ctx = stepContext({}, fakeMail(dir));
  const result = await mailFile({ path: file, address: 'ops@example.com', subject: file, uncompress: false }, ctx);
  assert.deepEqual(result, { ok: true });
  assert.equal(readFileSync(join(dir, 'args'), 'utf8'), `-s|${file}|ops@example.com|`);
  assert.equal(readFileSync(join(dir, 'body'), 'utf8'), 'the old log\n');
});

test('compressed files are piped through uncompresscmd', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'a.log.3.gz');
  write(file, gzipSync('zipped text\n'));
  const ctx = stepContext({ uncompressCmd: '/bin/gunzip' }, fakeMail(dir));
  const result = await mailFile({ path: file, address: 'x@y', subject: '/var/log/a.log', uncompress: true }, ctx);
  assert.deepEqual(result, { ok: true });
  assert.equal(readFileSync(join(dir, 'body'), 'utf8'), 'zipped text\n');
  assert.equal(readFileSync(join(dir, 'args'), 'utf8'), `-s|/var/log/a.log|x@y|`);
});

test('a failing mail command and a missing file are errors', async () => {
  const dir = tempLogDir();
  const file = join(dir, 'a.log.3');
  write(file, 'x');
  const ctx = stepContext({}, fakeMail(dir, 1));
  assert.deepEqual(await mailFile({ path: file, address: 'x@y', subject: file, uncompress: false }, ctx), {
    ok: false,
    error: `mail command failed for ${file}: child did not exit with status 0`,
  });
  const missing = join(dir, 'nope');
  assert.deepEqual(await mailFile({ path: missing, address: 'x@y', subject: missing, uncompress: false }, ctx), {
    ok: false,
    error: `failed to open ${missing} for mailing: No such file or directory`,
  });
});
