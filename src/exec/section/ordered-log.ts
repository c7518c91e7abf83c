// Output of overlapping work, in the order a one-step-at-a-time run prints it.
// While the finishing steps of a log run in the background (finish-pool.ts), the run
// goes on with the next log; its lines must still come after the finishing log's, as
// they do with logrotate. Each piece of overlapping work writes into its own segment;
// a segment's lines go out as soon as every segment before it is complete.
import type { Logger } from '../../logger.js';

type Severity = 'debug' | 'warning' | 'error';

class Segment {
  readonly held: [Severity, string][] = [];
  complete = false;
}

export interface ForkedLog {
  /** Where the forked work writes. */
  readonly logger: Logger;
  /** The work is over: its lines, and those of later segments up to the next
   * unfinished one, go out. */
  close(): void;
}

export class OrderedLog {
  /** Segments not yet written out; the first one writes straight through. */
  private readonly queue: Segment[] = [];
  private main: Segment;
  /** The run's own lines (everything not forked). */
  readonly logger: Logger;

  constructor(private readonly sink: Logger) {
    this.main = this.open();
    this.logger = this.loggerFor(() => this.main);
  }

  /** A segment for work that starts now: its lines follow every line written so far and
   * precede every line the run writes from now on. */
  fork(): ForkedLog {
    const forked = this.open();
    this.finish(this.main);
    this.main = this.open();
    return { logger: this.loggerFor(() => forked), close: () => this.finish(forked) };
  }

  /** True when nothing is held back: the run's own lines go straight to the sink. */
  get inOrder(): boolean {
    return this.queue[0] === this.main;
  }

  private open(): Segment {
    const segment = new Segment();
    this.queue.push(segment);
    return segment;
  }

  private finish(segment: Segment): void {
    segment.complete = true;
    while (this.queue[0]?.complete === true) {
      this.queue.shift();
      const head = this.queue[0];
      if (head === undefined) break;
      for (const [severity, text] of head.held.splice(0)) this.sink[severity](text);
    }
  }

  private loggerFor(segment: () => Segment): Logger {
    const put = (severity: Severity, text: string): void => {
      const target = segment();
      if (this.queue[0] === target) this.sink[severity](text);
      else target.held.push([severity, text]);
    };
    return {
      debug: (text) => put('debug', text),
      warning: (text) => put('warning', text),
      error: (text) => put('error', text),
      // Only lines already in order can be flushed to the terminal.
      flush: () => {
        if (this.queue[0] === segment()) this.sink.flush?.();
      },
    };
  }
}
