// A line the planner has to say, with its severity; the CLI hands it to a Logger.
export interface MessageLine {
  readonly severity: 'debug' | 'warning' | 'error';
  readonly text: string;
}
