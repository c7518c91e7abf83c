// Everything a rotation run leaves behind, as plain comparable data with the tree's
// root replaced by @ROOT@ so two trees at different places compare equal.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HOOK_LOG, MAIL_LOG, META_DIR, ROOT_TOKEN, STATE_NAME } from './tree.js';

export type EntrySnapshot =
  | { readonly type: 'file'; readonly mode: string; readonly owner: string; readonly mtime: string; readonly content: string }
  | { readonly type: 'dir'; readonly mode: string; readonly owner: string }
  | { readonly type: 'symlink'; readonly target: string }
  | { readonly type: 'other'; readonly mode: string };

export interface RunSnapshot {
  readonly exitCode: number | null;
  /** stderr lines (warnings and errors when run without -v). */
  readonly stderr: readonly string[];
  readonly entries: Readonly<Record<string, EntrySnapshot>>;
  /** Path → time, with this run's own times replaced by `now` / `this hour`. */
  readonly state: Readonly<Record<string, string>>;
  readonly hooks: readonly string[];
  readonly mail: readonly string[];
}

/** The window a run happened in, to recognise times the run itself wrote. */
export interface RunWindow {
  readonly startMs: number;
  readonly endMs: number;
}

export function snapshotRun(
  root: string,
  window: RunWindow,
  exitCode: number | null,
  stderr: string,
): RunSnapshot {
  const norm = (text: string): string => runEpochs(text.split(root).join(ROOT_TOKEN), window);
  return {
    exitCode,
    stderr: norm(stderr).split('\n').filter((line) => line !== ''),
    entries: Object.fromEntries(Object.entries(snapshotEntries(root, window)).map(([path, entry]) => [runEpochs(path, window), entry])),
    state: snapshotState(join(root, STATE_NAME), window, norm),
    hooks: readLines(join(root, HOOK_LOG)).map(norm),
    mail: readLines(join(root, MAIL_LOG)).map(norm),
  };
}

/** `dateformat %s` puts the run's epoch second into names, and the two programs seldom
 * run in the same second: such a number inside the run's window reads `@EPOCH@`. */
function runEpochs(text: string, window: RunWindow): string {
  const [from, to] = [Math.floor(window.startMs / 1000) - 1, Math.ceil(window.endMs / 1000) + 1];
  return text.replace(/(?<!\d)\d{10}(?!\d)/g, (digits) => (Number(digits) >= from && Number(digits) <= to ? '@EPOCH@' : digits));
}

function snapshotEntries(root: string, window: RunWindow): Record<string, EntrySnapshot> {
  const out: Record<string, EntrySnapshot> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (dir === root && name === META_DIR) continue;
      const st = lstatSync(path);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      const owner = `${st.uid}:${st.gid}`;
      if (st.isSymbolicLink()) out[rel] = { type: 'symlink', target: readlinkSync(path).split(root).join(ROOT_TOKEN) };
      else if (st.isDirectory()) {
        out[rel] = { type: 'dir', mode, owner };
        walk(path);
      } else if (st.isFile()) {
        const mtime = st.mtimeMs >= window.startMs - 2000 ? 'now' : String(Math.floor(st.mtimeMs / 1000));
        out[rel] = { type: 'file', mode, owner, mtime, content: readContent(path).split(root).join(ROOT_TOKEN) };
      } else out[rel] = { type: 'other', mode };
    }
  };
  walk(root);
  return out;
}

const DECOMPRESSORS: Record<string, string> = { '.xz': 'xz', '.zst': 'zstd', '.bz2': 'bzip2' };

/** File content as text, decompressed by extension so that compressor output details
 * (timestamps in headers, levels) do not matter. */
function readContent(path: string): string {
  const raw = readFileSync(path);
  try {
    if (path.endsWith('.gz')) return gunzipSync(raw).toString('utf8');
    const tool = Object.entries(DECOMPRESSORS).find(([ext]) => path.endsWith(ext))?.[1];
    if (tool !== undefined) {
      const result = spawnSync(tool, ['-dc'], { input: raw });
      if (result.status === 0) return result.stdout.toString('utf8');
      return `<${tool} -dc failed: ${result.stderr.toString('utf8').trim()}>`;
    }
  } catch (error) {
    return `<not decompressible: ${String(error)}>`;
  }
  return raw.toString('utf8');
}

function snapshotState(path: string, window: RunWindow, norm: (text: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readLines(path);
  if (lines[0] !== undefined) out['<header>'] = lines[0];
  for (const line of lines.slice(1)) {
    const match = /^"((?:[^"\\]|\\.)*)" (\d+)-(\d+)-(\d+)-(\d+):(\d+):(\d+)$/.exec(line);
    if (match === null) {
      out[`<unparsed> ${norm(line)}`] = '';
      continue;
    }
    const [, quoted = '', y, mo, d, h, mi, s] = match;
    const time = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime();
    out[norm(quoted.replace(/\\(.)/g, '$1'))] = describeStateTime(time, window);
  }
  return out;
}

/** A rotated log gets the run's `now`; a new entry gets `now` truncated to the hour. */
function describeStateTime(time: number, window: RunWindow): string {
  const startHour = new Date(window.startMs).setMinutes(0, 0, 0);
  const endHour = new Date(window.endMs).setMinutes(0, 0, 0);
  // State times are whole seconds, and logrotate's time(2) reads the coarse clock, which
  // may lag Date.now() by a tick: a stamp taken right after startMs can floor to the
  // second before startMs - 1000. Two seconds of slack covers both.
  if (time >= window.startMs - 2000 && time <= window.endMs + 1000) return 'now';
  if (time === startHour || time === endHour) return 'this hour';
  return new Date(time).toISOString();
}

function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
}
