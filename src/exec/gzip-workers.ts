// A few worker threads for compressing small files (gzip-small.ts), started on first
// use, one file at a time each. They only compute (the caller makes the output durable on
// the thread pool), so one per core is all that can run at once; each more would cost its
// isolate (~20 MB) and buy nothing. Idle ones never keep the process alive. If a worker
// cannot be started, callers fall back to the thread pool.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SmallJob } from './gzip-small.js';
import type { WorkerReply, WorkerRequest } from './gzip-worker.js';

const SCRIPT = new URL('./gzip-worker.js', import.meta.url);
const WORKERS = availableParallelism();
/** Idle this long, the workers are stopped: a daemon or watch process keeps no isolates
 * (~20 MB each) between its runs. */
const IDLE_MS = 10_000;

interface Waiting {
  readonly resolve: (done: boolean | null) => void;
  readonly reject: (err: Error) => void;
}

export class GzipWorkers {
  private readonly idle: Worker[] = [];
  /** The request each busy worker is on. */
  private readonly busy = new Map<Worker, number>();
  /** Started, not ready yet. Jobs go to ready workers only: a worker that fails while
   * starting (its script or a preload throws, its isolate gets no memory; that is
   * reported after `new Worker` returned) then holds none, and they go to the thread
   * pool instead of failing. */
  private readonly starting = new Set<Worker>();
  private started = 0;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  private readonly queue: WorkerRequest[] = [];
  private broken = false;
  /** Stopped for idleness: their exit is no failure. */
  private readonly retiring = new Set<Worker>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs = IDLE_MS) {}

  /** Workers running (busy, idle or starting). */
  get running(): number {
    return this.started;
  }

  /** True when the file was compressed; false when it grew (see gzipSmallSync); null
   * when no worker is available. */
  async run(job: SmallJob): Promise<boolean | null> {
    if (this.broken) return null;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const request: WorkerRequest = { ...job, id: this.nextId++ };
    const answer = new Promise<boolean | null>((resolve, reject) => this.waiting.set(request.id, { resolve, reject }));
    this.queue.push(request);
    this.dispatch();
    return answer;
  }

  private dispatch(): void {
    for (let worker = this.idle.pop(); worker !== undefined; worker = this.idle.pop()) {
      const request = this.queue.shift();
      if (request === undefined) {
        this.idle.push(worker);
        break;
      }
      this.busy.set(worker, request.id);
      // A busy worker keeps the process alive: its answer is awaited.
      worker.ref();
      worker.postMessage(request);
    }
    // A worker for each job still waiting, up to the limit; each takes one once ready.
    while (!this.broken && this.queue.length > this.starting.size && this.started < WORKERS) this.start();
    this.orphans();
    if (this.busy.size === 0 && this.queue.length === 0 && this.starting.size === 0 && this.idle.length > 0) {
      if (this.idleTimer !== null) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.retire(), this.idleMs).unref();
    }
  }

  private retire(): void {
    this.idleTimer = null;
    for (const worker of this.idle.splice(0)) {
      this.retiring.add(worker);
      this.started--;
      void worker.terminate();
    }
  }

  private start(): void {
    this.started++;
    let worker: Worker;
    try {
      // A worker's garbage is mostly outside its heap (file buffers): a small young
      // generation saves ~20 MB of RSS a worker (measured on 2,000 logs: 250 → 205 MB
      // for the run) at no measurable cost.
      worker = new Worker(SCRIPT, { resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    } catch {
      this.broken = true;
      return;
    }
    // Referenced until ready: the jobs queued meanwhile wait for it.
    this.starting.add(worker);
    worker.on('message', (reply: WorkerReply) => {
      if (reply === 'ready') {
        this.starting.delete(worker);
      } else {
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        this.busy.delete(worker);
        if ('error' in reply) {
          const { message, code, syscall } = reply.error;
          waiter?.reject(Object.assign(new Error(message), { code, syscall }));
        } else {
          waiter?.resolve(reply.done);
        }
      }
      worker.unref();
      this.idle.push(worker);
      this.dispatch();
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) => this.lost(worker, new Error(`compression worker exited with status ${code}`)));
  }

  /** A worker died (it does not for a failed file: that is an answer): its job fails,
   * and from now on files are compressed on the thread pool. */
  private lost(worker: Worker, err: Error): void {
    if (this.retiring.delete(worker)) return;
    this.broken = true;
    this.starting.delete(worker);
    const idle = this.idle.indexOf(worker);
    if (idle >= 0) this.idle.splice(idle, 1);
    const id = this.busy.get(worker);
    this.busy.delete(worker);
    if (id !== undefined) {
      this.waiting.get(id)?.reject(err);
      this.waiting.delete(id);
    }
    this.orphans();
  }

  /** Without workers, queued jobs go back to their callers' fallback. */
  private orphans(): void {
    if (!this.broken) return;
    for (const request of this.queue.splice(0)) {
      this.waiting.get(request.id)?.resolve(null);
      this.waiting.delete(request.id);
    }
  }
}

export const gzipWorkers = new GzipWorkers();
