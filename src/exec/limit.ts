// A counting semaphore for CPU-bound work that runs on libuv's thread pool
// (zlib's async API). The pool has 4 threads by default whatever the machine,
// so without a bound, concurrent compressions would oversubscribe small
// machines and starve the pool's file reads and writes.
import { availableParallelism } from 'node:os';

export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be a positive integer, got ${slots}`);
  }

  /** Runs `task` once a slot is free; the slot is released however it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays correct.
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** One slot per core: shared by every compression in the process. */
export const cpuLimiter = new Limiter(availableParallelism());
