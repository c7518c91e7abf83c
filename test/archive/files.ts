// Local files for the archive tests (compressed logs, big files, and a file that keeps
// changing under an upload: a real writer process, stopped by its pid), and transports.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { openTransport } from '../../src/archive/open.js';
import { parseArchiveUrl, type ArchiveTarget } from '../../src/archive/target.js';
import type { Transport } from '../../src/archive/transport.js';
import { startProcess, waitUntilReady, type ServerProcess } from '../servers/process.js';

export function targetOf(url: string): ArchiveTarget {
  const parsed = parseArchiveUrl(url);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.value;
}

export function transportFor(url: string): Promise<Transport> {
  return openTransport(targetOf(url));
}

export interface Scratch {
  readonly dir: string;
  /** A gzip-compressed log of `lines` lines, as a rotation would leave it. */
  compressedLog(name: string, lines: number): string;
  /** `bytes` of random data, written in 8 MiB slices (constant memory). */
  bigFile(name: string, bytes: number): string;
  remove(): void;
}

export function scratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-archive-'));
  return {
    dir,
    compressedLog(name, lines) {
      const text = Array.from({ length: lines }, (_, i) => `2026-12-02T03:15:${String(i % 60).padStart(2, '0')}Z host app[${i}]: request ${i} done\n`).join('');
      const path = join(dir, name);
      const fd = openSync(path, 'wx', 0o640);
      writeSync(fd, gzipSync(text));
      closeSync(fd);
      return path;
    },
    bigFile(name, bytes) {
      const path = join(dir, name);
      const fd = openSync(path, 'wx', 0o640);
      const slice = 8 * 1024 * 1024;
      for (let done = 0; done < bytes; done += slice) writeSync(fd, randomBytes(Math.min(slice, bytes - done)));
      closeSync(fd);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function md5(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex');
}

/** A process that rewrites 8 bytes at `offset` of `path` with an ever-growing counter, as
 * fast as it can, until stopped: any two reads of that spot see different bytes. */
export async function keepChanging(path: string, offset: number, logDir: string): Promise<ServerProcess> {
  const script = `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(path)},'r+');const b=Buffer.alloc(8);` +
    `let i=0n;fs.writeFileSync(${JSON.stringify(`${path}.started`)},'');` +
    `for(;;){b.writeBigUInt64LE(++i);fs.writeSync(fd,b,0,8,${offset});}`;
  const writer = startProcess('changing writer', process.execPath, ['-e', script], { logFile: join(logDir, 'writer.log') });
  await waitUntilReady(writer, async () => {
    try {
      readFileSync(`${path}.started`);
      return true;
    } catch {
      return false;
    }
  }, 10_000, 20);
  return writer;
}
