// `archive URL`: each form taken apart, each mistake refused with what to write instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteUrl } from '../../src/archive/remote.js';
import { parseArchiveUrl, redact } from '../../src/archive/target.js';

function parsed(text: string): unknown {
  const result = parseArchiveUrl(text);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
}

function refused(text: string): string {
  const result = parseArchiveUrl(text);
  assert.ok(!result.ok, `${text} was accepted`);
  return result.error;
}

test('s3: bucket and prefix, slashes normalised, ?path-style', () => {
  assert.deepEqual(parsed('s3://logs-eu/fleet/web/'), { kind: 's3', url: 's3://logs-eu/fleet/web/', bucket: 'logs-eu', prefix: 'fleet/web', pathStyle: false });
  assert.deepEqual(parsed('s3://logs.example'), { kind: 's3', url: 's3://logs.example', bucket: 'logs.example', prefix: '', pathStyle: false });
  assert.deepEqual(parsed('s3://abc/?path-style'), { kind: 's3', url: 's3://abc/?path-style', bucket: 'abc', prefix: '', pathStyle: true });
  assert.deepEqual(parsed('s3://abc/a%3Db'), { kind: 's3', url: 's3://abc/a%3Db', bucket: 'abc', prefix: 'a=b', pathStyle: false });
});

test('rsync daemon: host, port, user, module and path', () => {
  assert.deepEqual(parsed('rsync://backup.example:8873/logs/fleet'), {
    kind: 'rsync', url: 'rsync://backup.example:8873/logs/fleet', host: 'backup.example', port: 8873, user: null, module: 'logs', path: 'fleet',
  });
  assert.deepEqual(parsed('rsync://arch@10.0.0.5/logs'), { kind: 'rsync', url: 'rsync://arch@10.0.0.5/logs', host: '10.0.0.5', port: null, user: 'arch', module: 'logs', path: '' });
});

test('rsync over ssh: [USER@]HOST:PATH, relative to home or absolute', () => {
  assert.deepEqual(parsed('backup:logs/fleet'), { kind: 'ssh', url: 'backup:logs/fleet', host: 'backup', user: null, path: 'logs/fleet', absolute: false });
  assert.deepEqual(parsed('arch@10.0.0.5:/srv/logs/'), { kind: 'ssh', url: 'arch@10.0.0.5:/srv/logs/', host: '10.0.0.5', user: 'arch', path: 'srv/logs', absolute: true });
  assert.deepEqual(parsed('backup:'), { kind: 'ssh', url: 'backup:', host: 'backup', user: null, path: '', absolute: false });
});

test('a directory: absolute path or file:// URL', () => {
  assert.deepEqual(parsed('/mnt/archive/logs/'), { kind: 'dir', url: '/mnt/archive/logs/', dir: '/mnt/archive/logs' });
  assert.deepEqual(parsed('file:///mnt/nfs'), { kind: 'dir', url: 'file:///mnt/nfs', dir: '/mnt/nfs' });
});

test('credentials are refused without echoing them', () => {
  assert.equal(refused('s3://AKIAEXAMPLE:s3cr3t@logs/x'), "bad archive URL 's3://***@logs/x': no credentials in config files: give S3 keys through AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/credentials");
  assert.equal(refused('s3://AKIAEXAMPLE@logs/x'), "bad archive URL 's3://***@logs/x': no credentials in config files: give S3 keys through AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/credentials");
  assert.equal(refused('rsync://arch:pw@host/logs'), "bad archive URL 'rsync://***@host/logs': no credentials in config files: give the rsync password through RSYNC_PASSWORD");
  assert.equal(refused('arch:pw@host:logs'), "bad archive URL '***@host:logs': no credentials in config files: use an ssh key");
  assert.equal(redact('s3://bucket/a@b'), 's3://bucket/a@b');
});

test('unknown schemes, malformed URLs and bad names say what to write', () => {
  const usage = 'use s3://BUCKET/PREFIX, rsync://HOST/MODULE/PATH, [USER@]HOST:PATH or an absolute directory';
  assert.equal(refused('ftp://host/logs'), `bad archive URL 'ftp://host/logs': unknown scheme 'ftp' (${usage})`);
  assert.equal(refused('logs/archive'), `bad archive URL 'logs/archive': a directory must be an absolute path (${usage})`);
  assert.equal(refused('rsync://host:99999/logs'), `bad archive URL 'rsync://host:99999/logs': it is not a URL (${usage})`);
  assert.equal(refused('s3://Logs/x'), "bad archive URL 's3://Logs/x': bucket 'Logs' is not a valid bucket name (3 to 63 lower-case letters, digits, '.' and '-')");
  assert.equal(refused('s3://ab'), "bad archive URL 's3://ab': bucket 'ab' is not a valid bucket name (3 to 63 lower-case letters, digits, '.' and '-')");
  assert.equal(refused('s3://logs:9000/x'), "bad archive URL 's3://logs:9000/x': an S3 URL names a bucket, not a server: set the endpoint with AWS_ENDPOINT_URL_S3");
  assert.equal(refused('s3://logs/x?region=eu'), "bad archive URL 's3://logs/x?region=eu': unknown option 'region=eu' (an S3 URL takes only ?path-style)");
  assert.equal(refused('s3://logs/a//b'), "bad archive URL 's3://logs/a//b': prefix '/a//b' has an empty, '.' or '..' component");
  assert.equal(refused('s3://logs/a/../b'), "bad archive URL 's3://logs/a/../b': it has a '.' or '..' component");
  assert.equal(refused('rsync://host/logs/./x'), "bad archive URL 'rsync://host/logs/./x': it has a '.' or '..' component");
  assert.equal(refused('/mnt/../etc'), "bad archive URL '/mnt/../etc': directory '/mnt/../etc' has an empty, '.' or '..' component");
  assert.equal(refused('s3://logs/a%zz'), "bad archive URL 's3://logs/a%zz': prefix '/a%zz' may only hold letters, digits and . _ = + @ , - between slashes");
  assert.equal(refused('rsync://host'), "bad archive URL 'rsync://host': an rsync URL needs a module: rsync://HOST/MODULE/PATH");
  assert.equal(refused('s3://logs/x y'), "bad archive URL 's3://logs/x y': it contains blanks or control characters");
  assert.equal(refused('/'), "bad archive URL '/': the root directory cannot be an archive");
  assert.equal(refused('file://server/share'), "bad archive URL 'file://server/share': a file URL names a local directory: file:///DIRECTORY");
});

test('remote URLs of a name, for listings and messages, without opening a transport', () => {
  const url = (text: string, name: string): string => {
    const result = parseArchiveUrl(text);
    assert.ok(result.ok);
    return remoteUrl(result.value, name);
  };
  const name = 'web01/var/log/app.log-20261202T031500Z.gz';
  assert.equal(url('s3://logs-eu/fleet/', name), `s3://logs-eu/fleet/${name}`);
  assert.equal(url('s3://logs-eu?path-style', name), `s3://logs-eu/${name}`);
  assert.equal(url('rsync://arch@backup:8873/logs/fleet', name), `rsync://arch@backup:8873/logs/fleet/${name}`);
  assert.equal(url('rsync://backup/logs', name), `rsync://backup/logs/${name}`);
  assert.equal(url('backup:', name), `backup:${name}`);
  assert.equal(url('arch@backup:/srv/logs', name), `arch@backup:/srv/logs/${name}`);
  assert.equal(url('file:///mnt/nfs/', name), `/mnt/nfs/${name}`);
});
