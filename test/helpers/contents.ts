// What a directory holds, for exact comparisons after a rotation.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Every file of the directory with its text (compressed ones uncompressed), by name. */
export function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const data = readFileSync(join(dir, name));
    out[name] = (name.endsWith('.gz') ? gunzipSync(data) : data).toString('utf8');
  }
  return out;
}
