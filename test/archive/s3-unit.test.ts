// The S3 transport's pure decisions: addressing style and part size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partSizeFor, usePathStyle } from '../../src/archive/s3.js';
import type { ArchiveTarget } from '../../src/archive/target.js';

const target = (pathStyle: boolean): Extract<ArchiveTarget, { kind: 's3' }> => ({ kind: 's3', url: 's3://logs', bucket: 'logs', prefix: '', pathStyle });

test('path-style for IP addresses, localhost and ?path-style; virtual-host otherwise', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['https://s3.eu-west-1.amazonaws.com', false],
    ['http://minio.internal:9000', false],
    ['http://127.0.0.1:7480', true],
    ['http://[::1]:7480', true],
    ['http://10.1.2.3', true],
    ['http://localhost:9000', true],
    ['http://rgw.localhost', true],
  ];
  for (const [endpoint, expected] of cases) assert.equal(usePathStyle(target(false), endpoint), expected, String(endpoint));
  assert.equal(usePathStyle(target(true), 'https://s3.example.com'), true);
  assert.equal(usePathStyle(target(true), undefined), true);
});

test('8 MiB parts, larger in whole MiB once a file would need more than 10,000', () => {
  const MiB = 1024 * 1024;
  assert.equal(partSizeFor(0), 8 * MiB);
  assert.equal(partSizeFor(72 * MiB), 8 * MiB);
  assert.equal(partSizeFor(80_000 * MiB), 8 * MiB);
  assert.equal(partSizeFor(80_000 * MiB + 1), 9 * MiB);
  const fiveTiB = 5 * 1024 * 1024 * MiB;
  assert.ok(Math.ceil(fiveTiB / partSizeFor(fiveTiB)) <= 10_000);
});
