// Where the CLI sends Logger lines: stderr (debug only when verbose), a `-l` file
// (every level, truncated at open) or syslog. Rendering matches logrotate's prefixes.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { strerror } from '../state/strerror.js';
import type { TextSink } from './io.js';

export type LineSeverity = 'debug' | 'warning' | 'error';

export interface LogSink {
  write(severity: LineSeverity, text: string): void;
  close(): Promise<void>;
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
  constructor(
    private readonly stream: TextSink,
    private readonly verbose: boolean,
  ) {}
  write(severity: LineSeverity, text: string): void {
    if (severity !== 'debug' || this.verbose) this.stream.write(renderLine(severity, text));
  }
  async close(): Promise<void> {}
}

export class FileSink implements LogSink {
  private constructor(private readonly fd: number) {}

  /** The sink, or the error text logrotate prints when the file cannot be opened. */
  static open(path: string): FileSink | string {
    try {
      return new FileSink(openSync(path, 'w'));
    } catch (error) {
      return `error opening log file ${path}: ${strerror(error)}`;
    }
  }
  write(severity: LineSeverity, text: string): void {
    writeSync(this.fd, renderLine(severity, text));
  }
  async close(): Promise<void> {
    closeSync(this.fd);
  }
}

// Syslog priorities for facility "user" (1 << 3) plus the level logrotate maps each severity to.
const SYSLOG_PRIORITY: Record<LineSeverity, number> = { debug: 8 + 6, warning: 8 + 4, error: 8 + 3 };

/** Syslog through util-linux `logger`: Node has no unix datagram sockets for /dev/log.
 * One long-lived child reads `<PRI>text` lines, so a run costs one spawn, not one per line. */
export class SyslogSink implements LogSink {
  private child: ChildProcess | undefined;

  write(severity: LineSeverity, text: string): void {
    this.child ??= spawn('logger', ['--prio-prefix', '-p', 'user.info', '-t', 'logrotor'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    }).on('error', () => {}); // a missing `logger` must not take the rotation down
    const prefix = `<${SYSLOG_PRIORITY[severity]}>`;
    this.child.stdin?.write(text.split('\n').map((line) => prefix + line + '\n').join(''));
  }
  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
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
