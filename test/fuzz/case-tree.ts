// Puts a fuzzed case on disk, and reads back which ledger lines a tree holds.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  FAILING_COMPRESSOR,
  HOOK_RECORD,
  LEDGER_LINE,
  MAILER,
  META,
  OUTPUT_DIR,
  OUTSIDE,
  ROOT,
  type FuzzCase,
  type Packing,
} from './case-generator.js';

const DAY = 86_400_000;

export function substitute(text: string, root: string, outside: string): string {
  return text.split(ROOT).join(root).split(OUTSIDE).join(outside);
}

const TOOLS: Record<Exclude<Packing, 'plain' | 'gzip'>, string> = { xz: 'xz', zstd: 'zstd', bzip2: 'bzip2' };

function pack(data: Buffer, packing: Packing): Buffer {
  switch (packing) {
    case 'plain':
      return data;
    case 'gzip':
      return gzipSync(data);
    case 'xz':
    case 'zstd':
    case 'bzip2': {
      const out = spawnSync(TOOLS[packing], ['-c'], { input: data, maxBuffer: 1 << 28 });
      if (out.status !== 0) throw new Error(`${TOOLS[packing]} failed: ${out.stderr.toString()}`);
      return out.stdout;
    }
  }
}

/** Creates the case under `root` (which must not exist yet). */
export function materializeCase(fuzz: FuzzCase, root: string, outside: string, now: number): void {
  mkdirSync(root, { mode: 0o755 });
  chmodSync(root, 0o755);
  const at = (path: string): string => join(root, path);
  for (const entry of fuzz.entries) {
    mkdirSync(dirname(at(entry.path)), { recursive: true, mode: 0o755 });
    switch (entry.kind) {
      case 'dir':
        mkdirSync(at(entry.path), { recursive: true });
        chownSync(at(entry.path), 0, entry.gid);
        chmodSync(at(entry.path), entry.mode);
        break;
      case 'file': {
        const lines = fuzz.ledger[entry.ledger] ?? [];
        writeFileSync(at(entry.path), pack(Buffer.from(lines.map((l) => `${l}\n`).join('')), entry.packing));
        chownSync(at(entry.path), entry.uid, entry.uid === 0 ? 0 : 65534);
        chmodSync(at(entry.path), entry.mode);
        const mtime = (now - entry.ageDays * DAY) / 1000;
        utimesSync(at(entry.path), mtime, mtime);
        break;
      }
      case 'hardlink':
        linkSync(at(entry.target), at(entry.path));
        break;
      case 'symlink':
        symlinkSync(substitute(entry.target, root, outside), at(entry.path));
        break;
      case 'fifo':
        spawnSync('mkfifo', [at(entry.path)]);
        break;
    }
  }
  mkdirSync(at(OUTPUT_DIR), { recursive: true, mode: 0o755 });
  for (const config of fuzz.configs) {
    mkdirSync(dirname(at(config.path)), { recursive: true, mode: 0o755 });
    writeFileSync(at(config.path), substitute(config.text, root, outside));
    chownSync(at(config.path), config.uid, 0);
    chmodSync(at(config.path), config.mode);
  }
  writeFileSync(at(HOOK_RECORD), '');
  // The mailer keeps what it is sent inside meta/, where the ledger does not look: a
  // mailed copy is not a kept copy. An address with "fail" in it makes it fail.
  writeFileSync(at(MAILER), `#!/bin/sh\ncat >> "${root}/${META}/mail.log"\ncase "$3" in *fail*) exit 1 ;; esac\n`, { mode: 0o755 });
  writeFileSync(at(FAILING_COMPRESSOR), '#!/bin/sh\ncat > /dev/null\necho "compressor: refusing" >&2\nexit 1\n', { mode: 0o755 });
  if (fuzz.statePath.endsWith('-dir')) mkdirSync(at(fuzz.statePath));
  else if (fuzz.state !== null) writeFileSync(at(fuzz.statePath), substitute(fuzz.state, root, outside));
}

const MAGIC: readonly { readonly bytes: Buffer; readonly tool: string | null }[] = [
  { bytes: Buffer.from([0x1f, 0x8b]), tool: null },
  { bytes: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), tool: 'xz' },
  { bytes: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), tool: 'zstd' },
  { bytes: Buffer.from('BZh'), tool: 'bzip2' },
];

/** The content as text, unpacked as many times as it was packed (a rotated log can be
 * compressed again when a glob takes it for a log); undecodable data stays as it is. */
function unpack(data: Buffer): Buffer {
  let current = data;
  for (let depth = 0; depth < 4; depth++) {
    const magic = MAGIC.find((m) => current.subarray(0, m.bytes.length).equals(m.bytes));
    if (magic === undefined) return current;
    try {
      if (magic.tool === null) current = gunzipSync(current);
      else {
        const out = spawnSync(magic.tool, ['-dc'], { input: current, maxBuffer: 1 << 28 });
        if (out.status !== 0) return current;
        current = out.stdout;
      }
    } catch {
      return current;
    }
  }
  return current;
}

/** How often each ledger line occurs across the distinct files (inodes) under `root`; meta/ is the
 * harness's and does not count. Symlinks are not followed. */
export function countLedgerLines(root: string): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<number>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      if (info.isDirectory()) {
        if (path !== join(root, META)) walk(path);
        continue;
      }
      if (!info.isFile() || seen.has(info.ino)) continue;
      seen.add(info.ino);
      for (const line of unpack(readFileSync(path)).toString('latin1').split('\n')) if (LEDGER_LINE.test(line)) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
  };
  walk(root);
  return counts;
}

/** Names, sizes, modes and times of everything under `dir`: what must not change. */
export function fingerprint(dir: string): string {
  const rows: string[] = [];
  const walk = (path: string): void => {
    const info = lstatSync(path);
    rows.push(`${path} ${info.mode} ${info.size} ${info.mtimeMs} ${info.uid}:${info.gid}`);
    if (info.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
  };
  walk(dir);
  return rows.join('\n');
}
