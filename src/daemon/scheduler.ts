// The clock that drives scheduled runs, behind an interface so tests can tick by hand.
import cron from 'node-cron';

export interface ScheduledJob {
  stop(): void;
}

export interface Scheduler {
  /** Calls `tick` at every time matching `expression` until stopped. */
  schedule(expression: string, tick: () => void): ScheduledJob;
}

/** Why a cron expression is unusable, or null when node-cron accepts it
 * (five fields, or six with seconds first). */
export function scheduleError(expression: string): string | null {
  const check = cron.validateDetailed(expression);
  if (check.valid) return null;
  const reasons = check.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return `invalid schedule '${expression}'${reasons === '' ? '' : ` (${reasons})`}`;
}

export const cronScheduler: Scheduler = {
  schedule(expression, tick) {
    // Overlap is handled by the daemon so that a skipped tick is reported, not silent.
    const task = cron.schedule(expression, () => tick(), { suppressMissedWarning: true });
    return {
      stop: () => {
        void task.destroy();
      },
    };
  },
};
