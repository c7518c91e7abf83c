// Readiness of a TCP server that speaks first (rsync daemon, sshd): it accepts a
// connection on 127.0.0.1 and its greeting starts as expected.
import { connect } from 'node:net';

export function greets(port: number, prefix: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let seen = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (data) => {
      seen += data.toString('latin1');
      if (seen.length >= prefix.length) done(seen.startsWith(prefix));
    });
  });
}
