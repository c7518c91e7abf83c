// logrotate's error classes and what reading does after each: which errors skip a section, which stop the
// file, what survives, and the line numbers they are reported on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from './helpers.js';

function summary(text: string): { messages: string[]; files: string[][]; failed: boolean } {
  const loaded = loadText(text);
  const clean = (s: string): string => s.replaceAll(loaded.file, 'F').replaceAll(loaded.root, '@');
  return { messages: loaded.messages.map(clean), files: loaded.sections.map((s) => s.files.map(clean)), failed: loaded.failed };
}

test('a section error skips to a } in the first column and drops the section', () => {
  assert.deepEqual(summary('@/logs/a.log {\n rotate x\n}\n@/logs/b.log {\n rotate 2\n}\n'), {
    messages: ["error: F:2 bad rotation count 'x'", 'error: found error in @/logs/a.log, skipping'],
    files: [['@/logs/b.log']],
    failed: true,
  });
});

test('an indented } does not end the skip, so the next section is swallowed', () => {
  assert.deepEqual(summary('@/logs/a.log {\n rotate x\n  }\n@/logs/b.log {\n rotate 2\n}\n').files, []);
});

test('one-line sections are swallowed while skipping', () => {
  const result = summary('@/logs/z.log {\nsize 1q\n@/logs/d.log { missingok }\n}\n@/logs/e.log { daily }\n');
  assert.deepEqual(result.files, [['@/logs/e.log']]);
});

test('end of file while skipping: the section is dropped as announced (logrotate keeps and rotates it)', () => {
  assert.deepEqual(summary('@/logs/big.log { rotate 1 }\n'), {
    messages: ["error: F:1 bad rotation count '1 }'", 'error: found error in @/logs/big.log, skipping'],
    files: [],
    failed: true,
  });
});

test('an error on the last line of a file cut off inside its section: no skip, the section stays, no failure', () => {
  // logrotate's error state never runs: the error is reported, nothing more.
  assert.deepEqual(summary('@/logs/a.log {\n  rotate 2\n  create 600 nosuchuser'), {
    messages: ["error: F:3 unknown group 'nosuchuser'"],
    files: [['@/logs/a.log']],
    failed: false,
  });
  const loaded = loadText('@/logs/a.log {\n  rotate 2\n  olddir\n');
  assert.deepEqual(loaded.messages.map((m) => m.replace(loaded.file, 'F')), ['error: F:3 argument expected after olddir']);
  assert.equal(loaded.sections[0]?.options.rotate, 2);
  assert.equal(loaded.sections[0]?.options.oldDir, null);
  assert.equal(loaded.failed, false);
  // With a newline after the bad value the error state does run.
  assert.equal(summary('@/logs/a.log {\n  rotate 2\n  create 600 nosuchuser\n').messages.length, 2);
  // Misplaced keywords count from the keyword: a blank after it is one byte more.
  assert.deepEqual(summary('@/logs/a.log {\n  tabooext\n').messages, ['error: F:2 tabooext may not appear inside of log file definition']);
  assert.equal(summary('@/logs/a.log {\n  tabooext \n').failed, true);
});

test('a missing argument at the end of a file without its last newline is refused (main reads it as empty)', () => {
  const loaded = loadText('@/logs/a.log {\n  rotate 2\n  rotate');
  assert.deepEqual(loaded.messages.map((m) => m.replace(loaded.file, 'F')), ['error: F:3 argument expected after rotate count']);
  assert.equal(loaded.sections[0]?.options.rotate, 2);
  assert.equal(loaded.failed, true);
});

test('a directive that may lack its argument reads on one byte behind the keyword, as logrotate', () => {
  assert.deepEqual(summary('@/logs/a.log {\n  size\n}\n'), { messages: ['error: F:2 argument expected after size'], files: [['@/logs/a.log']], failed: false });
  assert.deepEqual(summary('@/logs/a.log {\n  size=\n}\n').failed, false);
  assert.deepEqual(summary('@/logs/a.log {\n  size =\n}\n'), {
    messages: [
      'error: F:2 argument expected after size',
      'error: F:2 lines must begin with a keyword or a filename (possibly in double quotes)',
      'error: found error in @/logs/a.log, skipping',
    ],
    files: [],
    failed: true,
  });
});

test('a missing } at end of file is accepted', () => {
  const result = summary('@/logs/x.log {\nmissingok\nrotate 3\n');
  assert.deepEqual(result, { messages: [], files: [['@/logs/x.log']], failed: false });
});

test('fatal errors stop the file but keep earlier sections', () => {
  assert.deepEqual(summary('@/logs/a.log {\n}\n}\n@/logs/b.log {\n}\n'), {
    messages: ['error: F:3 unexpected }'],
    files: [['@/logs/a.log']],
    failed: true,
  });
  assert.deepEqual(summary('@/logs/a.log\n').messages, ["error: F:1 missing '{' after log files definition"]);
  assert.deepEqual(summary('@/logs/a.log }\n').messages, ["error: F:1 unexpected } (missing previous '{')"]);
  assert.deepEqual(summary('@/logs/a.log {\npostrotate\necho\n').messages, ['error: F:2 prerotate, postrotate or preremove without endscript']);
});

test('a section error in global scope is fatal', () => {
  assert.deepEqual(summary('rotate x\n@/logs/a.log {\n}\n'), { messages: ["error: F:1 bad rotation count 'x'"], files: [], failed: true });
});

test('text after } is reported and ignored without failing', () => {
  assert.deepEqual(summary('@/logs/a.log {\n} daily\n@/logs/b.log {\n}\n'), {
    messages: ['error: F:2, unexpected text after }'],
    files: [['@/logs/a.log'], ['@/logs/b.log']],
    failed: false,
  });
});

test('a filename inside a section is a section error', () => {
  assert.deepEqual(summary('@/logs/a.log {\n@/logs/b.log {\n}\n').messages, [
    'error: F:2 unexpected log filename',
    'error: found error in @/logs/a.log, skipping',
  ]);
});

test('line numbers stay right after multi-line file lists and missing arguments', () => {
  const result = summary('@/logs/a.log\n# comment\n@/logs/b.log\n{\nsize\nrotate\n}\n');
  assert.deepEqual(result.messages, [
    'error: F:5 argument expected after size',
    'error: F:6 argument expected after rotate count',
    'error: found error in @/logs/a.log\n\n@/logs/b.log, skipping',
  ]);
});

test('multi-line file lists drop comment lines; flags share lines with braces', () => {
  const loaded = loadText('@/logs/a.log\n  # @/logs/c.log\n@/logs/b.log { daily missingok }\n');
  assert.deepEqual(loaded.sections.map((s) => s.files.length), [2]);
  assert.equal(loaded.sections[0]?.options.missingOk, true);
  assert.deepEqual(loaded.messages, []);
});

test('scripts end at a line whose first word is endscript; text after it is parsed', () => {
  const loaded = loadText('@/logs/a.log {\nprerotate echo one\n  cat <<X\nendscriptfoo\n  endscript }\n@/logs/b.log {\n}\n');
  assert.deepEqual(loaded.messages, []);
  assert.equal(loaded.sections[0]?.options.scripts.prerotate?.text, ' echo one\n  cat <<X\nendscriptfoo\n');
  assert.equal(loaded.sections.length, 2);
});
