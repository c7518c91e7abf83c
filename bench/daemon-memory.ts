// What a long-running logrotor costs the machine it runs on (logrotate has no such
// mode, so these are logrotor's figures alone): a `daemon --watch` sitting idle over many
// logs, read from /proc like `ps` would; and a soak of the daemon's run loop (daemon-soak.ts).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SoakResult } from './daemon-soak.js';

export interface IdleFigures {
  /** Largest RSS seen while idle, KiB. */
  readonly rssKiB: number;
  /** CPU time used while idle, as a share of one core, in percent. */
  readonly cpuPercent: number;
}

export interface SoakFigures {
  readonly runs: number;
  /** RSS after run `settleRuns`, KiB. */
  readonly settledKiB: number;
  /** Largest RSS after any later run, KiB. */
  readonly maxKiB: number;
  readonly failedRuns: number;
}

export type Measured<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
/** Long enough that no scheduled run falls in the measurement: only watching is measured. */
const NEVER_SOON = '0 0 1 1 *';

/** `logs` small logs in directories of 100, each directory a section that rotates on size. */
function watchedLogs(dir: string, logs: number): string {
  const sections: string[] = [];
  for (let d = 0; d * 100 < logs; d++) {
    const sub = join(dir, 'watched', `d${String(d).padStart(3, '0')}`);
    mkdirSync(sub, { recursive: true, mode: 0o755 });
    for (let l = d * 100; l < Math.min(logs, (d + 1) * 100); l++) writeFileSync(join(sub, `app-${l}.log`), 'one line\n', { mode: 0o644 });
    sections.push(`${sub}/*.log {\n  size 100M\n  rotate 2\n  compress\n  missingok\n}\n`);
  }
  const config = join(dir, 'watched.conf');
  writeFileSync(config, sections.join(''), { mode: 0o644 });
  return config;
}

/** Starts `daemon --watch` over `logs` logs, waits until it watches them and `settleMs`
 * more, then samples it for `sampleMs`. */
export async function watchIdle(cli: readonly string[], dir: string, logs: number, settleMs: number, sampleMs: number): Promise<Measured<IdleFigures>> {
  const config = watchedLogs(dir, logs);
  const errFile = join(dir, 'watch.stderr');
  const err = openSync(errFile, 'w');
  const [command, ...args] = cli;
  if (command === undefined) throw new Error('empty command');
  const child = spawn(command, [...args, 'daemon', '--watch', '--schedule', NEVER_SOON, '-s', join(dir, 'watched.state'), config], { stdio: ['ignore', 'pipe', err] });
  closeSync(err);
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`exited ${code ?? signal}`)));
  try {
    let out = '';
    const watching = new Promise<void>((resolve) =>
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('logrotor: watching')) resolve();
      }),
    );
    const early = await Promise.race([watching.then(() => null), exited, sleep(180_000, null, { ref: false }).then(() => 'did not start watching within 180 s')]);
    if (early !== null) return { ok: false, error: `daemon --watch ${early}: ${readFileSync(errFile, 'utf8').trim().split('\n').slice(-2).join(' / ')}` };
    await sleep(settleMs);
    const pid = child.pid;
    if (pid === undefined) return { ok: false, error: 'no pid' };
    const startTicks = cpuTicks(pid);
    const started = process.hrtime.bigint();
    let rssKiB = 0;
    while (Number(process.hrtime.bigint() - started) / 1e6 < sampleMs) {
      rssKiB = Math.max(rssKiB, residentKiB(pid));
      await sleep(100);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuPercent = ((cpuTicks(pid) - startTicks) / CLOCK_TICKS / seconds) * 100;
    return { ok: true, value: { rssKiB, cpuPercent } };
  } finally {
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited, sleep(10_000, null, { ref: false })]);
    if (stopped === null) child.kill('SIGKILL');
  }
}

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function residentKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/**
 * A daemon's run loop `runs` times (`node ...soakArgv`, the script daemon-soak.ts): 10 logs rotated hourly and 4 that an
 * application keeps writing to, rotated at 4 KiB, all compressed.
 */
export function daemonSoak(soakArgv: readonly string[], dir: string, runs: number, settleRuns: number): Measured<SoakFigures> {
  const hourly = join(dir, 'soak', 'hourly');
  const sized = join(dir, 'soak', 'sized');
  for (const sub of [hourly, sized]) mkdirSync(sub, { recursive: true, mode: 0o755 });
  for (let l = 0; l < 10; l++) writeFileSync(join(hourly, `app-${l}.log`), 'one line\n', { mode: 0o644 });
  for (let l = 0; l < 4; l++) writeFileSync(join(sized, `app-${l}.log`), '', { mode: 0o644 });
  const config = join(dir, 'soak.conf');
  writeFileSync(config, `${hourly}/*.log {\n  hourly\n  rotate 4\n  compress\n  missingok\n}\n${sized}/*.log {\n  size 4k\n  rotate 2\n  compress\n  missingok\n}\n`, { mode: 0o644 });
  const resultFile = join(dir, 'soak.json');
  const out = openSync(join(dir, 'soak.stdout'), 'w');
  const errFile = join(dir, 'soak.stderr');
  const err = openSync(errFile, 'w');
  try {
    const run = spawnSync(process.execPath, [...soakArgv, config, join(dir, 'soak.state'), String(runs), resultFile, sized], { stdio: ['ignore', out, err] });
    if (run.status !== 0) return { ok: false, error: `soak exited ${run.status ?? run.signal}: ${readFileSync(errFile, 'utf8').trim().split('\n').slice(-2).join(' / ')}` };
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SoakResult;
  const settledKiB = result.rssKiB[settleRuns - 1];
  if (settledKiB === undefined) return { ok: false, error: `only ${result.rssKiB.length} runs` };
  return { ok: true, value: { runs: result.rssKiB.length, settledKiB, maxKiB: Math.max(...result.rssKiB.slice(settleRuns)), failedRuns: result.failedRuns } };
}
