// The system files logrotor ships in etc/ and where each one goes under a root.
import { realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type InstallTarget = 'cron' | 'systemd';

export interface ShippedFile {
  /** Path under the package's etc/. */
  readonly source: string;
  /** Path under the root (no leading slash). */
  readonly destination: string;
  readonly mode: number;
  /** Puts the binary's path into the file's text. */
  readonly render: (text: string, binary: string) => string;
}

const asIs = (text: string): string => text;

const SHIPPED: Readonly<Record<InstallTarget, readonly ShippedFile[]>> = {
  cron: [
    {
      source: 'cron.daily/logrotor',
      destination: 'etc/cron.daily/logrotor',
      mode: 0o755,
      render: (text, binary) => text.replace(/^LOGROTOR=.*$/m, `LOGROTOR=${shellQuote(binary)}`),
    },
  ],
  systemd: [
    {
      source: 'systemd/logrotor.service',
      destination: 'etc/systemd/system/logrotor.service',
      mode: 0o644,
      render: (text, binary) => text.replace(/^ExecStart=\S+/m, `ExecStart=${binary}`),
    },
    { source: 'systemd/logrotor.timer', destination: 'etc/systemd/system/logrotor.timer', mode: 0o644, render: asIs },
  ],
};

export function shippedFiles(target: InstallTarget): readonly ShippedFile[] {
  return SHIPPED[target];
}

/** The package's etc/ directory: dist/src/install/ is three levels below the package root. */
export function etcDirectory(): string {
  return fileURLToPath(new URL('../../../etc/', import.meta.url));
}

/** The command the units should run: `logrotor` on PATH when it is this very program,
 * else this program's script itself (executable, with a node shebang). */
export function defaultBinary(script: string, pathVariable: string): string {
  const self = realpathSync(script);
  for (const dir of pathVariable.split(delimiter).filter((d) => d.startsWith('/'))) {
    const candidate = join(dir, 'logrotor');
    try {
      if (statSync(candidate).isFile() && realpathSync(candidate) === self) return candidate;
    } catch {
      // Not in this PATH entry.
    }
  }
  return self;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
