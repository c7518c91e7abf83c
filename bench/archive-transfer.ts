// The archive transports' throughput against local servers: 1,000 rotated files and one
// 1 GiB file to a one-node Ceph RADOS Gateway (and the 1,000 files to an rsync daemon and a
// directory). Transport level only, in this process, no runs: for looking into one
// transport (serial against parallel, already-there files, rsync, a directory). What users
// see, logrotor rotating and archiving in a run, is measured by `npm run bench`
// (bench/archive-workload.ts, the archive-many and archive-big rows). Usage, after
// `npm run build`:
//   node dist/bench/archive-transfer.js [FILES] [BIG_MIB]
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { openTransport } from '../src/archive/open.js';
import { parseArchiveUrl } from '../src/archive/target.js';
import type { Transport } from '../src/archive/transport.js';
import { startRadosGateway } from '../test/servers/ceph.js';
import { startRsyncDaemon } from '../test/servers/rsync-daemon.js';

const FILES = Number(process.argv[2] ?? 1000);
const BIG_MIB = Number(process.argv[3] ?? 1024);
const MiB = 1024 * 1024;

async function transport(url: string): Promise<Transport> {
  const parsed = parseArchiveUrl(url);
  if (!parsed.ok) throw new Error(parsed.error);
  return openTransport(parsed.value);
}

interface Timing {
  readonly seconds: number;
  /** CPU seconds of this process (not the servers'): what the machine's load cannot inflate much. */
  readonly cpu: number;
}

/** Uploads `files` with `parallel` uploads in flight. */
async function uploadAll(t: Transport, files: readonly string[], prefix: string, parallel: number): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < files.length) {
        const i = next++;
        const result = await t.upload(files[i] ?? '', `${prefix}/f${i}-20261202T031500Z.gz`);
        if (!result.ok) throw new Error(result.error);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

function line(what: string, { seconds, cpu }: Timing, files: number, bytes: number): void {
  const rate = `${(files / seconds).toFixed(0)} files/s | ${(bytes / MiB / seconds).toFixed(1)} MiB/s`;
  console.log(`| ${what} | ${seconds.toFixed(2)} s | ${rate} | ${cpu.toFixed(2)} s |`);
}

const dir = mkdtempSync(join(tmpdir(), 'logrotor-archive-bench-'));
const small = Array.from({ length: FILES }, (_, i) => {
  const path = join(dir, `app${i}.log.1.gz`);
  writeFileSync(path, randomBytes(64 * 1024));
  return path;
});
const smallBytes = FILES * 64 * 1024;
const big = join(dir, 'big.log.1');
for (let written = 0; written < BIG_MIB * MiB; written += 64 * MiB) writeFileSync(big, randomBytes(Math.min(64 * MiB, BIG_MIB * MiB - written)), { flag: 'a' });

const started = Date.now();
const gateway = await startRadosGateway();
const rsyncd = await startRsyncDaemon({ logs: false });
try {
  const user = await gateway.createUser('bench');
  const users = Date.now() - started;
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const admin = new S3Client({ region: 'us-east-1', endpoint: gateway.endpoint, forcePathStyle: true, credentials: user });
  await admin.send(new CreateBucketCommand({ Bucket: 'bench-logs' }));
  admin.destroy();
  const bucket = Date.now() - started;
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: gateway.endpoint });
  console.log(`gateway: monitor ${gateway.timings.monitor} ms, OSD ${gateway.timings.osd} ms, answering ${gateway.timings.gateway} ms, user ${users} ms, first bucket ${bucket} ms`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine\n`);
  console.log('| workload | time | files/s | throughput | client CPU |\n|---|---|---|---|---|');
  const s3 = await transport('s3://bench-logs');
  line(`S3: ${FILES} × 64 KiB, one at a time`, await uploadAll(s3, small, 'serial', 1), FILES, smallBytes);
  line(`S3: ${FILES} × 64 KiB, 8 at a time`, await uploadAll(s3, small, 'parallel', 8), FILES, smallBytes);
  line(`S3: the same ${FILES} again (already there)`, await uploadAll(s3, small, 'parallel', 8), FILES, smallBytes);
  line(`S3: one ${BIG_MIB} MiB file (multipart)`, await uploadAll(s3, [big], 'big', 1), 1, statSync(big).size);
  s3.close();
  const rsync = await transport(rsyncd.url('logs'));
  line(`rsync daemon: ${FILES} × 64 KiB, 8 at a time`, await uploadAll(rsync, small, 'parallel', 8), FILES, smallBytes);
  const local = join(dir, 'mnt');
  mkdirSync(local);
  const directory = await transport(local);
  line(`directory: ${FILES} × 64 KiB, 8 at a time`, await uploadAll(directory, small, 'parallel', 8), FILES, smallBytes);
} finally {
  await rsyncd.stop();
  await gateway.stop();
  rmSync(dir, { recursive: true, force: true });
}
