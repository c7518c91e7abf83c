// The finishing steps (compress, fsync, remove) of several logs in flight at once.
// logrotate finishes one log before it starts the next, and most of that time is spent
// waiting for a compressed file to reach the disk. Those waits may overlap (each file is
// still made durable before its source is removed, within its own task), as long as no
// one can tell:
// - a task never touches a name another task or the run's next steps touch (`admit`
//   and `waitFor` wait for the tasks holding any of the names);
// - every script, mail and change of identity waits for all tasks (`drain`): a script
//   sees the tree as a one-at-a-time run leaves it;
// - the output keeps its order (ordered-log.ts), and the run ends, writes the state and
//   closes the journal only once every task is done.
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from '../../logger.js';
import { OrderedLog } from './ordered-log.js';

interface Task {
  readonly names: ReadonlySet<string>;
  readonly done: Promise<void>;
}

/** Tasks in flight: a few per core, since most of a task's time is a wait for the disk. */
export const FINISH_DEPTH = 4 * availableParallelism();

export class FinishPool {
  private readonly tasks = new Set<Task>();
  /** A task that threw (not a step failure, which is an outcome: a journal that could
   * not be written); rethrown by `drain`. */
  private thrown: { err: unknown } | null = null;
  private readonly output: OrderedLog;

  constructor(sink: Logger, private readonly depth = FINISH_DEPTH) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be a positive integer, got ${depth}`);
    this.output = new OrderedLog(sink);
  }

  /** The run's own logger: its lines stay after those of the tasks started before them. */
  get logger(): Logger {
    return this.output.logger;
  }

  /** Starts `work` once a slot is free and no task in flight touches any of `names`;
   * `work` writes to the logger it is given. `done` settles (never rejects) when it ends. */
  async admit(names: ReadonlySet<string>, work: (logger: Logger) => Promise<void>): Promise<{ readonly done: Promise<void> }> {
    while (this.tasks.size >= this.depth || this.holding(names).length > 0) await this.any(this.tasks);
    const forked = this.output.fork();
    const task: Task = {
      names,
      done: work(forked.logger)
        .catch((err: unknown) => {
          this.thrown ??= { err };
        })
        .finally(() => {
          forked.close();
          this.tasks.delete(task);
        }),
    };
    this.tasks.add(task);
    return { done: task.done };
  }

  /** Returns once no task in flight touches any of `names`. */
  async waitFor(names: Iterable<string>): Promise<void> {
    const wanted = new Set(names);
    for (let holding = this.holding(wanted); holding.length > 0; holding = this.holding(wanted)) await this.any(holding);
  }

  /** Returns once no task in flight touches a name in any of `dirs`. */
  async waitForDirs(dirs: ReadonlySet<string>): Promise<void> {
    const inDirs = (): Task[] => [...this.tasks].filter((t) => [...t.names].some((name) => dirs.has(dirname(name))));
    for (let holding = inDirs(); holding.length > 0; holding = inDirs()) await this.any(holding);
  }

  /** Returns once every task is done; throws what a task threw. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await this.any(this.tasks);
    if (this.thrown !== null) {
      const { err } = this.thrown;
      this.thrown = null;
      throw err;
    }
  }

  private holding(names: ReadonlySet<string>): Task[] {
    return [...this.tasks].filter((t) => [...names].some((name) => t.names.has(name)));
  }

  private any(tasks: Iterable<Task>): Promise<void> {
    return Promise.race([...tasks].map((t) => t.done));
  }
}
