// Where every message goes. The CLI decides the destinations (stderr, `-l FILE`,
// `-l syslog`, JSON); the rest of the code only says what happened and how severe.

export interface Logger {
  /** Shown with -v/-d, always written to `-l` files. Text without prefix. */
  debug(text: string): void;
  /** Rendered as `warning: text`. */
  warning(text: string): void;
  /** Rendered as `error: text`. Does not by itself change the exit status. */
  error(text: string): void;
  /** Writes out buffered lines: called before a child that shares our stdout/stderr
   * (a script) starts, so their output keeps its order. */
  flush?(): void;
}

/** A logger that keeps every line, for tests and for `--json`. */
export class MemoryLogger implements Logger {
  readonly lines: { severity: 'debug' | 'warning' | 'error'; text: string }[] = [];
  debug(text: string): void {
    this.lines.push({ severity: 'debug', text });
  }
  warning(text: string): void {
    this.lines.push({ severity: 'warning', text });
  }
  error(text: string): void {
    this.lines.push({ severity: 'error', text });
  }
}
