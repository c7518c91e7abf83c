// Test doubles shared by the ops tests: a hand-driven scheduler, a scripted run
// function and an output that keeps lines.
import { NO_FIGURES } from '../../src/exec/tally.js';
import type { Output } from '../../src/cli/line-output.js';
import type { Scheduler } from '../../src/daemon/scheduler.js';
import type { LogReport } from '../../src/exec/log-report.js';
import type { RunResult } from '../../src/run/result.js';
import type { RunOptions } from '../../src/run/run.js';

export class LinesOutput implements Output {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  out(line: string): void {
    this.stdout.push(line);
  }
  err(line: string): void {
    this.stderr.push(line);
  }
}

export class ManualScheduler implements Scheduler {
  expression: string | null = null;
  private tickFn: (() => void) | null = null;
  schedule(expression: string, tick: () => void): { stop(): void } {
    this.expression = expression;
    this.tickFn = tick;
    return { stop: () => void (this.tickFn = null) };
  }
  get active(): boolean {
    return this.tickFn !== null;
  }
  tick(): void {
    this.tickFn?.();
  }
}

/** A run function whose calls stay pending until the test releases them. */
export class ScriptedRun {
  readonly calls: RunOptions[] = [];
  private readonly pending: ((result: RunResult) => void)[] = [];
  readonly run = (options: RunOptions): Promise<RunResult> => {
    this.calls.push(options);
    return new Promise((resolve) => this.pending.push(resolve));
  };
  /** Completes the oldest pending call. */
  finish(result: RunResult = okResult([])): void {
    const resolve = this.pending.shift();
    if (resolve === undefined) throw new Error('no run is pending');
    resolve(result);
  }
  get pendingCount(): number {
    return this.pending.length;
  }
}

export function okResult(logs: readonly LogReport[]): RunResult {
  return { exitCode: 0, logs, diagnostics: [], figures: NO_FIGURES };
}

export function rotatedReport(path: string, actions: readonly string[]): LogReport {
  return { path, pattern: path, verdict: { kind: 'rotate', why: 'size' }, actions };
}

/** Lets queued promise callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Polls `check` every 20 ms until it holds; fails after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
