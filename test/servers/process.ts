// Real servers for tests (radosgw, prometheus, node_exporter, rsync, sshd, nginx): started
// on 127.0.0.1 by the test that needs them and stopped by their pid, also when the test
// fails or the test process is killed by the runner's timeout.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** Where its stdout and stderr go: the first place to look when it did not start. */
  readonly logFile: string;
  /** Settles when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly logFile: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Every server this test process started and has not stopped yet. */
const running = new Set<ServerProcess>();

// A test process that ends (normally, or after an uncaught failure) takes its servers
// with it: only the pids we started are signalled.
process.once('exit', () => {
  for (const server of running) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts `command` in the foreground (the server must not daemonize itself). */
export function startProcess(name: string, command: string, args: readonly string[], options: StartOptions): ServerProcess {
  const out = openSync(options.logFile, 'a');
  let child;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  let stopping: Promise<void> | null = null;
  const server: ServerProcess = {
    name,
    pid,
    logFile: options.logFile,
    exited,
    stop(graceMs = 5000) {
      stopping ??= (async () => {
        signal(pid, 'SIGTERM');
        const timer = setTimeout(() => signal(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
        running.delete(server);
      })();
      return stopping;
    },
  };
  running.add(server);
  void exited.then(() => running.delete(server));
  return server;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `ready` every `everyMs` until it answers true; fails after `timeoutMs` with the
 * server's log tail, or at once when the server exited. */
export async function waitUntilReady(server: ServerProcess, ready: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    if (exited) break;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const why = exited ? 'exited before it was ready' : `not ready after ${timeoutMs} ms`;
  throw new Error(`${server.name} (pid ${server.pid}) ${why}; log ${server.logFile}:\n${tail(server.logFile)}`);
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
