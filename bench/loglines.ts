// Deterministic, realistic log text: a mix of web access lines and syslog-style
// application lines with varying IPs, paths, ids and durations, so gzip sees
// the ratio (about 8-10x) and match patterns of real logs rather than a
// repeated line that compresses 1000x and flatters the compressor.

const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD'];
const PATHS = ['/', '/index.html', '/api/v1/users', '/api/v1/orders', '/static/app.js', '/static/style.css', '/login', '/logout', '/search', '/api/v2/items', '/health', '/metrics', '/favicon.ico', '/images/logo.png'];
const STATUSES = [200, 200, 200, 200, 200, 304, 301, 404, 500, 201, 204, 403];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'curl/7.88.1',
  'Go-http-client/1.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'python-requests/2.31.0',
];
const SERVICES = ['sshd', 'cron', 'kernel', 'systemd', 'postfix/smtpd', 'app-worker', 'nginx'];
const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
const MESSAGES = [
  'Accepted publickey for deploy from {ip} port {n} ssh2',
  'session opened for user root by (uid=0)',
  'job {id} finished in {ms} ms',
  'connection from {ip} closed after {n} requests',
  'cache miss for key user:{n}:profile',
  'retrying upstream request to {ip}:8080 (attempt {d})',
  'queue depth {n}, workers busy {d}/8',
  'Started Daily apt upgrade and clean activities.',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A small seeded generator (mulberry32): the same seed gives the same text everywhere. */
export class LogText {
  private state: number;
  private seconds = Date.UTC(2026, 0, 1) / 1000;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  /** About `bytes` bytes of whole lines (the last line may go past `bytes`). */
  chunk(bytes: number): Buffer {
    const lines: string[] = [];
    let size = 0;
    while (size < bytes) {
      const line = this.line();
      lines.push(line);
      size += line.length;
    }
    return Buffer.from(lines.join(''), 'latin1');
  }

  line(): string {
    this.seconds += this.int(3);
    const date = new Date(this.seconds * 1000);
    if (this.int(3) > 0) {
      const stamp = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${time(date)} +0000`;
      return `${this.ip()} - - [${stamp}] "${this.pick(METHODS)} ${this.pick(PATHS)}${this.query()} HTTP/1.1" ${this.pick(STATUSES)} ${this.int(50000)} "-" "${this.pick(AGENTS)}"\n`;
    }
    const message = this.pick(MESSAGES)
      .replace('{ip}', this.ip())
      .replace('{n}', String(this.int(65536)))
      .replace('{id}', this.int(2 ** 31).toString(16))
      .replace('{ms}', String(this.int(5000)))
      .replace('{d}', String(this.int(9)));
    return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time(date)} host${this.int(4)} ${this.pick(SERVICES)}[${1000 + this.int(30000)}]: ${this.pick(LEVELS)} ${message}\n`;
  }

  private query(): string {
    return this.int(4) === 0 ? `?id=${this.int(100000)}&page=${this.int(20)}` : '';
  }

  private ip(): string {
    return `10.${this.int(4)}.${this.int(256)}.${this.int(256)}`;
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  private int(below: number): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % below);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function time(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}
