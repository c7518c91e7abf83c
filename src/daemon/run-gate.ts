// One rotation at a time in this process: the state file lock would refuse a second
// one anyway, and a scheduled tick, a SIGHUP and a watch trigger can all coincide.

export class RunGate {
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Runs `job` after every job already queued; resolves with its result. */
  enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    const result = this.tail.then(job).finally(() => {
      this.inFlight -= 1;
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once nothing is running or queued. */
  async idle(): Promise<void> {
    while (this.inFlight > 0) await this.tail;
  }
}
