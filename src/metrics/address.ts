// `--metrics-listen HOST:PORT`: the address is always explicit (no default port, no
// default interface), so exposing metrics beyond the machine is a decision someone made.

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const FORM = 'HOST:PORT (e.g. 127.0.0.1:9101 or [::1]:9101)';

/** The address, or the message saying what is wrong with it. */
export function parseListenAddress(text: string): ListenAddress | string {
  const bad = (why: string): string => `--metrics-listen wants ${FORM}: '${text}' ${why}`;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d+)$/.exec(text);
  if (match === null) {
    if (!text.includes(':')) return bad('has no port');
    if (!text.startsWith('[') && text.indexOf(':') !== text.lastIndexOf(':')) return bad('needs brackets around an IPv6 address');
    return bad(text.startsWith(':') ? 'has no host (name the interface, e.g. 127.0.0.1)' : 'does not parse');
  }
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  // Port 0 asks the system for a free port; the one it chose is printed.
  if (!Number.isInteger(port) || port > 65535) return bad('has a port outside 0-65535');
  return { host, port };
}

/** As a URL's authority: IPv6 literals in brackets. */
export function authority(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
