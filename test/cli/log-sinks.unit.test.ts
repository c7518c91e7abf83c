// Where Logger lines end up: prefixes, verbosity, `-l FILE`, `-l syslog`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CapturedIo } from '../../src/cli/io.js';
import { FanoutLogger, FileSink, StreamSink, SyslogSink } from '../../src/cli/log-sinks.js';
import { makeTempBase } from '../helpers/tree.js';

test('stderr gets prefixed warnings and errors always, debug lines only when verbose', async () => {
  for (const verbose of [false, true]) {
    const io = new CapturedIo();
    const logger = new FanoutLogger([new StreamSink(io.stderr, verbose)]);
    logger.debug('considering log /x');
    logger.warning('w');
    logger.error('e');
    await logger.close();
    assert.equal(io.err, `${verbose ? 'considering log /x\n' : ''}warning: w\nerror: e\n`);
  }
});

test('a -l file that cannot be opened gives logrotate\'s message', () => {
  assert.equal(FileSink.open('/nonexistent-dir/x.log'), 'error opening log file /nonexistent-dir/x.log: No such file or directory');
});

test('-l syslog: one `logger` child gets every line with its syslog priority', async () => {
  const base = makeTempBase('lrsyslog-');
  const savedPath = process.env['PATH'];
  try {
    // A stand-in `logger` first on PATH records its arguments and input.
    writeFileSync(join(base, 'logger'), `#!/bin/sh\necho "$*" > ${base}/args\ncat > ${base}/input\n`);
    chmodSync(join(base, 'logger'), 0o755);
    process.env['PATH'] = `${base}:${savedPath ?? ''}`;
    const logger = new FanoutLogger([new SyslogSink()]);
    logger.debug('two\nlines');
    logger.warning('careful');
    logger.error('broken');
    await logger.close();
    assert.equal(readFileSync(join(base, 'args'), 'utf8'), '--prio-prefix -p user.info -t logrotor\n');
    assert.equal(readFileSync(join(base, 'input'), 'utf8'), '<14>two\n<14>lines\n<12>careful\n<11>broken\n');
  } finally {
    process.env['PATH'] = savedPath;
    rmSync(base, { recursive: true, force: true });
  }
});
