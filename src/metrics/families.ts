// logrotor's metrics, named by Prometheus' conventions (base units, `_total` for
// counters, `_timestamp_seconds` for times), from a snapshot. Pure.
import type { MetricFamily, Sample } from './exposition.js';
import { REMOVAL_REASONS, type Counters, type MetricsSnapshot } from './model.js';

const seconds = (date: Date): number => date.getTime() / 1000;
const one = (value: number): Sample[] => [{ labels: {}, value }];

export function metricFamilies(snapshot: MetricsSnapshot): MetricFamily[] {
  const { counters } = snapshot;
  const run = counters.lastRun;
  const families: MetricFamily[] = [
    gauge('logrotor_last_run_timestamp_seconds', 'When the last rotation run finished (Unix time).', run === null ? [] : one(seconds(run.finishedAt))),
    gauge('logrotor_last_run_success', 'Whether the last rotation run succeeded (exit status 0): 1, or 0.', run === null ? [] : one(run.success ? 1 : 0)),
    gauge(
      'logrotor_run_duration_seconds',
      'How long the last rotation run took.',
      run === null ? [] : one((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000),
    ),
    gauge(
      'logrotor_last_success_timestamp_seconds',
      'When the last successful rotation run finished (Unix time).',
      counters.lastSuccessAt === null ? [] : one(seconds(counters.lastSuccessAt)),
    ),
    counter('logrotor_runs_total', 'Rotation runs, by result.', [
      { labels: { result: 'success' }, value: counters.runs.succeeded },
      { labels: { result: 'failure' }, value: counters.runs.failed },
    ]),
    counter('logrotor_compressed_bytes_total', 'Bytes of compressed files written by rotations.', one(counters.compressedBytes)),
    counter(
      'logrotor_removed_files_total',
      'Rotated files deleted, by reason (rotate: beyond the rotate count; maxage; maxtotalsize; minfree).',
      REMOVAL_REASONS.map((reason) => ({ labels: { reason }, value: counters.removedFiles[reason] })),
    ),
    ...perLog(snapshot),
    ...archive(snapshot),
  ];
  return families;
}

function perLog(snapshot: MetricsSnapshot): MetricFamily[] {
  const at: Sample[] = [];
  const size: Sample[] = [];
  const rotatedBytes: Sample[] = [];
  const rotatedFiles: Sample[] = [];
  const rotations: Sample[] = [];
  const failures: Sample[] = [];
  for (const [log, facts] of snapshot.logs) {
    const labels = { log };
    if (facts.lastRotation !== null) at.push({ labels, value: seconds(facts.lastRotation) });
    if (facts.size !== null) size.push({ labels, value: facts.size });
    rotatedBytes.push({ labels, value: facts.rotations.bytes });
    rotatedFiles.push({ labels, value: facts.rotations.count });
    const counted = snapshot.counters.logs.get(log);
    rotations.push({ labels, value: counted?.rotations ?? 0 });
    failures.push({ labels, value: counted?.failures ?? 0 });
  }
  return [
    gauge('logrotor_log_last_rotation_timestamp_seconds', "The log's last rotation according to the state file (Unix time).", at),
    gauge('logrotor_log_size_bytes', 'Size of the log now (absent while the log is missing).', size),
    gauge('logrotor_log_rotated_bytes', "Bytes of the log's rotations on disk (compressed or not).", rotatedBytes),
    gauge('logrotor_log_rotated_files', "The log's rotations on disk.", rotatedFiles),
    counter('logrotor_log_rotations_total', 'Rotations of the log that succeeded.', rotations),
    counter('logrotor_log_failures_total', 'Rotation attempts of the log that failed.', failures),
  ];
}

/** Only once the archive feature reported anything: zeros for a feature that is not
 * configured would read as "working, nothing to do". */
function archive(snapshot: MetricsSnapshot): MetricFamily[] {
  const a = snapshot.counters.archive;
  if (a === null) return [];
  return [
    counter('logrotor_archived_files_total', 'Rotated files archived.', one(a.archivedFiles)),
    counter('logrotor_archived_bytes_total', 'Bytes of rotated files archived.', one(a.archivedBytes)),
    counter('logrotor_archive_failed_files_total', 'Attempts to archive a rotated file that failed.', one(a.failedFiles)),
    counter('logrotor_archive_failed_bytes_total', 'Bytes of the rotated files whose archiving failed.', one(a.failedBytes)),
    gauge('logrotor_archive_queued_files', 'Rotated files waiting to be archived.', one(a.queuedFiles)),
    gauge('logrotor_archive_queued_bytes', 'Bytes of the rotated files waiting to be archived.', one(a.queuedBytes)),
  ];
}

function gauge(name: string, help: string, samples: readonly Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

function counter(name: string, help: string, samples: readonly Sample[]): MetricFamily {
  return { name, help, type: 'counter', samples };
}

/** `/healthz`: healthy until a run fails, and again after one succeeds. */
export function healthOf(counters: Counters): { readonly ok: boolean; readonly text: string } {
  const run = counters.lastRun;
  if (run === null) return { ok: true, text: 'ok: no run has finished yet' };
  const at = run.finishedAt.toISOString();
  return run.success ? { ok: true, text: `ok: last run finished ${at}` } : { ok: false, text: `failing: last run, finished ${at}, failed` };
}
