// The archive directives (logrotor extensions): values land in the options, global ones
// are inherited, and a bad value is a located section error as for logrotate's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NAME_TEMPLATE } from '../../src/archive/names.js';
import type { LogOptions } from '../../src/config/model.js';
import { load, loadText, makeTree, only } from './helpers.js';

function sectionWith(body: string): LogOptions {
  const loaded = loadText(`@/logs/a.log {\n${body}\n}\n`);
  assert.deepEqual(loaded.messages, []);
  return only(loaded.sections).options;
}

function failing(text: string): { messages: readonly string[]; sections: number; failed: boolean } {
  const loaded = loadText(text);
  return {
    messages: loaded.messages.map((m) => m.replace(loaded.file, 'F').replace(loaded.root, '@')),
    sections: loaded.sections.length,
    failed: loaded.failed,
  };
}

test('defaults: no archive, the default name, keep local rotations', () => {
  const o = sectionWith('rotate 2');
  assert.equal(o.archive, null);
  assert.deepEqual(o.archiveName, DEFAULT_NAME_TEMPLATE);
  assert.equal(o.archiveDelete, false);
});

test('archive, archivename and archivedelete in a section', () => {
  const o = sectionWith('archive s3://fleet-logs/web\narchivename {host}/{dir}/{file}-{stamp}{ext}\narchivedelete');
  assert.deepEqual(o.archive, { kind: 's3', url: 's3://fleet-logs/web', bucket: 'fleet-logs', prefix: 'web', pathStyle: false });
  assert.equal(o.archiveName.source, '{host}/{dir}/{file}-{stamp}{ext}');
  assert.equal(o.archiveDelete, true);
  assert.equal(sectionWith('archivedelete\nnoarchivedelete').archiveDelete, false);
  assert.deepEqual(sectionWith('archive = /mnt/nfs/logs').archive, { kind: 'dir', url: '/mnt/nfs/logs', dir: '/mnt/nfs/logs' });
});

test('a global archive is inherited; noarchive turns it off for one section', () => {
  const loaded = loadText('archive rsync://backup/logs\n@/logs/a.log {\n}\n@/logs/b.log {\nnoarchive\n}\n');
  assert.deepEqual(loaded.messages, []);
  const [a, b] = loaded.sections;
  assert.equal(a?.options.archive?.kind, 'rsync');
  assert.equal(b?.options.archive, null);
});

test('a bad archive URL skips the section with its file and line', () => {
  assert.deepEqual(failing('@/logs/a.log {\nrotate 1\narchive ftp://host/x\n}\n'), {
    messages: [
      "error: F:3 bad archive URL 'ftp://host/x': unknown scheme 'ftp' (use s3://BUCKET/PREFIX, rsync://HOST/MODULE/PATH, [USER@]HOST:PATH or an absolute directory)",
      'error: found error in @/logs/a.log, skipping',
    ],
    sections: 0,
    failed: true,
  });
  // Written directly: loadText would take the '@' for the tree's root.
  const tree = makeTree();
  try {
    const file = tree.write('test.conf', `${tree.root}/a.log {\narchive s3://KEY:SECRET@logs/x\n}\n`);
    assert.deepEqual(load([file]).messages, [
      `error: ${file}:2 bad archive URL 's3://***@logs/x': no credentials in config files: give S3 keys through AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/credentials`,
      `error: found error in ${tree.root}/a.log, skipping`,
    ]);
  } finally {
    tree.remove();
  }
  assert.deepEqual(failing('@/logs/a.log {\narchive\n}\n').messages, ['error: F:2 argument expected after archive URL', 'error: found error in @/logs/a.log, skipping']);
});

test('a bad archivename skips the section with its file and line', () => {
  assert.deepEqual(failing('@/logs/a.log {\narchivename {host}/{log}\n}\n'), {
    messages: [
      "error: F:2 bad archivename '{host}/{log}': it must contain {host}, {stamp} and the log's path ({path}, or {dir} with {log} or {file}), or two rotations could get the same name",
      'error: found error in @/logs/a.log, skipping',
    ],
    sections: 0,
    failed: true,
  });
});

test('a bad value in the global part stops the file, as logrotate does with its own', () => {
  const result = failing('archive s3://x\n@/logs/a.log {\n}\n');
  assert.deepEqual(result, {
    messages: ["error: F:1 bad archive URL 's3://x': bucket 'x' is not a valid bucket name (3 to 63 lower-case letters, digits, '.' and '-')"],
    sections: 0,
    failed: true,
  });
});
