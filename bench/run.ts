// The benchmark: logrotor against Debian's logrotate on the same workloads,
// in one run, alternating. `npm run bench` writes bench/results/latest.md;
// BENCH_QUICK=1 shrinks every workload to a smoke test (and writes to
// BENCH_OUT, by default a file in the temp dir, so the committed table stays).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonSoak, watchIdle, type IdleFigures, type Measured, type SoakFigures } from './daemon-memory.js';
import { compare, medianMetric, medianMs, medianRssKiB, type Contender, type Runs } from './compare.js';
import { loadLine, machine, mib, ms, ratio, table, type Row } from './report.js';
import { copytruncateLoss } from './truncate-loss.js';
import { archiveRows } from './archive-workload.js';
import { bigCompress, bigConfig, manyFiles, purge, startup, type Scale } from './workloads.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOGROTATE = '/usr/sbin/logrotate';

interface Plan extends Scale {
  readonly runs: number;
  readonly bigRuns: number;
  readonly startupRuns: number;
  readonly truncatePrefill: number;
  readonly watchLogs: number;
  readonly watchSettleMs: number;
  readonly watchSampleMs: number;
  readonly soakRuns: number;
  /** Soak runs after which the RSS is taken as settled. */
  readonly soakSettle: number;
}

const FULL: Plan = {
  sections: 200,
  logsPerSection: 10,
  logBytes: 64 * 1024,
  oldRotations: 7,
  bigBytes: 1024 ** 3,
  configSections: 10_000,
  purgeLogs: 100,
  purgeRotations: 100,
  runs: 5,
  bigRuns: 3,
  startupRuns: 15,
  truncatePrefill: 256 * 1024 * 1024,
  watchLogs: 1000,
  watchSettleMs: 5000,
  watchSampleMs: 5000,
  soakRuns: 10_000,
  soakSettle: 100,
};

const QUICK: Plan = {
  sections: 4,
  logsPerSection: 5,
  logBytes: 16 * 1024,
  oldRotations: 7,
  bigBytes: 4 * 1024 * 1024,
  configSections: 200,
  purgeLogs: 10,
  purgeRotations: 10,
  // Two runs still cover both orders of the alternation.
  runs: 2,
  bigRuns: 2,
  startupRuns: 2,
  truncatePrefill: 1024 * 1024,
  watchLogs: 50,
  watchSettleMs: 200,
  watchSampleMs: 500,
  soakRuns: 30,
  soakSettle: 10,
};

const BIN = join(ROOT, 'dist/src/cli/main.js');
// logrotor is run as users run it: its bin, which starts `node` from PATH with the
// flags of its second line; the node running the bench comes first in PATH.
process.env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
const logrotor: Contender = { name: 'logrotor', argv: (args) => [BIN, ...args] };
const logrotate: Contender = { name: 'logrotate', argv: (args) => [LOGROTATE, ...args] };
/** `status` on the same config, timed against `logrotate -d` (issue 12's target). */
const logrotorStatus: Contender = { name: 'logrotor', argv: (args) => logrotor.argv(['status', ...args.filter((arg) => arg !== '-d')]) };
const nodeFloor: Contender = { name: 'node', argv: () => [process.execPath, '-e', ''] };

async function main(): Promise<number> {
  const quick = process.env.BENCH_QUICK === '1';
  const plan = quick ? QUICK : FULL;
  const out = process.env.BENCH_OUT ?? (quick ? join(tmpdir(), 'logrotor-bench-quick.md') : join(ROOT, 'bench/results/latest.md'));
  const work = mkdtempSync(join(tmpdir(), 'logrotor-bench-'));
  chmodSync(work, 0o755);
  const scratch = join(work, 'scratch');
  mkdirSync(scratch);
  const header = [`# logrotor benchmark${quick ? ' (quick mode: tiny workloads, numbers meaningless)' : ''}`, '', `- Date: ${new Date().toISOString()}`, ...machine(LOGROTATE), loadLine('at start')];
  const rows: Row[] = [];
  try {
    const pair = [logrotor, logrotate];
    const logs = plan.sections * plan.logsPerSection;
    const many = await compare(manyFiles(work, plan), pair, plan.runs, scratch);
    const manyName = `many-files: ${logs} logs of ${plan.logBytes >> 10} KiB, ${plan.sections} glob sections, -f`;
    rows.push(timeRow(manyName, many, 0.5));
    rows.push(rssRow(`${manyName}, peak RSS`, many, 100 * 1024));

    const big = await compare(bigCompress(work, join(tmpdir(), 'logrotor-bench-cache'), plan), pair, plan.bigRuns, scratch);
    const bigName = `big-compress: ${mib(plan.bigBytes / 1024)} log, gzip -6`;
    rows.push(timeRow(`${bigName}, wall time`, big, 0.8));
    rows.push(rssRow(`${bigName}, peak RSS`, big, 100 * 1024));
    rows.push(sizeRow(`${bigName}, .gz size`, big, 1.01));

    const config = await compare(bigConfig(work, plan), pair, plan.runs, scratch);
    rows.push(timeRow(`big-config: ${plan.configSections} sections, -d`, config, 1.0));
    const status = await compare(bigConfig(work, plan), [logrotorStatus, logrotate], plan.runs, scratch);
    rows.push(timeRow(`status: ${plan.configSections} sections (logrotor status vs logrotate -d)`, status, 1.0));

    const budget = purge(work, plan);
    const purged = await compare(budget, [{ name: logrotor.name, argv: () => logrotor.argv(budget.logrotorArgs) }, { name: logrotate.name, argv: () => logrotate.argv(budget.logrotateArgs) }], plan.runs, scratch);
    const rotations = plan.purgeLogs * plan.purgeRotations;
    rows.push(purgeRow(`purge: ${plan.purgeLogs} logs × ${plan.purgeRotations} rotations (${rotations} files), the older half removed (logrotor maxtotalsize; logrotate maxage, -f)`, purged, rotations - rotations / 2));

    const start = await compare(startup, [logrotor, nodeFloor, logrotate], plan.startupRuns, scratch);
    rows.push(startupRow(start));

    const loss = await compare(copytruncateLoss(work, plan.truncatePrefill), pair, plan.runs, scratch);
    rows.push(lossRow(`copytruncate: ${mib(plan.truncatePrefill / 1024)} log, ~50k lines/s O_APPEND writer`, loss));

    const archive = { dir: work, cacheDir: join(tmpdir(), 'logrotor-bench-cache'), scratch, logrotor, logs: quick ? 20 : 1000 };
    rows.push(...(await archiveRows({ ...archive, logBytes: plan.logBytes, bigBytes: plan.bigBytes, runs: plan.runs, bigRuns: plan.bigRuns })));
    const idle = await watchIdle(logrotor.argv([]), mkdtempSync(join(work, 'watch-')), plan.watchLogs, plan.watchSettleMs, plan.watchSampleMs);
    rows.push(...idleRows(`daemon --watch: ${plan.watchLogs} logs, idle ${plan.watchSampleMs / 1000} s after ${plan.watchSettleMs / 1000} s`, idle));
    const soak = daemonSoak([...binNodeFlags(BIN), join(ROOT, 'dist/bench/daemon-soak.js')], mkdtempSync(join(work, 'soak-')), plan.soakRuns, plan.soakSettle);
    rows.push(soakRow(`daemon soak: ${plan.soakRuns} runs of a one-second schedule (clock injected), 14 logs`, soak, plan.soakSettle));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const text = [
    ...header,
    loadLine('at end'),
    `- Runs: medians of ${plan.runs} per tool (${plan.bigRuns} for big-compress and archive-big, ${plan.startupRuns} for startup), alternating`,
    '',
    table(rows),
    '',
  ].join('\n');
  process.stdout.write(text);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  return rows.some((r) => r.logrotor.startsWith('failed') || r.logrotate.startsWith('failed')) ? 1 : 0;
}

/** The node flags the bin starts the daemon with (its second line: `daemon|watch) exec
 * node FLAGS "$0" "$@";;`), for the soak, which runs the daemon's loop in a script of its own. */
function binNodeFlags(bin: string): string[] {
  const launch = /^\/\/bin\/true; case "\$1" in daemon\|watch\) exec node (.*?) "\$0" "\$@";;/m.exec(readFileSync(bin, 'utf8'));
  if (launch?.[1] === undefined) throw new Error(`${bin}: no launch line for the daemon`);
  return launch[1].split(' ');
}

function side(runs: Map<string, Runs>, name: string): Runs {
  const found = runs.get(name);
  if (found === undefined) throw new Error(`no runs for ${name}`);
  return found;
}

/** A cell: the value, or why there is none (kept short for the table). */
function cell(runs: Runs, value: (r: Runs) => string): string {
  return runs.error === undefined ? value(runs) : `failed: ${runs.error.replaceAll('|', '/').slice(0, 120)}`;
}

function judged(ours: Runs, theirs: Runs, quotient: number, limit: number): Pick<Row, 'ratio' | 'met'> {
  if (ours.error !== undefined) return { ratio: 'n/a', met: false };
  if (theirs.error !== undefined) return { ratio: 'n/a', met: null };
  return { ratio: ratio(quotient), met: quotient <= limit };
}

function timeRow(workload: string, runs: Map<string, Runs>, limit: number): Row {
  const ours = side(runs, logrotor.name);
  const theirs = side(runs, logrotate.name);
  return {
    workload,
    logrotor: cell(ours, (r) => ms(medianMs(r))),
    logrotate: cell(theirs, (r) => ms(medianMs(r))),
    target: `≤ ${limit.toFixed(1)}× logrotate`,
    ...judged(ours, theirs, medianMs(ours) / medianMs(theirs), limit),
  };
}

function rssRow(workload: string, runs: Map<string, Runs>, limitKiB: number): Row {
  const ours = side(runs, logrotor.name);
  const theirs = side(runs, logrotate.name);
  const rss = medianRssKiB(ours);
  return {
    workload,
    logrotor: cell(ours, () => mib(rss)),
    logrotate: cell(theirs, (r) => `${mib(medianRssKiB(r))} (gzip child included)`),
    ratio: ours.error === undefined && theirs.error === undefined ? ratio(rss / medianRssKiB(theirs)) : 'n/a',
    target: `≤ ${mib(limitKiB)}`,
    met: ours.error === undefined ? rss <= limitKiB : false,
  };
}

function sizeRow(workload: string, runs: Map<string, Runs>, limit: number): Row {
  const ours = side(runs, logrotor.name);
  const theirs = side(runs, logrotate.name);
  const bytes = (r: Runs): number => medianMetric(r, 'gzBytes');
  return {
    workload,
    logrotor: cell(ours, (r) => `${bytes(r)} B`),
    logrotate: cell(theirs, (r) => `${bytes(r)} B`),
    target: `≤ ${limit.toFixed(2)}× gzip -6`,
    ...judged(ours, theirs, bytes(ours) / bytes(theirs), limit),
  };
}

function startupRow(runs: Map<string, Runs>): Row {
  const ours = side(runs, logrotor.name);
  const floor = side(runs, nodeFloor.name);
  const theirs = side(runs, logrotate.name);
  return {
    workload: "startup: `--version` (node -e '' is the floor)",
    logrotor: cell(ours, (r) => ms(medianMs(r))),
    logrotate: cell(theirs, (r) => `${ms(medianMs(r))}; node -e '': ${cell(floor, (f) => ms(medianMs(f)))}`),
    target: "≤ 1.5× node -e ''",
    ...judged(ours, floor, medianMs(ours) / medianMs(floor), 1.5),
  };
}

/** Time against time; met when both left exactly the newer half of the rotations
 * (logrotate, -f, also rotated every live log: no budget of its own). */
function purgeRow(workload: string, runs: Map<string, Runs>, left: number): Row {
  const ours = side(runs, logrotor.name);
  const theirs = side(runs, logrotate.name);
  const leftOf = (r: Runs): number => medianMetric(r, 'oldLeft');
  const timed = (r: Runs): string => `${ms(medianMs(r))} (${leftOf(r)} left)`;
  const right = (r: Runs): boolean => r.error === undefined && r.metrics.every((m) => m.oldLeft === left);
  return {
    workload,
    logrotor: cell(ours, timed),
    logrotate: cell(theirs, timed),
    target: `${left} rotations left by both`,
    ...judged(ours, theirs, medianMs(ours) / medianMs(theirs), Number.POSITIVE_INFINITY),
    met: right(ours) && right(theirs),
  };
}

function lossRow(workload: string, runs: Map<string, Runs>): Row {
  const ours = side(runs, logrotor.name);
  const theirs = side(runs, logrotate.name);
  const lost = (r: Runs): string =>
    `${medianMetric(r, 'lostLines')} lines (${medianMetric(r, 'lostBytes')} B) lost, ${medianMetric(r, 'duplicateLines')} duplicated`;
  return {
    workload,
    logrotor: cell(ours, lost),
    logrotate: cell(theirs, lost),
    ratio: 'n/a',
    target: 'nothing lost or duplicated (issue 4)',
    met: ours.error === undefined && ours.metrics.every((m) => m.lostLines === 0 && m.duplicateLines === 0),
  };
}

/** logrotate has no long-running mode: these rows have no other side. */
const NO_DAEMON = '– (no daemon mode)';

function idleRows(workload: string, idle: Measured<IdleFigures>): Row[] {
  const failed = (e: string): string => `failed: ${e.replaceAll('|', '/').slice(0, 120)}`;
  const row = (what: string, value: (f: IdleFigures) => string, target: string, met: (f: IdleFigures) => boolean): Row => ({
    workload: `${workload}, ${what}`,
    logrotor: idle.ok ? value(idle.value) : failed(idle.error),
    logrotate: NO_DAEMON,
    ratio: 'n/a',
    target,
    met: idle.ok && met(idle.value),
  });
  return [
    row('RSS', (f) => mib(f.rssKiB), `≤ ${mib(60 * 1024)}`, (f) => f.rssKiB <= 60 * 1024),
    row('CPU', (f) => `${f.cpuPercent.toFixed(2)} % of a core`, '≤ 1 % of a core', (f) => f.cpuPercent <= 1),
  ];
}

function soakRow(workload: string, soak: Measured<SoakFigures>, settleRuns: number): Row {
  const growth = (f: SoakFigures): number => f.maxKiB / f.settledKiB - 1;
  return {
    workload,
    logrotor: soak.ok
      ? `${mib(soak.value.settledKiB)} after ${settleRuns} runs, at most ${mib(soak.value.maxKiB)} after (${(growth(soak.value) * 100).toFixed(1)} %)${soak.value.failedRuns > 0 ? `; ${soak.value.failedRuns} runs failed` : ''}`
      : `failed: ${soak.error.replaceAll('|', '/').slice(0, 120)}`,
    logrotate: NO_DAEMON,
    ratio: 'n/a',
    target: `RSS within 10 % of where it is after ${settleRuns} runs`,
    met: soak.ok && soak.value.failedRuns === 0 && growth(soak.value) <= 0.1,
  };
}

process.exitCode = await main();
