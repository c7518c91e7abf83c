// An rsync daemon (Debian's rsync, `--daemon --no-detach`) on 127.0.0.1 with modules in a
// temp dir, stopped by its pid.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitUntilReady } from './process.js';
import { greets } from './tcp.js';

export interface RsyncDaemon {
  readonly port: number;
  /** The directory behind `module`. */
  path(module: string): string;
  /** rsync://127.0.0.1:PORT/MODULE */
  url(module: string): string;
  stop(): Promise<void>;
}

/** `modules`: name → read-only?  Every module is a fresh empty directory. */
export async function startRsyncDaemon(modules: Readonly<Record<string, boolean>>): Promise<RsyncDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-rsyncd-'));
  const port = await freePort();
  const sections = Object.entries(modules).map(([name, readOnly]) => {
    mkdirSync(join(dir, name));
    // Run as root: a daemon started by root would otherwise write as nobody.
    return `[${name}]\npath = ${join(dir, name)}\nread only = ${readOnly ? 'yes' : 'no'}\nuid = root\ngid = root\n`;
  });
  const conf = join(dir, 'rsyncd.conf');
  writeFileSync(conf, `use chroot = no\nlog file = ${join(dir, 'rsyncd.log')}\n${sections.join('')}`);
  const server = startProcess('rsync daemon', 'rsync', ['--daemon', '--no-detach', `--config=${conf}`, `--port=${port}`, '--address=127.0.0.1'], {
    logFile: join(dir, 'rsyncd.out'),
  });
  try {
    await waitUntilReady(server, () => greets(port, '@RSYNCD:'), 10_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    port,
    path: (module) => join(dir, module),
    url: (module) => `rsync://127.0.0.1:${port}/${module}`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
