// Extension point for crash safety: a write-ahead journal records each step before it
// happens and marks it done afterwards, so an interrupted run can be finished or undone.
import type { Action } from '../plan/model.js';

/** Called around every action the executor performs (not under -d, where nothing runs).
 * `log` is the log whose rotation the action belongs to. A rejection from `before`
 * aborts that action as a failure; `after` runs only when the action succeeded. */
export interface StepObserver {
  before(action: Action, log: string): Promise<void>;
  after(action: Action, log: string): Promise<void>;
}
