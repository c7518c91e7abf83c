import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStateTime, parseState, quotePath, serializeState } from '../../src/state/format.js';

const S = '/var/lib/logrotate/status';
const HEADER = 'logrotate state -- version 2\n';

function errors(text: string): string[] {
  return parseState(text, S).diagnostics.map((d) => `${d.severity}: ${d.text}`);
}

test('serializes sorted by path, quoted and escaped, without zero padding', () => {
  const entries = new Map<string, Date>([
    ['/z/last.log', new Date(2026, 10, 22, 14, 0, 51)],
    ['/a/with "quote" and \\ and \n newline', new Date(2026, 0, 1, 0, 0, 0)],
    ['/m/ünïcødé ☃.log', new Date(2009, 8, 9, 9, 9, 9)],
  ]);
  assert.equal(
    serializeState(entries),
    HEADER +
      '"/a/with \\"quote\\" and \\\\ and \\n newline" 2026-1-1-0:0:0\n' +
      '"/m/ünïcødé ☃.log" 2009-9-9-9:9:9\n' +
      '"/z/last.log" 2026-11-22-14:0:51\n',
  );
});

test('an empty state is just the header', () => {
  assert.equal(serializeState(new Map()), HEADER);
});

test('round trip keeps every path and time', () => {
  const entries = new Map<string, Date>([
    ['/plain.log', new Date(2025, 11, 31, 23, 59, 59)],
    ['/sp ace/"q"/\\back\\slash\\', new Date(2024, 1, 29, 12, 30, 0)],
    ['/nl\nin\nname', new Date(1970, 0, 2, 0, 0, 0)],
    ['/lit\\nbackslash-n', new Date(2100, 5, 6, 7, 8, 9)],
    ["/single'quote", new Date(2020, 0, 1, 1, 1, 1)],
    ['/日本語/ログ.log', new Date(2026, 6, 15, 8, 0, 0)],
  ]);
  const parsed = parseState(serializeState(entries), S);
  assert.deepEqual(parsed.diagnostics, []);
  assert.deepEqual(parsed.entries, entries);
});

test('quotePath and formatStateTime', () => {
  assert.equal(quotePath('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  assert.equal(formatStateTime(new Date(2026, 2, 4, 5, 6, 7)), '2026-3-4-5:6:7');
});

test('version 1 header is accepted', () => {
  const parsed = parseState('logrotate state -- version 1\n"/x" 2020-5-6-7:8:9\n', S);
  assert.deepEqual(parsed.diagnostics, []);
  assert.deepEqual(parsed.entries, new Map([['/x', new Date(2020, 4, 6, 7, 8, 9)]]));
});

test('shell-style words: unquoted, single-quoted, backslashes, missing time, extra blanks', () => {
  const parsed = parseState(
    HEADER +
      '/x 2026-11-22-3:4:5\n' +
      "'/y z' 2026-1-1\n" +
      '/a\\ b\\"c 2026-2-3-4\n' +
      '   "/tabbed"\t\t2026-3-3-3:3:3   \n' +
      '"/in\\q" 2026-4-4\n' +
      '"/trail" 2026-5-5-5:5:5garbage\n',
    S,
  );
  assert.deepEqual(parsed.diagnostics, []);
  assert.deepEqual(
    parsed.entries,
    new Map([
      ['/x', new Date(2026, 10, 22, 3, 4, 5)],
      ['/y z', new Date(2026, 0, 1, 0, 0, 0)],
      ['/a b"c', new Date(2026, 1, 3, 4, 0, 0)],
      ['/tabbed', new Date(2026, 2, 3, 3, 3, 3)],
      // Inside quotes an unknown escape keeps its backslash.
      ['/in\\q', new Date(2026, 3, 4, 0, 0, 0)],
      ['/trail', new Date(2026, 4, 5, 5, 5, 5)],
    ]),
  );
});

test('year 1900 is accepted and day 0 is the last day of the previous month', () => {
  const parsed = parseState(HEADER + '"/old" 1900-1-1-0:0:0\n"/zero" 2026-3-0-1:2:3\n', S);
  assert.deepEqual(parsed.diagnostics, []);
  assert.deepEqual(parsed.entries.get('/old'), new Date(1900, 0, 1, 0, 0, 0));
  assert.deepEqual(parsed.entries.get('/zero'), new Date(2026, 1, 28, 1, 2, 3));
});

test('a later duplicate overrides an earlier one', () => {
  const parsed = parseState(HEADER + '"/d" 2020-1-1\n"/d" 2021-2-2\n', S);
  assert.deepEqual(parsed.entries, new Map([['/d', new Date(2021, 1, 2)]]));
});

test('empty text is an empty state without messages', () => {
  assert.deepEqual(parseState('', S), { entries: new Map(), diagnostics: [] });
  assert.deepEqual(parseState(HEADER, S), { entries: new Map(), diagnostics: [] });
});

test('each range check has its own message, naming the raw file word', () => {
  const cases: [string, string][] = [
    ['"/f" 1969-1-1', 'bad year 1969 for file /f in state file ' + S],
    ['"/f" 2101-1-1', 'bad year 2101 for file /f in state file ' + S],
    ['"/f" 2026-13-1', 'bad month 13 for file /f in state file ' + S],
    ['"/f" 2026-0-1', 'bad month 0 for file /f in state file ' + S],
    ['"/f" 2026-1-32', 'bad day 32 for file /f in state file ' + S],
    ['"/f" 2026-1--1', 'bad day -1 for file /f in state file ' + S],
    ['"/f" 2026-1-1-24:0:0', 'bad hour 24 for file /f in state file ' + S],
    ['"/f" 2026-1-1-0:60:0', 'bad minute 60 for file /f in state file ' + S],
    ['"/f" 2026-1-1-0:0:60', 'bad second 60 for file /f in state file ' + S],
    ['"/n\\nl" 2026-13-1', 'bad month 13 for file /n\\nl in state file ' + S],
  ];
  for (const [line, message] of cases) {
    assert.deepEqual(errors(HEADER + line + '\n'), [`error: ${message}`], line);
  }
});

test('lines that are not two words with a date are bad lines', () => {
  const bad = ['"/f"', '"/f" 2026-1-1 extra', '"/f" 2026-1', '"/f" 2026/1/1', '"/f" 2026-1-1 \\', '   ', '"" 2026-1-1'];
  for (const line of bad) {
    assert.deepEqual(errors(HEADER + line + '\n'), [`error: bad line 2 in state file ${S}`], JSON.stringify(line));
  }
});

test('every bad line is reported with its number and all readable entries are kept', () => {
  const text =
    HEADER +
    '"/before" 2026-1-1-1:1:1\n' +
    '\n' +
    'garbage\n' +
    '"/middle" 2026-2-2-2:2:2\n' +
    '"/f" 2026-13-1\n' +
    'x\0y\n' +
    '"/after" 2026-3-3-3:3:3\n';
  const parsed = parseState(text, S);
  assert.deepEqual(errors(text), [
    `error: bad line 4 in state file ${S}`,
    `error: bad month 13 for file /f in state file ${S}`,
    `error: line 7 not parsable in state file ${S}`,
  ]);
  assert.deepEqual(
    parsed.entries,
    new Map([
      ['/before', new Date(2026, 0, 1, 1, 1, 1)],
      ['/middle', new Date(2026, 1, 2, 2, 2, 2)],
      ['/after', new Date(2026, 2, 3, 3, 3, 3)],
    ]),
  );
  assert.deepEqual(parsed.diagnostics[0], { severity: 'error', text: `bad line 4 in state file ${S}` });
});

test('a line past logrotate\'s buffer is too long; a line just inside it is fine', () => {
  const fits = '/' + 'a'.repeat(8205 - '/ 2026-1-1'.length);
  const tooLong = fits + 'b';
  assert.equal(Buffer.byteLength(`${fits} 2026-1-1`), 8205);
  const text = `${HEADER}${fits} 2026-1-1\n${tooLong} 2026-1-1\n"/next" 2026-1-2\n`;
  const parsed = parseState(text, S);
  assert.deepEqual(errors(text), [`error: line 3 too long in state file ${S}`]);
  assert.deepEqual([...parsed.entries.keys()], [fits, '/next']);
});

test('bad top line: reported, and the entries below are still read', () => {
  const text = 'logrotate state -- version 3\n"/kept" 2026-1-1\nbad\n';
  const parsed = parseState(text, S);
  assert.deepEqual(errors(text), [`error: bad top line in state file ${S}`, `error: bad line 3 in state file ${S}`]);
  assert.deepEqual([...parsed.entries.keys()], ['/kept']);
  // A lost header with an intact first entry keeps that entry too.
  const headless = parseState('"/first" 2026-1-1\n"/second" 2026-1-2\n', S);
  assert.deepEqual([...headless.entries.keys()], ['/first', '/second']);
  assert.equal(headless.diagnostics.length, 1);
});

test('a cut last line is kept with a warning when it parses, reported when not', () => {
  const complete = parseState(HEADER + '"/a" 2026-1-1\n"/b" 2026-1-2-3:4:5', S);
  assert.deepEqual([...complete.entries.keys()], ['/a', '/b']);
  assert.deepEqual(
    complete.diagnostics.map((d) => [d.severity, d.text]),
    [['warning', `line 3 has no trailing newline in state file ${S} (kept, as it is complete)`]],
  );
  const cut = parseState(HEADER + '"/a" 2026-1-1\n"/b" 2026-', S);
  assert.deepEqual([...cut.entries.keys()], ['/a']);
  assert.deepEqual(
    cut.diagnostics.map((d) => [d.severity, d.text]),
    [['error', `bad line 3 in state file ${S}`]],
  );
  const headerOnly = parseState('logrotate state -- version 2', S);
  assert.deepEqual(headerOnly.entries, new Map());
  assert.deepEqual(headerOnly.diagnostics.map((d) => d.severity), ['warning']);
});
