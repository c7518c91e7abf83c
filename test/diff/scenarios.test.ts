// Issue 3's differential test: generated scenarios run for real with logrotate and
// logrotor; file trees, state, hook calls, mail, stderr and exit status must agree.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGROTATE } from '../helpers/binaries.js';
import { describeDifferences, runPair } from '../helpers/differential.js';
import { generateScenarios, LINE_ARGUMENT, WITHOUT_ARGUMENT } from './scenario-generator.js';

const now = Math.floor(Date.now() / 1000);
const scenarios = generateScenarios(115, now);

test('harness self-test: every scenario, logrotate against itself, compares equal', async () => {
  const failures: string[] = [];
  for (const s of scenarios) {
    const pair = await runPair(s.spec, { args: s.args, runs: s.runs, right: LOGROTATE });
    if (pair.differences.length > 0) failures.push(describeDifferences(s.title, pair, LOGROTATE, LOGROTATE));
  }
  assert.deepEqual(failures, []);
});

test('the scenarios cover every directive of issue 3', () => {
  const configs = scenarios.map((s) => [s.spec.config, ...s.spec.entries.map((e) => (e.kind === 'file' && typeof e.content === 'string' ? e.content : ''))].join('\n')).join('\n');
  const directives = [
    'create', 'nocreate', 'copy', 'copytruncate', 'renamecopy', 'olddir', 'createolddir', 'rotate 0', 'rotate -1',
    'start', 'maxage', 'minsize', 'maxsize', 'size', 'dateext', 'dateformat', 'dateyesterday', 'extension',
    'addextension', 'compress', 'delaycompress', 'compresscmd /usr/bin/xz', 'compresscmd /usr/bin/bzip2',
    'compresscmd /usr/bin/zstd', 'compressoptions', 'notifempty', 'ifempty', 'missingok', 'sharedscripts',
    'firstaction', 'prerotate', 'postrotate', 'lastaction', 'preremove', 'shred', 'mail ', 'mailfirst',
    'maillast', 'tabooext', 'include',
  ];
  assert.deepEqual(directives.filter((d) => !new RegExp(`(^|\\s)${d}`, 'm').test(configs)), []);
  for (const keyword of WITHOUT_ARGUMENT) {
    for (const where of LINE_ARGUMENT.has(keyword) ? ['section', 'global'] : ['section', 'global', 'end']) {
      assert.ok(scenarios.some((s) => s.title.includes(`${keyword} without argument (${where})`)), `${keyword} without argument (${where})`);
    }
  }
  assert.ok(scenarios.some((s) => s.args.includes('-f')));
  assert.ok(scenarios.some((s) => s.runs === 2));
});

// Each scenario spends most of its time waiting for child processes, so a few run at once.
describe('scenarios, logrotate against logrotor', { concurrency: 4 }, () => {
  for (const scenario of scenarios) {
    it(scenario.title, async () => {
      const pair = await runPair(scenario.spec, { args: scenario.args, runs: scenario.runs });
      assert.deepEqual(pair.differences, [], describeDifferences(scenario.title, pair));
    });
  }
});
