// The benchmark's workloads. Each one builds its files once, then `reset`
// puts them back exactly as they were before every single run, for either tool.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LogText } from './loglines.js';

export interface Workload {
  readonly args: readonly string[];
  reset(): void | Promise<void>;
  /** Numbers read off the result of a run (sizes, lost lines), by name. */
  metrics?(): Metrics | Promise<Metrics>;
}

export type Metrics = Readonly<Record<string, number>>;

export interface Scale {
  readonly sections: number;
  readonly logsPerSection: number;
  readonly logBytes: number;
  readonly oldRotations: number;
  readonly bigBytes: number;
  readonly configSections: number;
  /** The purge workload: logs, and dated rotations of each. */
  readonly purgeLogs: number;
  readonly purgeRotations: number;
}

/** Directories that hold logs: logrotate skips logs in group/world-writable ones. */
export function logDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o755 });
  return path;
}

/** Config files must be root's and not group/world-writable, or logrotate ignores them. */
export function writeConfig(path: string, sections: Iterable<string>): string {
  writeFileSync(path, [...sections].join(''), { mode: 0o644 });
  return path;
}

export function section(pattern: string, directives: readonly string[]): string {
  return `${pattern} {\n${directives.map((d) => `  ${d}\n`).join('')}}\n`;
}

export function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

/** Many small logs under globbed sections, each with a full set of old rotations. */
export function manyFiles(dir: string, scale: Scale): Workload {
  const template = logDir(join(dir, 'many-template'));
  const live = join(dir, 'many');
  const state = join(dir, 'many.state');
  const text = new LogText(2);
  const oldRotation = gzipSync(text.chunk(1024));
  const sections: string[] = [];
  for (let s = 0; s < scale.sections; s++) {
    const name = `s${String(s).padStart(3, '0')}`;
    const sub = logDir(join(template, name));
    for (let l = 0; l < scale.logsPerSection; l++) {
      writeFileSync(join(sub, `app-${l}.log`), text.chunk(scale.logBytes).subarray(0, scale.logBytes), { mode: 0o644 });
      for (let r = 1; r <= scale.oldRotations; r++) writeFileSync(join(sub, `app-${l}.log.${r}.gz`), oldRotation, { mode: 0o644 });
    }
    sections.push(section(join(live, name, '*.log'), ['daily', 'rotate 7', 'compress', 'create 0640 root root', 'missingok']));
  }
  const config = writeConfig(join(dir, 'many.conf'), sections);
  return {
    args: ['-f', '-s', state, config],
    reset() {
      rmSync(live, { recursive: true, force: true });
      rmSync(state, { force: true });
      run('cp', ['-a', template, live]);
    },
  };
}

/**
 * One big log, compressed at gzip's default level. The text is generated once
 * into `cacheDir` (same file system as `dir`) and hard-linked into place, so a
 * reset copies nothing and both tools read the same cached pages;
 * `allowhardlink` lets both tools accept the second link.
 */
export function bigCompress(dir: string, cacheDir: string, scale: Scale): Workload {
  const cached = cachedLog(cacheDir, scale.bigBytes);
  const logs = logDir(join(dir, 'big'));
  const log = join(logs, 'app.log');
  const state = join(dir, 'big.state');
  const config = writeConfig(join(dir, 'big.conf'), [section(log, ['rotate 3', 'compress', 'allowhardlink'])]);
  return {
    args: ['-f', '-s', state, config],
    reset() {
      rmSync(logs, { recursive: true, force: true });
      rmSync(state, { force: true });
      logDir(logs);
      linkSync(cached, log);
    },
    metrics: () => ({ gzBytes: statSync(`${log}.1.gz`).size }),
  };
}

export function cachedLog(cacheDir: string, bytes: number): string {
  mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
  const path = join(cacheDir, `app-${bytes}.log`);
  if (existsSync(path) && statSync(path).size === bytes) return path;
  // One partial file per process: test suites on several Node versions may fill the
  // cache at the same time, and a shared one would be truncated under the other's feet.
  const partial = `${path}.${process.pid}.partial`;
  const fd = openSync(partial, 'w', 0o644);
  try {
    const text = new LogText(3);
    const piece = 8 * 1024 * 1024;
    for (let done = 0; done < bytes; done += piece) writeSync(fd, text.chunk(piece).subarray(0, Math.min(piece, bytes - done)));
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

/** A large config, only planned (-d): parsing, globbing, stat and planning cost. */
export function bigConfig(dir: string, scale: Scale): Workload {
  const files = join(dir, 'cfg');
  const sections: string[] = [];
  for (let s = 0; s < scale.configSections; s++) {
    const sub = logDir(join(files, `d${String(Math.floor(s / 100)).padStart(3, '0')}`));
    const log = join(sub, `f${s}.log`);
    writeFileSync(log, 'one line\n', { mode: 0o644 });
    sections.push(section(log, ['weekly', 'rotate 4', 'compress', 'delaycompress', 'missingok', 'notifempty', 'create 0644 root root']));
  }
  const config = writeConfig(join(dir, 'cfg.conf'), sections);
  return { args: ['-d', '-s', join(dir, 'cfg.state'), config], reset() {} };
}

/** `--version`: process start and module loading, nothing else. */
export const startup: Workload = { args: ['--version'], reset() {} };

/** The purge workload: one tree, and each tool's arguments (its own config). */
export interface PurgeWorkload extends Workload {
  readonly logrotorArgs: readonly string[];
  readonly logrotateArgs: readonly string[];
}

/**
 * Many rotations under a budget (issue 11): `purgeLogs` logs, each with `purgeRotations`
 * dated rotations of 1 KiB, one a day (a half day past its day's age), of which the older
 * half must go. logrotor: `maxtotalsize` of half of them, the logs not due (`size 1G`), a
 * plain run: the purge alone. logrotate cannot purge without rotating: `maxage` of half
 * as many days, `-f`, so it also renames every live log. Uncompressed, since logrotate
 * looks for `.gz` rotations only under `compress`, and would then compress the live logs
 * too. `oldLeft`: the rotations older than an hour left, the same for both when each
 * removed exactly the older half (logrotate's new rotations are the live logs, just made).
 */
export function purge(dir: string, scale: Scale): PurgeWorkload {
  const template = logDir(join(dir, 'purge-template'));
  const live = join(dir, 'purge');
  const state = join(dir, 'purge.state');
  const text = new LogText(4);
  const rotation = text.chunk(1024);
  const now = Date.now() / 1000;
  const day = 86_400;
  const kept = Math.floor(scale.purgeRotations / 2);
  const patterns: string[] = [];
  for (let l = 0; l < scale.purgeLogs; l++) {
    const name = `d${String(Math.floor(l / 10)).padStart(3, '0')}`;
    const sub = logDir(join(template, name));
    if (l % 10 === 0) patterns.push(join(live, name, '*.log'));
    writeFileSync(join(sub, `app-${l}.log`), text.chunk(1024), { mode: 0o644 });
    for (let r = 1; r <= scale.purgeRotations; r++) {
      const mtime = now - r * day + day / 2;
      // The local date of r days ago: never today's, which logrotate's rotation takes.
      const date = new Date((now - r * day) * 1000);
      const stamp = `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
      const path = join(sub, `app-${l}.log-${stamp}`);
      writeFileSync(path, rotation, { mode: 0o644 });
      utimesSync(path, mtime, mtime);
    }
  }
  const config = (name: string, directives: readonly string[]): string =>
    writeConfig(join(dir, `${name}.conf`), patterns.map((p) => section(p, ['rotate 1000', 'missingok', ...directives])));
  return {
    args: [],
    logrotorArgs: ['-s', state, config('purge-budget', ['size 1G', `maxtotalsize ${kept * rotation.length}`])],
    logrotateArgs: ['-f', '-s', state, config('purge-maxage', ['dateext', `maxage ${kept}`])],
    reset() {
      rmSync(live, { recursive: true, force: true });
      rmSync(state, { force: true });
      run('cp', ['-a', template, live]);
    },
    metrics: () => ({ oldLeft: countOlder(live, Date.now() - 3_600_000) }),
  };
}

/** Dated rotations under `dir` last modified before `ms`. */
function countOlder(dir: string, ms: number): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sum + countOlder(path, ms);
    return sum + (/\.log-\d{8}$/.test(entry.name) && statSync(path).mtimeMs < ms ? 1 : 0);
  }, 0);
}
