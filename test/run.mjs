// Runs the compiled test files (dist/test/**/*.test.js), each in a node process of its
// own, several at a time, on one or more Node.js versions (docs/testing.md).
//
//   node test/run.mjs [--lane unit] [--lint-imports] [SUBSTRING...]
//
// Which files run how is decided by their names, here and nowhere else:
//   *.unit.test.js    the fast lane (`npm run test:unit`): pure tests that need no root,
//                     no logrotate and no native addon;
//   *.alone.test.js   assertions on wall-clock time (a rotation within 2 s, a writer's
//                     rate): run one at a time with nothing else running;
//   any other         run side by side with other files.
// SUBSTRING keeps only the files whose path contains one of them.
//
// Environment:
//   LOGROTOR_TEST_NODES  node binaries to run every file with, separated by spaces
//                        (default: the node running this script); each runs with its
//                        own directory first in PATH, so the bin's `exec node` finds it
//   LOGROTOR_TEST_JOBS   files run side by side (default: 2 per core)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, dirname, join, resolve as absolute } from 'node:path';

const LANE_SUFFIX = { unit: '.unit.test.js' };
const ALONE_SUFFIX = '.alone.test.js';
/** A file still running after this long is killed (with what it started) and failed. */
const FILE_TIMEOUT_MS = 20 * 60_000;
const LOG_DIR = 'dist/test-logs';
/** Seconds each file took in the last run here, to start the longest first next time. */
const DURATIONS = 'dist/test-durations.json';
/** The same from a full run on an idle 2-core machine, for a fresh clone (CI): copy
 * dist/test-durations.json over it now and then. Only the order depends on it. */
const SEED_DURATIONS = 'test/durations.json';

/** Compiled test files whose source still exists (tsc leaves the output of a moved or
 * deleted test behind in dist/). */
function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.js') && existsSync(path.replace(/^dist\//, '').replace(/\.js$/, '.ts')) ? [path] : [];
  });
}

function parseArgs(argv) {
  const options = { lane: null, lintImports: false, filter: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lint-imports') options.lintImports = true;
    else if (arg === '--lane') options.lane = argv[++i];
    else options.filter.push(arg);
  }
  if (options.lane !== null && !(options.lane in LANE_SUFFIX)) throw new Error(`unknown lane '${options.lane}' (known: ${Object.keys(LANE_SUFFIX).join(', ')})`);
  return options;
}

/** Each node binary with its version, e.g. { bin, version: 'v22.23.3' }. */
function testNodes() {
  const listed = (process.env['LOGROTOR_TEST_NODES'] ?? '').split(/\s+/).filter(Boolean).map((bin) => absolute(bin));
  return (listed.length > 0 ? listed : [process.execPath]).map((bin) => {
    const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`cannot run ${bin}: ${probe.stderr || probe.error}`);
    return { bin, version: probe.stdout.trim() };
  });
}

function readDurations(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

/** The counts the spec reporter prints last ("ℹ pass 12"). */
function counts(output) {
  const count = (name) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  return { pass: count('pass'), fail: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
}

/** Process groups of the test files running now. */
const running = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

// Each file runs in a process group of its own, which a terminal's Ctrl-C does not reach.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid, 'SIGTERM');
    process.exit(130);
  });
}

function runFile(job) {
  const log = join(LOG_DIR, job.node.version, job.file.replace(/^dist\/test\//, '').replace(/\//g, '_') + '.log');
  mkdirSync(dirname(log), { recursive: true });
  const env = { ...process.env, PATH: `${dirname(job.node.bin)}${delimiter}${process.env['PATH'] ?? ''}` };
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so that a file killed for its time takes its children along.
    const child = spawn(job.node.bin, ['--test-reporter=spec', job.file], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child.pid);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (output += text));
    const timer = setTimeout(() => {
      output += `\nkilled by test/run.mjs after ${FILE_TIMEOUT_MS / 60_000} min\n`;
      killGroup(child.pid, 'SIGKILL');
    }, FILE_TIMEOUT_MS);
    // A process the file started and left running would hold its output open for good.
    child.on('exit', () => {
      const leftovers = setTimeout(() => {
        output += '\ntest/run.mjs: processes this file started were still running 10 s after it ended; killed them\n';
        killGroup(child.pid, 'SIGKILL');
      }, 10_000);
      child.on('close', () => clearTimeout(leftovers));
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      writeFileSync(log, output);
      const seconds = (Date.now() - started) / 1000;
      const result = counts(output);
      const ok = status === 0 && result.fail === 0;
      if (!ok && result.fail === 0) result.fail = 1; // died without reporting a failed test
      resolve({ ...job, ok, seconds, log, output, status: status ?? signal, ...result });
    });
  });
}

function report(result, width) {
  const what = `${result.ok ? 'ok  ' : 'FAIL'} ${result.node.version.padEnd(9)} ${result.file.padEnd(width)} ${result.seconds.toFixed(1).padStart(6)} s  ${result.pass} passed`;
  console.log(result.ok ? what : `${what}, ${result.fail} failed (exit ${result.status}; ${result.log}):\n${result.output.replace(/^/gm, '    ')}`);
}

/** Runs `jobs` with at most `width` at a time, longest expected first. */
async function pool(jobs, width, onDone) {
  const queue = [...jobs];
  const results = [];
  const lanes = Array.from({ length: Math.min(width, queue.length) }, async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const result = await runFile(job);
      onDone(result);
      results.push(result);
    }
  });
  await Promise.all(lanes);
  return results;
}

function lintImports() {
  console.log('== import rules (npm run lint:imports)');
  const run = spawnSync('npm', ['run', '--silent', 'lint:imports'], { stdio: 'inherit' });
  return run.status === 0;
}

const options = parseArgs(process.argv.slice(2));
const started = Date.now();
const importsOk = options.lintImports ? lintImports() : true;
const nodes = testNodes();
const suffix = options.lane === null ? '.test.js' : LANE_SUFFIX[options.lane];
if (!existsSync('dist/test')) throw new Error('no dist/test: run `npm run build` (or `npx tsc -p tsconfig.json`) first');
const files = collect('dist/test')
  .filter((f) => f.endsWith(suffix))
  .filter((f) => options.filter.length === 0 || options.filter.some((x) => f.includes(x)))
  .sort();
const width = Math.max(...files.map((f) => f.length), 0);
const durations = { ...readDurations(SEED_DURATIONS), ...readDurations(DURATIONS) };
// Across versions, then files: the same file on two versions is spread out in time.
const jobs = files.flatMap((file, order) => nodes.map((node) => ({ file, node, order, expected: durations[file] ?? 0 })));
const alone = jobs.filter((job) => job.file.endsWith(ALONE_SUFFIX));
const shared = jobs.filter((job) => !job.file.endsWith(ALONE_SUFFIX)).sort((a, b) => b.expected - a.expected || a.order - b.order);
const jobsAtOnce = Number(process.env['LOGROTOR_TEST_JOBS'] ?? 2 * availableParallelism());

console.log(`== ${files.length} test files on ${nodes.map((n) => `${n.version} (${n.bin})`).join(', ')}: ${alone.length} runs one at a time, ${shared.length} runs ${jobsAtOnce} at a time`);
const results = [...(await pool(alone, 1, (r) => report(r, width))), ...(await pool(shared, jobsAtOnce, (r) => report(r, width)))];

const measured = {};
for (const r of results) measured[r.file] = Math.max(measured[r.file] ?? 0, Math.round(r.seconds * 10) / 10);
writeFileSync(DURATIONS, `${JSON.stringify({ ...readDurations(DURATIONS), ...measured }, null, 1)}\n`);

console.log('\n== summary');
for (const node of nodes) {
  const mine = results.filter((r) => r.node === node);
  const sum = (key) => mine.reduce((total, r) => total + r[key], 0);
  const busy = mine.reduce((total, r) => total + r.seconds, 0);
  console.log(`${node.version}: ${mine.filter((r) => r.ok).length}/${mine.length} files passed; ${sum('pass')} passed, ${sum('fail')} failed, ${sum('skipped')} skipped; ${busy.toFixed(0)} s of test-file time`);
}
const failed = results.filter((r) => !r.ok);
for (const r of failed) console.log(`failed: ${r.node.version} ${r.file} (${r.log})`);
if (!importsOk) console.log('failed: import rules (npm run lint:imports, printed at the start)');
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
const total = (key) => results.reduce((sum, r) => sum + r[key], 0);
console.log(`tests: ${total('pass')} passed, ${total('fail')} failed, ${total('skipped')} skipped`);
process.exit(failed.length === 0 && importsOk && results.length > 0 ? 0 : 1);
