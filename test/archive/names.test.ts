// Remote names: unique across hosts, logs and rotations, and stable while a numbered
// rotation moves from .1 to .2 locally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ARCHIVE_NAME, DEFAULT_NAME_TEMPLATE, parseNameTemplate, remoteName, type NameTemplate, type RotationFacts } from '../../src/archive/names.js';

const AT = new Date('2026-12-02T03:15:00.250Z');

function facts(overrides: Partial<RotationFacts> = {}): RotationFacts {
  return { host: 'web01', log: '/var/log/nginx/access.log', file: '/var/log/nginx/access.log.1', rotatedAt: AT, serial: 0, ext: '.gz', ...overrides };
}

function template(source: string): NameTemplate {
  const parsed = parseNameTemplate(source);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.value;
}

function name(t: NameTemplate, f: RotationFacts): string {
  const result = remoteName(t, f);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
}

test('the default template is the parsed DEFAULT_ARCHIVE_NAME', () => {
  assert.deepEqual(template(DEFAULT_ARCHIVE_NAME), DEFAULT_NAME_TEMPLATE);
  assert.equal(name(DEFAULT_NAME_TEMPLATE, facts()), 'web01/var/log/nginx/access.log-20261202T031500Z.gz');
});

test('every variable', () => {
  const all = template('{year}/{month}/{day}/{hour}/{host}/{dir}/{log}/{file}/{path}-{stamp}{ext}');
  assert.equal(name(all, facts()), '2026/12/02/03/web01/var/log/nginx/access.log/access.log.1/var/log/nginx/access.log-20261202T031500Z.gz');
  assert.equal(name(template('h={host}/{dir}/{file}+{stamp}'), facts({ ext: '' })), 'h=web01/var/log/nginx/access.log.1+20261202T031500Z');
});

test('numbered rotation: the same rotation keeps its name however its local index moves', () => {
  // Run 1 rotates access.log to access.log.1 (compressed later by delaycompress); run 2
  // a day later shifts it to access.log.2.gz. The facts were fixed at run 1.
  const first = facts({ file: '/var/log/nginx/access.log.1', ext: '.gz' });
  assert.equal(name(DEFAULT_NAME_TEMPLATE, first), name(DEFAULT_NAME_TEMPLATE, { ...first }));
  const nextDay = facts({ rotatedAt: new Date('2026-12-03T03:15:00Z') });
  assert.notEqual(name(DEFAULT_NAME_TEMPLATE, first), name(DEFAULT_NAME_TEMPLATE, nextDay));
});

test('two hosts, two logs of one name in two directories, one olddir: never the same name', () => {
  const names = new Set([
    facts(),
    facts({ host: 'web02' }),
    facts({ log: '/srv/app/access.log', file: '/var/log/old/access.log.1' }),
    facts({ log: '/var/log/nginx/error.log', file: '/var/log/old/error.log.1' }),
  ].map((f) => name(DEFAULT_NAME_TEMPLATE, f)));
  assert.equal(names.size, 4);
  // {dir}+{file}: the olddir is not part of the name, the log's directory is.
  const t = template('{host}/{dir}/{file}-{stamp}{ext}');
  assert.notEqual(name(t, facts({ log: '/a/x.log', file: '/old/x.log.1' })), name(t, facts({ log: '/b/x.log', file: '/old/x.log.1' })));
});

test('two rotations of one log in the same second differ by their serial; UTC across a DST change', () => {
  assert.equal(name(DEFAULT_NAME_TEMPLATE, facts({ serial: 1 })), 'web01/var/log/nginx/access.log-20261202T031500Z-1.gz');
  assert.equal(name(DEFAULT_NAME_TEMPLATE, facts({ rotatedAt: new Date('2026-12-02T03:15:00.999Z') })), name(DEFAULT_NAME_TEMPLATE, facts()));
  // 01:30 local happens twice when European clocks go back; UTC does not repeat.
  const before = name(DEFAULT_NAME_TEMPLATE, facts({ rotatedAt: new Date('2026-10-25T00:30:00Z') }));
  const after = name(DEFAULT_NAME_TEMPLATE, facts({ rotatedAt: new Date('2026-10-25T01:30:00Z') }));
  assert.notEqual(before, after);
});

test('dateext and compressed names: {file} is the dated name, {ext} the compression of the archived file', () => {
  const t = template('{host}/{dir}/{file}-{stamp}{ext}');
  assert.equal(name(t, facts({ file: '/var/log/nginx/access.log-20261201', ext: '.zst' })), 'web01/var/log/nginx/access.log-20261201-20261202T031500Z.zst');
  assert.equal(name(t, facts({ file: '/var/log/nginx/access-20261201.log', ext: '' })), 'web01/var/log/nginx/access-20261201.log-20261202T031500Z');
});

test('odd log paths: normalised, a log in / has no empty component', () => {
  assert.equal(name(DEFAULT_NAME_TEMPLATE, facts({ log: '/var//log/./x.log' })), 'web01/var/log/x.log-20261202T031500Z.gz');
  assert.equal(name(template('{host}/{dir}/{log}-{stamp}'), facts({ log: '/x.log' })), 'web01/x.log-20261202T031500Z');
  assert.equal(name(DEFAULT_NAME_TEMPLATE, facts({ log: '/var/log/my app/x.log' })), 'web01/var/log/my app/x.log-20261202T031500Z.gz');
});

test('names that cannot be made', () => {
  const error = (f: RotationFacts): string => {
    const result = remoteName(DEFAULT_NAME_TEMPLATE, f);
    assert.ok(!result.ok);
    return result.error;
  };
  assert.equal(error(facts({ host: 'a/b' })), "host name 'a/b' cannot be part of an archive name (letters, digits, '.', '_' and '-')");
  assert.equal(error(facts({ host: '..' })), "host name '..' cannot be part of an archive name (letters, digits, '.', '_' and '-')");
  assert.equal(error(facts({ log: '/var/log/\nx' })), 'the name for /var/log/\nx would hold control characters');
  assert.equal(error(facts({ log: `/${'d/'.repeat(600)}x` })), `the name for /${'d/'.repeat(600)}x would be longer than 1024 bytes`);
});

test('templates that could collide or escape are refused, with the fix', () => {
  const refused = (source: string): string => {
    const result = parseNameTemplate(source);
    assert.ok(!result.ok, `${source} was accepted`);
    return result.error;
  };
  const must = "it must contain {host}, {stamp} and the log's path ({path}, or {dir} with {log} or {file}), or two rotations could get the same name";
  assert.equal(refused('{path}-{stamp}'), `bad archivename '{path}-{stamp}': ${must}`);
  assert.equal(refused('{host}/{path}'), `bad archivename '{host}/{path}': ${must}`);
  assert.equal(refused('{host}/{log}-{stamp}'), `bad archivename '{host}/{log}-{stamp}': ${must}`);
  assert.equal(refused('{host}/{path}-{date}'), "bad archivename '{host}/{path}-{date}': unknown variable {date} (use {host} {path} {dir} {log} {file} {stamp} {ext} {year} {month} {day} {hour})");
  assert.equal(refused('{host}/{path-{stamp}'), "bad archivename '{host}/{path-{stamp}': unmatched '{' (variables are written {host}, {path}, …)");
  assert.equal(refused('/{host}/{path}-{stamp}'), "bad archivename '/{host}/{path}-{stamp}': it must be a relative name without empty, '.' or '..' components");
  assert.equal(refused('{host}/../{path}-{stamp}'), "bad archivename '{host}/../{path}-{stamp}': it must be a relative name without empty, '.' or '..' components");
  assert.equal(refused('{host}/{path}-{stamp}%Y'), "bad archivename '{host}/{path}-{stamp}%Y': '%Y' may only hold letters, digits, '/' and . _ = + @ , -");
});
