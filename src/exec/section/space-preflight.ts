// Space preflight: a rotation that cannot fit its copy or compressed output must not
// start, or it dies half-way with ENOSPC after the old logs were already shifted.
import { statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Action, LogRotation } from '../../plan/model.js';

/** Slack for filesystem metadata, block rounding and compressors whose output is
 * slightly larger than their input on incompressible data. */
export function marginFor(bytes: number): number {
  return 64 * 1024 + Math.ceil(bytes / 64);
}

/** Bytes the action writes into `dir`, with the source size as the worst case. */
interface Need {
  readonly dir: string;
  readonly bytes: number;
}

// Synchronous throughout: metadata calls of microseconds, once per rotation, where each
// thread-pool round trip costs more.

function statOrNull(path: string): { size: number; dev: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function sizeOr(path: string, fallback: number): number {
  return statOrNull(path)?.size ?? fallback;
}

/** A source that does not exist yet (the rotated name a copy or rename produces during
 * this rotation) holds the log's current bytes. */
function needOf(action: Action, logSize: number): Need | null {
  switch (action.kind) {
    case 'copy':
    case 'compress':
      return { dir: dirname(action.to), bytes: sizeOr(action.from, logSize) };
    case 'rename':
    case 'create':
    case 'remove':
    case 'mail':
    case 'stamp':
    case 'track':
    case 'archive':
    case 'shift-gap':
    case 'signal':
      return null;
  }
}

/** Free bytes for root's writes into `dir`: root may use the reserved blocks too, but
 * counting only f_bavail keeps unprivileged writers of the same disk alive. */
function available(dir: string): number {
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}

/** Checks every copy and compression of one rotation against the free space of its target
 * filesystem, summed per filesystem because the outputs coexist until the rotation ends.
 * Returns the error to report, or null when everything fits. */
export function preflightRotation(rotation: LogRotation, logSize: number): string | null {
  const needs: Need[] = [];
  for (const action of [...rotation.prepare, ...rotation.rotate, ...rotation.finish]) {
    const need = needOf(action, logSize);
    if (need !== null) needs.push(need);
  }
  const byDevice = new Map<number, { dir: string; bytes: number }>();
  for (const need of needs) {
    // A directory that does not exist yet fails its action later with its own error.
    const dev = statOrNull(need.dir)?.dev ?? null;
    if (dev === null) continue;
    const entry = byDevice.get(dev) ?? { dir: need.dir, bytes: 0 };
    entry.bytes += need.bytes;
    byDevice.set(dev, entry);
  }
  for (const { dir, bytes } of byDevice.values()) {
    const required = bytes + marginFor(bytes);
    const free = available(dir);
    if (free < required) {
      return `not enough space to rotate ${rotation.log}: ${dir} has ${free} bytes free, the copies and compressed files need ${required}; log left untouched`;
    }
  }
  return null;
}

/** The rotations whose copies and compressed files fit; each other one is `refused` (left
 * as it is: no script, no rename, no new state time). */
export function rotationsThatFit(rotations: readonly LogRotation[], refuse: (log: string, problem: string) => void): LogRotation[] {
  const fit: LogRotation[] = [];
  for (const r of rotations) {
    const problem = preflightRotation(r, statOrNull(r.log)?.size ?? 0);
    if (problem === null) fit.push(r);
    else refuse(r.log, problem);
  }
  return fit;
}
