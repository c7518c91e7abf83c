// One simulated host of the fleet test, run as a process of its own: it makes a few
// compressed rotations under its own directory, names them as the archive would for its
// host name, uploads them all at once and writes the results to DIR/results.json.
// Usage: node fleet-host.js HOST DIR URL
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_NAME_TEMPLATE, remoteName } from '../../src/archive/names.js';
import { openTransport } from '../../src/archive/open.js';
import { parseArchiveUrl } from '../../src/archive/target.js';

const [host = '', dir = '', url = ''] = process.argv.slice(2);
const target = parseArchiveUrl(url);
if (!target.ok) throw new Error(target.error);
// Every host has the same logs, rotated in the same second: only the host tells them apart.
const rotatedAt = new Date('2026-12-02T03:15:00Z');
const logs = ['/var/log/app.log', '/var/log/nginx/access.log', '/var/log/nginx/error.log'];
const transport = await openTransport(target.value);
const results = await Promise.all(
  logs.map(async (log, i) => {
    const file = join(dir, `${log.replaceAll('/', '_')}.1.gz`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, gzipSync(`${host} ${log}\n`.repeat(1000 + i)));
    const name = remoteName(DEFAULT_NAME_TEMPLATE, { host, log, file: `${log}.1`, rotatedAt, serial: 0, ext: '.gz' });
    if (!name.ok) throw new Error(name.error);
    return { file, name: name.value, result: await transport.upload(file, name.value) };
  }),
);
transport.close();
writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
