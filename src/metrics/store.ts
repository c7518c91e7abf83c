// The counters beside the state file (`<statefile>.metrics.json`), so they keep counting
// across runs and restarts. Replaced atomically; read without any lock (status does).
import { readFileSync } from 'node:fs';
import { NO_STATE_PATH } from '../state/store.js';
import { replaceFile } from '../state/atomic.js';
import { errorCode, strerror } from '../strerror.js';
import { NO_COUNTERS, REMOVAL_REASONS, type ArchiveOutcome, type Counters, type LogCounters, type RemovalReason } from './model.js';

const SCHEMA = 'logrotor.metrics/1';

/** Where the counters of a state file live; null for `-s /dev/null` (nothing is kept). */
export function countersPath(statePath: string): string | null {
  return statePath === NO_STATE_PATH ? null : `${statePath}.metrics.json`;
}

export type ReadCounters = { readonly ok: true; readonly counters: Counters } | { readonly ok: false; readonly error: string };

/** A missing file is a fresh start; a damaged one is an error (the caller decides). */
export function readCounters(path: string | null): ReadCounters {
  if (path === null) return { ok: true, counters: NO_COUNTERS };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { ok: true, counters: NO_COUNTERS };
    return { ok: false, error: `cannot read metrics counters ${path}: ${strerror(err)}` };
  }
  const counters = parseCounters(text);
  return counters === null ? { ok: false, error: `metrics counters ${path} are damaged; counting starts again from zero` } : { ok: true, counters };
}

/** Null when written; otherwise the error message. */
export function writeCounters(path: string | null, counters: Counters): string | null {
  if (path === null) return null;
  const problem = replaceFile(path, serializeCounters(counters), 0o644);
  return problem === null ? null : `cannot write metrics counters ${path}: ${problem}`;
}

export function serializeCounters(counters: Counters): string {
  const time = (date: Date | null): string | null => date?.toISOString() ?? null;
  const logs: Record<string, unknown> = {};
  for (const [path, log] of counters.logs) {
    logs[path] = {
      rotations: log.rotations,
      failures: log.failures,
      lastRotatedAt: time(log.lastRotatedAt),
      lastFailure: log.lastFailure === null ? null : { at: log.lastFailure.at.toISOString(), error: log.lastFailure.error },
    };
  }
  const run = counters.lastRun;
  return `${JSON.stringify({
    schema: SCHEMA,
    lastRun: run === null ? null : { startedAt: time(run.startedAt), finishedAt: time(run.finishedAt), success: run.success },
    lastSuccessAt: time(counters.lastSuccessAt),
    runs: counters.runs,
    compressedBytes: counters.compressedBytes,
    removedFiles: counters.removedFiles,
    archive: counters.archive,
    logs,
  })}\n`;
}

/** The counters, or null when the text is not a counters file this version wrote. */
export function parseCounters(text: string): Counters | null {
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value) || value['schema'] !== SCHEMA) return null;
    return fields(value);
  } catch {
    return null;
  }
}

class Damaged extends Error {}

function fields(v: Record<string, unknown>): Counters {
  const run = v['lastRun'];
  const runs = record(v['runs']);
  const removed = record(v['removedFiles']);
  const removedFiles = Object.fromEntries(REMOVAL_REASONS.map((reason) => [reason, count(removed[reason])])) as Record<RemovalReason, number>;
  const logs = new Map<string, LogCounters>();
  for (const [path, entry] of Object.entries(record(v['logs']))) logs.set(path, logCounters(record(entry)));
  return {
    lastRun:
      run === null
        ? null
        : { startedAt: date(record(run)['startedAt']), finishedAt: date(record(run)['finishedAt']), success: record(run)['success'] === true },
    lastSuccessAt: v['lastSuccessAt'] === null ? null : date(v['lastSuccessAt']),
    runs: { succeeded: count(runs['succeeded']), failed: count(runs['failed']) },
    compressedBytes: count(v['compressedBytes']),
    removedFiles,
    archive: v['archive'] === null || v['archive'] === undefined ? null : archive(record(v['archive'])),
    logs,
  };
}

function logCounters(v: Record<string, unknown>): LogCounters {
  const failure = v['lastFailure'];
  const error = failure === null ? '' : record(failure)['error'];
  if (typeof error !== 'string') throw new Damaged();
  return {
    rotations: count(v['rotations']),
    failures: count(v['failures']),
    lastRotatedAt: v['lastRotatedAt'] === null ? null : date(v['lastRotatedAt']),
    lastFailure: failure === null ? null : { at: date(record(failure)['at']), error },
  };
}

function archive(v: Record<string, unknown>): ArchiveOutcome {
  return {
    archivedFiles: count(v['archivedFiles']),
    archivedBytes: count(v['archivedBytes']),
    failedFiles: count(v['failedFiles']),
    failedBytes: count(v['failedBytes']),
    queuedFiles: count(v['queuedFiles']),
    queuedBytes: count(v['queuedBytes']),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new Damaged();
  return value;
}

function count(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Damaged();
  return value;
}

function date(value: unknown): Date {
  const parsed = typeof value === 'string' ? new Date(value) : null;
  if (parsed === null || Number.isNaN(parsed.getTime())) throw new Damaged();
  return parsed;
}
