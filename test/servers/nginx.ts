// A real nginx (Debian's package) for tests: its own prefix, config, pid file and logs in
// a directory the test gives, listening on 127.0.0.1 on a free port, in the foreground
// with its master process (which reopens the logs on SIGUSR1). Never the system nginx:
// nothing of /etc/nginx or /var/log/nginx is used.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort, startProcess, waitUntilReady, type ServerProcess } from './process.js';

export const NGINX = '/usr/sbin/nginx';

export interface Nginx {
  readonly server: ServerProcess;
  readonly port: number;
  readonly prefix: string;
  readonly pidFile: string;
  /** One line per request: its URI. */
  readonly accessLog: string;
  /** Graceful stop (SIGQUIT: requests in flight finish and are logged), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** nginx serving 200 to every GET, logging `$request_uri` alone, in `dir`/nginx. `dir` is
 * made 0755: the workers (nobody) reopen the log by its path. */
export async function startNginx(dir: string): Promise<Nginx> {
  chmodSync(dir, 0o755);
  const prefix = join(dir, 'nginx');
  const logs = join(prefix, 'logs');
  mkdirSync(logs, { recursive: true, mode: 0o755 });
  chmodSync(prefix, 0o755);
  chmodSync(logs, 0o755);
  const port = await freePort();
  const pidFile = join(prefix, 'nginx.pid');
  const accessLog = join(logs, 'access.log');
  // Debian's build puts its temporary directories under /var/lib/nginx: each is moved here.
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(prefix, `${kind}_temp`)};`).join('\n');
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process on;
worker_processes 2;
pid ${pidFile};
error_log ${join(logs, 'error.log')} notice;
events {
  worker_connections 1024;
}
http {
${temp}
  log_format uri '$request_uri';
  access_log ${accessLog} uri;
  server {
    listen 127.0.0.1:${port};
    location / {
      return 200 "ok\\n";
    }
  }
}
`,
  );
  const server = startProcess('nginx', NGINX, ['-p', prefix, '-c', conf], { logFile: join(prefix, 'stdout.log') });
  // Ready once it answers, and its pid file names the master we started.
  await waitUntilReady(
    server,
    async () => (await get(port, '/ready')) === 200 && readFileSync(pidFile, 'utf8').trim() === String(server.pid),
    10_000,
  );
  return {
    server,
    port,
    prefix,
    pidFile,
    accessLog,
    stop: async () => {
      try {
        process.kill(server.pid, 'SIGQUIT');
      } catch {
        // gone already
      }
      const timer = setTimeout(() => void server.stop(0), 10_000);
      await server.exited;
      clearTimeout(timer);
      await server.stop();
    },
  };
}

/** GET `path` on 127.0.0.1:`port`; the status code, after the body is read. */
export function get(port: number, path: string, agent?: import('node:http').Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}
