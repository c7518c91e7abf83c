// What a run leaves behind in a long-running process. Between its own collections V8
// lets garbage pile up to twice the live heap and more, and glibc keeps freed pages in
// its arenas: a daemon on a one-second schedule grew from ~68 to ~92 MB of RSS in 10,000
// runs with a live heap of 8-10 MB. Given back after every run: +8.7 % (docs/bench.md).
import { loadNative, type NativeBinding } from '../native/index.js';
import { forgetLocalTimes } from '../plan/calendar.js';

/** Node's `gc`, present when node runs with --expose-gc (the bin's preamble adds it). */
export function exposedGc(): (() => void) | undefined {
  const { gc } = globalThis as { gc?: () => void };
  return gc;
}

/**
 * After a daemon's run: forgets the run's remembered local times, collects the garbage
 * (only if node exposes `gc`: a full collection takes some milliseconds, nothing next to
 * a run), then hands malloc's free pages back (only with the addon on glibc).
 */
export function releaseRunMemory(gc = exposedGc(), native: Pick<NativeBinding, 'mallocTrim'> | null = loadNative()): void {
  forgetLocalTimes();
  gc?.();
  native?.mallocTrim();
}
