// Shared scaffolding of the durability tests: private temp dirs, loop-mounted
// filesystems that are always unmounted, a child writer, and the line accounting.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const WRITER = fileURLToPath(new URL('./writer.js', import.meta.url));
export const LINE_BYTES = 61; // 9 digits, a space, 50 x, a newline

/** A 0700 temp dir with a 0755 `logs` subdirectory (logrotate refuses logs in
 * group/world-writable directories). */
export function scratch(): { root: string; logs: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-durability-'));
  chmodSync(root, 0o700);
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  return { root, logs, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export type FsKind = 'ext4' | 'xfs' | 'tmpfs';

/** Mounts a fresh filesystem at `root/mnt` for the callback and unmounts it afterwards,
 * whatever happens. Returns null (callback not run) when this machine cannot mount. */
export async function withFilesystem<T>(root: string, kind: FsKind, sizeMb: number, body: (mnt: string) => Promise<T>): Promise<T | null> {
  const mnt = join(root, 'mnt');
  mkdirSync(mnt, { mode: 0o755 });
  try {
    if (kind === 'tmpfs') {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', mnt], { stdio: 'pipe' });
    } else {
      const image = join(root, `${kind}.img`);
      execFileSync('truncate', ['-s', `${sizeMb}M`, image]);
      execFileSync(kind === 'ext4' ? 'mkfs.ext4' : 'mkfs.xfs', kind === 'ext4' ? ['-q', '-F', '-b', '4096', image] : ['-q', '-f', image], { stdio: 'pipe' });
      execFileSync('mount', ['-o', 'loop', image, mnt], { stdio: 'pipe' });
    }
  } catch {
    return null;
  }
  try {
    chmodSync(mnt, 0o755);
    return await body(mnt);
  } finally {
    execFileSync('umount', [mnt], { stdio: 'pipe' });
  }
}

export function canRun(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export interface Writer {
  readonly child: ChildProcess;
  /** Stops the writer and resolves with the number of lines it wrote. */
  stop(): Promise<number>;
}

export type WriterMode = 'append' | 'reopen' | 'offset' | 'hup';

/** `marker` ('hup' only): the file the writer rewrites after each reopen. */
export async function startWriter(path: string, mode: WriterMode, linesPerWrite = 64, mbPerSecond = 20, marker = ''): Promise<Writer> {
  const args = [WRITER, path, mode, String(linesPerWrite), String(mbPerSecond), marker];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // Armed at once: a writer that failed (ENOSPC) may have exited long before stop().
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve) => {
    const check = (): void => (output.includes('ready\n') ? resolve() : void setTimeout(check, 5));
    check();
  });
  return {
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await closed;
      const text = output.replace('ready\n', '').trim();
      const failed = /^error (.*) after (\d+) lines$/.exec(text);
      if (failed !== null) throw new Error(`the writer of ${path} failed: ${failed[1]} after ${failed[2]} lines`);
      const count = Number(text);
      if (!Number.isInteger(count) || text === '') throw new Error(`writer printed ${JSON.stringify(output)}`);
      return count;
    },
  };
}

/** The rotation number of `base.N` or `base.N.gz`, or null for other names. */
function generation(base: string, name: string): number | null {
  const match = new RegExp(`^${base.replace(/[.]/g, '\\.')}\\.(\\d+)(\\.gz)?$`).exec(name);
  return match ? Number(match[1]) : null;
}

/** `lines` writer-format lines numbered from FILLER_FIRST + first. */
export function fillerLines(first: number, lines: number): string {
  let text = '';
  for (let i = first; i < first + lines; i++) text += `${FILLER_FIRST + i} ${'x'.repeat(50)}\n`;
  return text;
}

/** Every byte of a log in order: the oldest rotation first, the live file last. */
export function history(dir: string, base: string): string {
  const rotations = readdirSync(dir)
    .map((name) => ({ name, n: generation(base, name) }))
    .filter((entry): entry is { name: string; n: number } => entry.n !== null)
    .sort((a, b) => b.n - a.n);
  const parts = rotations.map(({ name }) => {
    const data = readFileSync(join(dir, name));
    return (name.endsWith('.gz') ? gunzipSync(data) : data).toString('latin1');
  });
  let live = '';
  try {
    live = readFileSync(join(dir, base), 'latin1');
  } catch {
    // a rotation may have left no live file; its lines are all in the rotations
  }
  return parts.join('') + live;
}

/** The bytes of `base-….backup` files: a log found where a new one was to be created is
 * moved there (logrotate's rule), with whatever lines it holds. */
export function backups(dir: string, base: string): string {
  return readdirSync(dir)
    .filter((name) => name.startsWith(`${base}-`) && name.endsWith('.backup'))
    .map((name) => readFileSync(join(dir, name), 'latin1'))
    .join('');
}

export interface Accounting {
  readonly lost: number;
  readonly duplicated: number;
  /** Lines that are not whole writer lines (e.g. NUL runs or torn lines). */
  readonly garbage: number;
}

/** Numbers of lines a test appends itself, besides the writer's. */
export const FILLER_FIRST = 500_000_000;

/** The lines of `pieces` read one after the other as one text (a line may run from one
 * piece into the next), without joining them: the rotations of a long run under a
 * 2 MB/s writer can pass V8's 512 MiB limit on one string. */
function* linesOf(pieces: readonly string[]): Generator<string> {
  let carry = '';
  for (const piece of pieces) {
    const lines = (carry + piece).split('\n');
    carry = lines.pop() ?? '';
    yield* lines;
  }
  yield carry;
}

/** Counts how the writer's lines 0…count-1 (and the test's own lines FILLER_FIRST… up to
 * `filler` of them) appear in `text`, whole or in consecutive pieces. */
export function account(text: string | readonly string[], count: number, filler = 0): Accounting {
  const seen = new Uint8Array(count + filler);
  let garbage = 0;
  let duplicated = 0;
  for (const line of linesOf(typeof text === 'string' ? [text] : text)) {
    if (line === '') continue;
    const match = /^(\d{9}) x{50}$/.exec(line);
    const number = match ? Number(match[1]) : -1;
    const n = number >= FILLER_FIRST ? count + number - FILLER_FIRST : number;
    if (n < 0 || n >= count + filler || (number >= count && number < FILLER_FIRST)) {
      garbage++;
      continue;
    }
    if (seen[n] === 1) duplicated++;
    seen[n] = 1;
  }
  return { lost: seen.reduce((sum, v) => sum + (v === 0 ? 1 : 0), 0), duplicated, garbage };
}

/** Deterministic kill times (xorshift), so a failure can be replayed. */
export function* delays(seed: number, maxMs: number): Generator<number> {
  let x = seed;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield (x >>> 0) % maxMs;
  }
}

/** Runs node with `args` (a CLI and its arguments) and SIGKILLs it after `ms`;
 * resolves when it is gone. */
export function killedAfter(args: readonly string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
