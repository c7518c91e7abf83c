// Extension point for crash safety: a write-ahead journal records each step before it
// happens and marks it done afterwards, so an interrupted run can be finished or undone.
import type { Action, SectionPlan } from '../plan/model.js';

/** Called around every action the executor performs (not under -d, where nothing runs).
 * `log` is the log whose rotation the action belongs to. A rejection from `before`
 * aborts that action as a failure; `after` runs only when the action succeeded. */
export interface StepObserver {
  /** Once per section that has rotations, before its first action (and before its
   * scripts): the whole plan, so that a killed run can be finished later. */
  section?(plan: SectionPlan): Promise<void>;
  before(action: Action, log: string): Promise<void>;
  after(action: Action, log: string): Promise<void>;
  /** The action failed: its log's rotation stops here. Steps of several logs may be in
   * flight at once, so a missing `after` alone does not say which step failed. */
  failed?(action: Action, log: string): Promise<void>;
  /** Before a script or mail: whatever the observer holds back goes out now. */
  flush?(): void;
}
