// Entry point of a compression worker thread (see gzip-workers.ts): one small file at a
// time, on descriptors the main thread opened (they are the process's, so valid here).
import { parentPort } from 'node:worker_threads';
import { gzipSmallSync, type SmallJob } from './gzip-small.js';

export interface WorkerRequest extends SmallJob {
  readonly id: number;
}

export type WorkerReply =
  | { readonly id: number; readonly done: boolean }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string | undefined } };

parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: request.id, done: gzipSmallSync(request) };
  } catch (err) {
    const { message, code } = err as NodeJS.ErrnoException;
    reply = { id: request.id, error: { message, code } };
  }
  parentPort?.postMessage(reply);
});
