// Entry point of a compression worker thread (see gzip-workers.ts): one small file at a
// time, on descriptors the main thread opened (they are the process's, so valid here).
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { gzipSmallSync, type SmallJob } from './gzip-small.js';

// The main thread is the run's critical path (it plans, renames and creates, and hands
// out the compressions): on a machine with fewer cores than busy threads it must not
// queue behind them. On Linux the nice value is per thread, so this lowers only the
// worker's own priority (measured: 0.48 → 0.45 of logrotate's time on 2,000 logs).
try {
  setPriority(10);
} catch {
  // Not allowed or not supported: the worker runs at the normal priority.
}

export interface WorkerRequest extends SmallJob {
  readonly id: number;
}

/** 'ready' once, when the worker can take jobs; then one reply per request. */
export type WorkerReply =
  | 'ready'
  | { readonly id: number; readonly done: boolean }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string | undefined; readonly syscall?: string | undefined } };

parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: request.id, done: gzipSmallSync(request) };
  } catch (err) {
    const { message, code, syscall } = err as NodeJS.ErrnoException;
    reply = { id: request.id, error: { message, code, syscall } };
  }
  parentPort?.postMessage(reply);
});
const ready: WorkerReply = 'ready';
parentPort?.postMessage(ready);
