// The command line against logrotate's own: same texts (program name aside), same
// exit statuses, same popt-style argument errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CapturedIo } from '../../src/cli/io.js';
import { Command } from 'commander';
import { main } from '../../src/cli/program.js';
import { SUBCOMMANDS } from '../../src/cli/subcommands.js';
import type { RegisterSubcommand } from '../../src/cli/subcommand.js';
import { LOGROTATE } from '../helpers/binaries.js';
import { makeTempBase } from '../helpers/tree.js';

interface Outcome {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function reference(args: readonly string[]): Outcome {
  const r = spawnSync(LOGROTATE.command, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function ours(args: readonly string[], subcommands?: readonly RegisterSubcommand[]): Promise<Outcome> {
  const io = new CapturedIo();
  const code = await main(args, io, subcommands === undefined ? {} : { subcommands });
  return { code, out: io.out, err: io.err };
}

/** logrotate's text with our program name, version and additions. */
function asOurs(text: string): string {
  const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return text.replace(/logrotate 3\.21\.0/g, `logrotor ${version}`).replace(/Usage: logrotate/g, 'Usage: logrotor').replace(/^logrotate:/gm, 'logrotor:');
}

const withoutJson = (text: string): string =>
  text.replace('[--json] ', '').replace(/^ {6}--json .*\n/m, '');

/** Our --help is logrotate's, then a section of our own after a blank line. */
const ADDITIONS = "\nlogrotor's own options:\n";

test('--usage and --help match logrotate apart from the program name, --json and what follows it', async () => {
  for (const flag of ['--usage', '--help', '-?']) {
    const [ref, our] = [reference([flag]), await ours([flag])];
    assert.equal(our.code, 0);
    assert.equal(our.err, '');
    const logrotatePart = flag === '--usage' ? our.out : our.out.slice(0, our.out.indexOf(ADDITIONS));
    assert.equal(withoutJson(logrotatePart), asOurs(ref.out), flag);
  }
});

test('--help lists every subcommand with its one-line description, after logrotate\'s options', async () => {
  const help = (await ours(['--help'])).out;
  const additions = help.slice(help.indexOf(ADDITIONS) + 1);
  const program = new Command();
  for (const register of SUBCOMMANDS) register(program, { io: new CapturedIo(), setExitCode: () => {} });
  const listed = program.commands.map((command) => `  ${command.name().padEnd(11)}${command.description()}`);
  assert.deepEqual(
    program.commands.map((command) => command.name()),
    ['daemon', 'watch', 'export', 'install', 'uninstall', 'journal', 'status'],
  );
  assert.equal(
    additions,
    [
      "logrotor's own options:",
      '      --metrics-file=PATH       Write Prometheus metrics at the end of the run',
      "                                (node_exporter's textfile format)",
      '',
      'Subcommands (logrotor SUBCOMMAND --help for their options):',
      ...['daemon', 'watch', 'export', 'journal', 'status', 'install', 'uninstall'].map((name) => listed.find((line) => line.startsWith(`  ${name} `))),
      '',
    ].join('\n'),
  );
});

test('--version has the same layout; only SELinux support differs', async () => {
  const [ref, our] = [reference(['--version']), await ours(['--version'])];
  assert.equal(our.code, 0);
  assert.equal(our.out, asOurs(ref.out).replace('SELinux support:            yes', 'SELinux support:            no'));
});

test('no config file: banner and usage on stderr, exit 1', async () => {
  const [ref, our] = [reference([]), await ours([])];
  assert.equal(our.code, ref.code);
  assert.equal(our.code, 1);
  assert.equal(our.out, '');
  assert.equal(withoutJson(our.err), asOurs(ref.err));
});

test('argument errors: same message and exit status as popt', async () => {
  const cases = [
    ['--bogus'],
    ['-x', 'a.conf'],
    ['-s'],
    ['--state'],
    ['-d', '--mail'],
    ['-h'],
    ['--bogus', '--version'],
    ['--skip-state-lock', '--wait-for-state-lock', 'a.conf'],
    ['--wait-for-state-lock', '--skip-state-lock'],
  ];
  for (const args of cases) {
    const [ref, our] = [reference(args), await ours(args)];
    assert.deepEqual({ ...our, err: withoutJson(our.err) }, { ...ref, err: asOurs(ref.err) }, args.join(' '));
  }
});

test('--version acts as soon as it is seen, like popt', async () => {
  const our = await ours(['--version', '--bogus']);
  assert.equal(our.code, 0);
  assert.match(our.out, /^logrotor /);
});

test('a registered subcommand gets its arguments; configs still go to the rotation command', async () => {
  const seen: string[][] = [];
  const fake: RegisterSubcommand = (program, context) => {
    program
      .command('fake')
      .option('-v')
      .argument('[rest...]')
      .action((rest: string[], options: { v?: boolean }) => {
        seen.push([...rest, String(options.v)]);
        context.setExitCode(7);
      });
  };
  assert.equal((await ours(['fake', '-v', 'x'], [fake])).code, 7);
  assert.deepEqual(seen, [['x', 'true']]);
  const rotation = await ours(['-v'], [fake]);
  assert.equal(rotation.code, 1);
  assert.match(rotation.err, /^logrotor .* - Copyright/);
});

test('subcommands keep commander\'s own --help and error messages (not popt\'s)', async () => {
  const fake: RegisterSubcommand = (program) => {
    program.command('fake').description('a fake subcommand').requiredOption('-o, --output <file>').action(() => {});
  };
  const help = await ours(['fake', '--help'], [fake]);
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: logrotor fake \[options\]/);
  assert.match(help.out, /-o, --output <file>/);
  const missing = await ours(['fake'], [fake]);
  assert.equal(missing.code, 1);
  assert.equal(missing.err, "error: required option '-o, --output <file>' not specified\n");
  const unknown = await ours(['fake', '-o', 'x', '--bogus'], [fake]);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.err, "error: unknown option '--bogus'\n");
});

/** A scratch dir holding `c.conf` (root-owned, 0644) with `text`; removed afterwards. */
async function withConfig(text: (base: string) => string, body: (base: string, config: string) => Promise<void>): Promise<void> {
  const base = makeTempBase('lrcli-');
  try {
    const config = join(base, 'c.conf');
    writeFileSync(config, text(base), { mode: 0o644 });
    await body(base, config);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

test('-d prints the debug-mode warning and a blank line first', () =>
  withConfig(() => '', async (base, config) => {
    const our = await ours(['-d', '-s', join(base, 'state'), config]);
    const ref = reference(['-d', '-s', join(base, 'state'), config]);
    const firstTwo = (text: string): string => text.split('\n').slice(0, 2).join('\n');
    assert.equal(firstTwo(our.err), firstTwo(ref.err));
    assert.equal(our.code, ref.code);
  }));

test('-l FILE gets every level even without -v and is truncated; a bad -l path is reported, not fatal', () =>
  withConfig((base) => `${base}/logs/a.log {\n  missingok\n}\n`, async (base, config) => {
    const logFile = join(base, 'run.log');
    writeFileSync(logFile, 'stale content that must disappear\n');
    const our = await ours(['-l', logFile, '-s', join(base, 'state'), config]);
    const written = readFileSync(logFile, 'utf8');
    assert.ok(!written.includes('stale'), written);
    assert.match(written, /^reading config file /m);
    assert.equal(our.err, '');
    const badArgs = ['-l', join(base, 'no/such/dir.log'), '-s', join(base, 'state'), config];
    const [bad, ref] = [await ours(badArgs), reference(badArgs)];
    assert.equal(bad.err, ref.err);
    assert.equal(bad.code, ref.code);
  }));

test('-d --json prints the decisions as one JSON object', () =>
  withConfig((base) => `${base}/missing.log {\n  missingok\n}\n`, async (base, config) => {
    const our = await ours(['-d', '--json', '-s', join(base, 'state'), config]);
    const report = JSON.parse(our.out) as Record<string, unknown>;
    assert.equal(report['schema'], 'logrotor.run/1');
    assert.equal(report['mode'], 'debug');
    assert.equal(report['exitCode'], 0);
    assert.deepEqual(
      (report['logs'] as { path: string; verdict: unknown }[]).map((l) => [l.path, l.verdict]),
      [[`${base}/missing.log`, { kind: 'skip', why: 'missing' }]],
    );
    assert.ok(typeof report['plan'] === 'object');
  }));

test('--json on a real run reports what was rotated and how', () =>
  withConfig((base) => `${base}/logs/a.log {\n  size 1\n  rotate 1\n}\n`, async (base, config) => {
    mkdirSync(join(base, 'logs'), { mode: 0o755 });
    writeFileSync(join(base, 'logs/a.log'), 'data\n');
    const our = await ours(['--json', '-s', join(base, 'state'), config]);
    const report = JSON.parse(our.out) as { mode: string; exitCode: number; logs: { path: string; verdict: unknown; actions: string[] }[]; plan?: unknown };
    assert.equal(report.mode, 'rotate');
    assert.equal(report.exitCode, 0);
    assert.equal(report.plan, undefined);
    assert.deepEqual(report.logs.map((l) => [l.path, l.verdict]), [[`${base}/logs/a.log`, { kind: 'rotate', why: 'size' }]]);
    assert.ok((report.logs[0]?.actions.length ?? 0) > 0);
    assert.equal(readFileSync(join(base, 'logs/a.log.1'), 'utf8'), 'data\n');
  }));
