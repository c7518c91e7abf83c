// Where the CLI sends Logger lines: stderr (debug only when verbose), a `-l` file
// (every level, truncated at open) or syslog. Rendering matches logrotate's prefixes.
// Lines are buffered (a write(2) per line was a fifth of a -d run on a large config)
// and flushed when the buffer fills, at the next turn of the event loop, before the
// executor starts a child that shares our stderr (flush()), and at close.
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { strerror } from '../strerror.js';
import type { TextSink } from './io.js';

export type LineSeverity = 'debug' | 'warning' | 'error';

export interface LogSink {
  write(severity: LineSeverity, text: string): void;
  /** Hands buffered lines on now. */
  flush?(): void;
  close(): Promise<void>;
}

const FLUSH_AT = 64 * 1024;

/** Collects text and hands it to `out` in large pieces, and always before the event
 * loop turns, so nothing waits long and a crash loses at most one turn's lines. */
class LineBuffer {
  private pending = '';
  private scheduled = false;

  constructor(private readonly out: (text: string) => void) {}

  add(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.out(text);
  }
}

export function renderLine(severity: LineSeverity, text: string): string {
  switch (severity) {
    case 'debug':
      return `${text}\n`;
    case 'warning':
      return `warning: ${text}\n`;
    case 'error':
      return `error: ${text}\n`;
  }
}

export class StreamSink implements LogSink {
  private readonly buffer: LineBuffer;
  constructor(
    stream: TextSink,
    private readonly verbose: boolean,
  ) {
    this.buffer = new LineBuffer((text) => stream.write(text));
  }
  write(severity: LineSeverity, text: string): void {
    if (severity !== 'debug' || this.verbose) this.buffer.add(renderLine(severity, text));
  }
  flush(): void {
    this.buffer.flush();
  }
  async close(): Promise<void> {
    this.buffer.flush();
  }
}

export class FileSink implements LogSink {
  private readonly buffer: LineBuffer;
  private constructor(private readonly fd: number) {
    this.buffer = new LineBuffer((text) => writeSync(fd, text));
  }

  /** The sink, or the error text logrotate prints when the file cannot be opened. */
  static open(path: string): FileSink | string {
    try {
      return new FileSink(openSync(path, 'w'));
    } catch (error) {
      return `error opening log file ${path}: ${strerror(error)}`;
    }
  }
  write(severity: LineSeverity, text: string): void {
    this.buffer.add(renderLine(severity, text));
  }
  flush(): void {
    this.buffer.flush();
  }
  async close(): Promise<void> {
    this.buffer.flush();
    closeSync(this.fd);
  }
}

// Syslog priorities for facility "user" (1 << 3) plus the level logrotate maps each severity to.
const SYSLOG_PRIORITY: Record<LineSeverity, number> = { debug: 8 + 6, warning: 8 + 4, error: 8 + 3 };

/** Syslog through util-linux `logger`: Node has no unix datagram sockets for /dev/log.
 * One long-lived child reads `<PRI>text` lines, so a run costs one spawn, not one per line.
 * node:child_process is loaded only when a first line comes (startup time). */
export class SyslogSink implements LogSink {
  private child: Promise<ChildProcess> | undefined;

  write(severity: LineSeverity, text: string): void {
    this.child ??= import('node:child_process').then(({ spawn }) =>
      spawn('logger', ['--prio-prefix', '-p', 'user.info', '-t', 'logrotor'], {
        stdio: ['pipe', 'ignore', 'ignore'],
      }).on('error', () => {}), // a missing `logger` must not take the rotation down
    );
    const prefix = `<${SYSLOG_PRIORITY[severity]}>`;
    const lines = text.split('\n').map((line) => prefix + line + '\n').join('');
    // Writes are chained on the one promise, so they keep their order.
    void this.child.then((child) => child.stdin?.write(lines));
  }
  async close(): Promise<void> {
    if (this.child === undefined) return;
    const child = await this.child;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.stdin?.end();
    });
  }
}

/** The Logger handed to runRotation: every line to every sink. */
export class FanoutLogger implements Logger {
  constructor(private readonly sinks: readonly LogSink[]) {}
  debug(text: string): void {
    this.emit('debug', text);
  }
  warning(text: string): void {
    this.emit('warning', text);
  }
  error(text: string): void {
    this.emit('error', text);
  }
  flush(): void {
    for (const sink of this.sinks) sink.flush?.();
  }
  async close(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.close()));
  }
  private emit(severity: LineSeverity, text: string): void {
    for (const sink of this.sinks) sink.write(severity, text);
  }
}

/** Keeps every line, for the `messages` of `--json`. */
export class MemorySink implements LogSink {
  readonly lines: { severity: LineSeverity; text: string }[] = [];
  write(severity: LineSeverity, text: string): void {
    this.lines.push({ severity, text });
  }
  async close(): Promise<void> {}
}
