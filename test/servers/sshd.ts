// Debian's OpenSSH server on 127.0.0.1 and a free port, with a host key and a client key
// made for the test; rsync reaches it through RSYNC_RSH. Stopped by its pid.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitUntilReady, type ServerProcess } from './process.js';
import { greets } from './tcp.js';

export interface SshServer {
  readonly port: number;
  /** A scratch directory for the test (archives go under it). */
  readonly dir: string;
  /** RSYNC_RSH for a client that trusts only this server's host key and logs in with the test key. */
  rsh(key?: 'test' | 'unknown'): string;
  /** Stops sshd (by pid); start() brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path]);
}

export async function startSshd(): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-sshd-'));
  const port = await freePort();
  for (const key of ['host', 'client', 'stranger']) keygen(join(dir, key));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')), { mode: 0o600 });
  const hostKey = readFileSync(join(dir, 'host.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  const conf = join(dir, 'sshd_config');
  writeFileSync(
    conf,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host')}`,
      'PidFile none',
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The temp dir's modes are not sshd's business here.
      'StrictModes no',
      // bash sources ~/.bashrc for a command run by sshd only at SHLVL < 2 (it starts at
      // SHLVL+1): a developer's slow .bashrc must not slow every connection.
      'SetEnv SHLVL=1',
      '',
    ].join('\n'),
  );
  // Debian's sshd refuses to start without its privilege separation directory, which
  // systemd makes at boot.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  let server: ServerProcess | null = null;
  const start = async (): Promise<void> => {
    const started = startProcess('sshd', '/usr/sbin/sshd', ['-D', '-e', '-f', conf], { logFile: join(dir, 'sshd.log') });
    server = started;
    await waitUntilReady(started, () => greets(port, 'SSH-2.0-'), 10_000);
  };
  const kill = async (): Promise<void> => {
    const running = server;
    server = null;
    await running?.stop();
  };
  try {
    await start();
  } catch (error) {
    await kill();
    throw error;
  }
  return {
    port,
    dir,
    rsh: (key = 'test') =>
      `ssh -F /dev/null -p ${port} -i ${join(dir, key === 'test' ? 'client' : 'stranger')} -o UserKnownHostsFile=${join(dir, 'known_hosts')} -o StrictHostKeyChecking=yes -o BatchMode=yes`,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
