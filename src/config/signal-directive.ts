// `signal SIGNAL PIDFILE` (a logrotor extension, after FreeBSD newsyslog's pid file and
// signal fields): where a postrotate script would run, send SIGNAL to the process whose
// pid PIDFILE holds, without a shell. `nosignal` takes it back.
import { constants } from 'node:os';
import type { PidSignal } from './model.js';

const SIGNALS: ReadonlySet<string> = new Set(Object.keys(constants.signals));

/** `USR1`, `SIGUSR1` or `usr1` for SIGUSR1; null for anything else. */
function signalName(word: string): string | null {
  const upper = word.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return SIGNALS.has(name) ? name : null;
}

/** The directive's argument, or why it is refused (a section error). */
export function parseSignal(value: string): PidSignal | string {
  const text = value.trim();
  const words = text.split(/[ \t]+/).filter((word) => word !== '');
  if (words.length === 0) return 'argument expected after signal';
  const [sig, pidFile, ...extra] = words;
  if (pidFile === undefined || extra.length > 0) return `signal takes a signal and a pid file, as in 'signal USR1 /run/nginx.pid': '${text}'`;
  const name = signalName(sig ?? '');
  if (name === null) return `unknown signal '${sig ?? ''}' (a name such as HUP or USR1)`;
  if (!pidFile.startsWith('/')) return `the pid file of signal must be an absolute path: '${pidFile}'`;
  return { signal: name, pidFile };
}
