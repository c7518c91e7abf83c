// Declarative temp trees for tests that rotate for real. Every path in a spec is relative
// to the tree's root; every text may say @ROOT@ for the root's absolute path.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT_TOKEN = '@ROOT@';

export interface Owner {
  readonly uid?: number;
  readonly gid?: number;
}

export type EntrySpec =
  | (Owner & {
      readonly kind: 'file';
      readonly path: string;
      readonly content?: string | Uint8Array;
      /** Extends the file with a hole to this size: big logs without the disk space. */
      readonly size?: number;
      readonly mode?: number;
      /** Seconds since the epoch. */
      readonly mtime?: number;
    })
  | (Owner & { readonly kind: 'dir'; readonly path: string; readonly mode?: number })
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

export interface TreeSpec {
  readonly entries: readonly EntrySpec[];
  /** Written to `logrotate.conf` at the root (root-owned, 0644, as logrotate insists). */
  readonly config: string;
  /** Last-rotation times, written as a version 2 state file named `state`. */
  readonly state?: readonly StateEntry[];
}

export interface StateEntry {
  readonly path: string;
  /** Seconds since the epoch, written in local time as logrotate does. */
  readonly time: number;
}

/** The harness's own files live here, outside what snapshots compare: logrotor keeps a
 * crash journal beside the state file, which is its own business. */
export const META_DIR = 'meta';
export const CONFIG_NAME = `${META_DIR}/logrotate.conf`;
export const STATE_NAME = `${META_DIR}/state`;
/** Appended to by the hook scripts of `hookScript`. */
export const HOOK_LOG = `${META_DIR}/hooks.log`;
/** Appended to by the fake mailer of `MAILER_NAME`. */
export const MAIL_LOG = `${META_DIR}/mail.log`;
export const MAILER_NAME = `${META_DIR}/mailer.sh`;

/** A script body that records which hook ran and with which arguments. */
export function hookScript(kind: string): string {
  return `\n    echo "${kind}|$0|$1|$2" >> ${ROOT_TOKEN}/${HOOK_LOG}\n`;
}

/** A 0755 directory under the system temp dir: /tmp itself is world-writable, which
 * logrotate refuses as a log's parent, so logs always go one level further down. */
export function makeTempBase(prefix: string): string {
  const base = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(base, 0o755);
  return base;
}

export function substituteRoot(text: string, root: string): string {
  return text.split(ROOT_TOKEN).join(root);
}

/** Creates `root` (0755) and everything in the spec under it. */
export function materialize(root: string, spec: TreeSpec): void {
  mkdirSync(root, { mode: 0o755 });
  chmodSync(root, 0o755);
  const at = (path: string): string => join(root, path);
  for (const entry of spec.entries) {
    mkdirSync(dirname(at(entry.path)), { recursive: true, mode: 0o755 });
    switch (entry.kind) {
      case 'dir':
        mkdirSync(at(entry.path), { recursive: true });
        chmodSync(at(entry.path), entry.mode ?? 0o755);
        chownSync(at(entry.path), entry.uid ?? 0, entry.gid ?? 0);
        break;
      case 'file': {
        const content = entry.content ?? '';
        writeFileSync(at(entry.path), typeof content === 'string' ? substituteRoot(content, root) : content);
        if (entry.size !== undefined) truncateSync(at(entry.path), entry.size);
        chmodSync(at(entry.path), entry.mode ?? 0o644);
        chownSync(at(entry.path), entry.uid ?? 0, entry.gid ?? 0);
        if (entry.mtime !== undefined) utimesSync(at(entry.path), entry.mtime, entry.mtime);
        break;
      }
      case 'symlink':
        symlinkSync(substituteRoot(entry.target, root), at(entry.path));
        break;
    }
  }
  mkdirSync(at(META_DIR), { mode: 0o755 });
  writeFileSync(at(CONFIG_NAME), substituteRoot(spec.config, root), { mode: 0o644 });
  chmodSync(at(CONFIG_NAME), 0o644);
  writeFileSync(at(MAILER_NAME), `#!/bin/sh\n{ echo "mail|$1|$2|$3"; cat; echo "mail-end"; } >> ${root}/${MAIL_LOG}\n`);
  chmodSync(at(MAILER_NAME), 0o755);
  if (spec.state !== undefined) writeFileSync(at(STATE_NAME), stateText(spec.state, root));
}

function stateText(entries: readonly StateEntry[], root: string): string {
  const lines = entries.map(({ path, time }) => {
    const d = new Date(time * 1000);
    const stamp = `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}-${d.getHours()}:${d.getMinutes()}:${d.getSeconds()}`;
    const quoted = substituteRoot(path, root).replace(/[\\"]/g, (c) => `\\${c}`);
    return `"${quoted}" ${stamp}\n`;
  });
  return `logrotate state -- version 2\n${lines.join('')}`;
}
