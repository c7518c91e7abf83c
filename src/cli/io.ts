// The CLI's only view of the process streams, so tests can capture output.

export interface TextSink {
  write(text: string): void;
}

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

export function processIo(): CliIo {
  return {
    stdout: { write: (text) => void process.stdout.write(text) },
    stderr: { write: (text) => void process.stderr.write(text) },
  };
}

/** Collects everything written, for tests of `main`. */
export class CapturedIo implements CliIo {
  out = '';
  err = '';
  readonly stdout: TextSink = { write: (text) => void (this.out += text) };
  readonly stderr: TextSink = { write: (text) => void (this.err += text) };
}
