// The clock that drives scheduled runs, behind an interface so tests can tick by hand.
import { SEARCH_YEARS, nextMatch, parseCron, type CronSpec } from './cron.js';

export interface ScheduledJob {
  stop(): void;
}

export interface Scheduler {
  /** Calls `tick` at every time matching `expression` until stopped. */
  schedule(expression: string, tick: () => void): ScheduledJob;
}

/** Why a cron expression is unusable (docs/ops.md, `--schedule`), or null when it is fine:
 * it must parse, and match some second after `now`. */
export function scheduleError(expression: string, now: Date = new Date()): string | null {
  const parsed = parseCron(expression);
  if (!parsed.ok) return invalid(expression, parsed.field, parsed.reason);
  if (nextMatch(parsed.spec, now) === null) return invalid(expression, 'expression', `no time matches in the next ${SEARCH_YEARS} years`);
  return null;
}

const invalid = (expression: string, field: string, reason: string): string => `invalid schedule '${expression}' (${field}: ${reason})`;

/** The longest the job sleeps at a time, so that a step of the wall clock (NTP, a resumed
 * suspend, a manual change) is seen within a minute. */
const MAX_SLEEP_MS = 60_000;

/**
 * Fires `tick` once per matching second. It sleeps until the next match, a minute at most
 * at a time, and then looks at the wall clock again:
 * - a match reached or passed fires once, however many matches the clock jumped over (one
 *   catch-up run after a suspend, not a burst);
 * - a second fires at most once: after the clock steps back by less than MAX_SLEEP_MS the
 *   seconds already fired are not fired again; after a larger step back the schedule
 *   simply follows the new time.
 * The timer is not unref'd: like node-cron's, it is what keeps the daemon's process alive.
 */
class CronJob implements ScheduledJob {
  private timer: NodeJS.Timeout | null = null;
  private due: number | null = null;
  private lastFired = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly spec: CronSpec,
    private readonly tick: () => void,
    private readonly now: () => number,
  ) {
    this.plan(now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private wake(): void {
    this.timer = null;
    if (this.stopped) return;
    const now = this.now();
    const reached = this.due !== null && now >= this.due ? this.due : null;
    if (reached !== null) this.lastFired = reached;
    this.plan(now);
    if (reached !== null) this.tick();
  }

  private plan(now: number): void {
    const steppedBackALittle = this.lastFired > now && this.lastFired - now < MAX_SLEEP_MS;
    this.due = nextMatch(this.spec, new Date(steppedBackALittle ? this.lastFired : now))?.getTime() ?? null;
    const delay = this.due === null ? MAX_SLEEP_MS : Math.min(Math.max(this.due - now, 0), MAX_SLEEP_MS);
    this.timer = setTimeout(() => this.wake(), delay);
  }
}

/** A scheduler on the wall clock `now` (tests step a clock of their own). */
export function clockScheduler(now: () => number): Scheduler {
  return {
    schedule(expression, tick) {
      const parsed = parseCron(expression);
      if (!parsed.ok) throw new Error(invalid(expression, parsed.field, parsed.reason));
      // Overlap is handled by the daemon so that a skipped tick is reported, not silent.
      return new CronJob(parsed.spec, tick, now);
    },
  };
}

export const cronScheduler: Scheduler = clockScheduler(() => Date.now());
