// Archiving in a run (issue 13), against a one-node Ceph RADOS Gateway on 127.0.0.1:
// - archive-many: logrotor rotates many small logs with `compress` and archives every
//   `.gz` in the same run;
// - archive-big: logrotor archives one big log, not compressed: big-compress already
//   times gzip on the same 1 GiB, so here the run's time is the archive's (digest,
//   multipart upload, verification), and the upload is 1 GiB, not the ~150 MB of its .gz.
// logrotate has no archive; the yardstick is the gateway's own speed: the same objects
// PUT by the SDK straight from this process (no rotation, digest or verification),
// taking turns with the logrotor runs. A logrotor run counts only once the bench has
// found its objects on the gateway: every one of them, each ETag equal to the local
// file's, a few read back.
import { spawnSync } from 'node:child_process';
import { closeSync, linkSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compare, medianMetric, medianMs, type Contender, type Runs } from './compare.js';
import { LogText } from './loglines.js';
import { median, type Sample } from './measure.js';
import { mib, ms, ratio, type Row } from './report.js';
import { Bucket, expectedEtag, md5, PART_SIZE, type StoredObject } from './s3-objects.js';
import { cachedLog, logDir, run, section, writeConfig, type Metrics, type Workload } from './workloads.js';
import { startRadosGateway, type RadosGateway } from '../test/servers/ceph.js';

/** Logs per section of archive-many: a `dir/*.log` glob each. */
const PER_SECTION = 100;
/** The SDK yardstick's uploads at once: as many as a run finishes logs at once
 * (src/exec/section/finish-pool.ts). */
const IN_FLIGHT = 8;
/** The targets, as logrotor's wall time over the SDK's. One big file: the same multipart
 * upload, plus one read of the file for its digest and a HEAD; throughput ≥ 0.8× the
 * gateway's own. Many small files: a HEAD before and after each PUT (idempotence, and
 * checking what the server holds) where the SDK makes one PUT, so at most three times
 * its time, at the same number of uploads in flight. */
const BIG_LIMIT = 1.25;
const MANY_LIMIT = 3;

export interface ArchiveBench {
  readonly dir: string;
  readonly cacheDir: string;
  readonly scratch: string;
  readonly logrotor: Contender;
  /** archive-many: this many logs of `logBytes`. */
  readonly logs: number;
  readonly logBytes: number;
  /** archive-big: one log of this size. */
  readonly bigBytes: number;
  readonly runs: number;
  readonly bigRuns: number;
}

interface RowKind {
  readonly workload: string;
  readonly limit: number;
}

/** A workload whose objects the SDK can also PUT by itself, timed in this process. */
interface ArchiveWorkload extends Workload {
  sdkPut(): Promise<number>;
}

export async function archiveRows(bench: ArchiveBench): Promise<Row[]> {
  const many: RowKind = { workload: `archive-many: ${bench.logs} logs of ${bench.logBytes >> 10} KiB, compress, archived to S3 (radosgw) in the same run, -f`, limit: MANY_LIMIT };
  const big: RowKind = { workload: `archive-big: ${mib(bench.bigBytes / 1024)} log, no compression, archived to S3 (radosgw${bench.bigBytes > PART_SIZE ? ', multipart' : ''}), -f`, limit: BIG_LIMIT };
  const kinds = [many, big];
  const missing = ['radosgw', 'ceph-mon', 'ceph-osd'].filter((command) => spawnSync('which', [command]).status !== 0);
  if (missing.length > 0) return kinds.map((kind) => unmeasured(kind, `n/a (${missing.join(', ')} not installed)`));
  let gateway: RadosGateway;
  try {
    gateway = await startRadosGateway();
  } catch (error) {
    return kinds.map((kind) => unmeasured(kind, `failed: the gateway did not start: ${oneLine(error)}`));
  }
  const saved = Object.entries(process.env).filter(([key]) => key.startsWith('AWS_'));
  let bucket: Bucket | null = null;
  try {
    const user = await gateway.createUser('bench');
    // What logrotor's runs find (measure() passes this process's environment on); nothing
    // from this machine's ~/.aws. The SDK's warning about Node 20 is for this process too.
    for (const [key] of saved) delete process.env[key];
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: user.accessKeyId,
      AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: gateway.endpoint,
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    bucket = new Bucket(gateway.endpoint, user, 'bench-archive');
    await bucket.create();
    const manyRuns = await alternate(manyArchived(bench, bucket), bench.runs, bench);
    const bigRuns = await alternate(bigArchived(bench, bucket, gateway), bench.bigRuns, bench);
    return [archiveRow(many, manyRuns), archiveRow(big, bigRuns)];
  } catch (error) {
    // Setting up the gateway's user or bucket: no run could be measured.
    return kinds.map((kind) => unmeasured(kind, `failed: ${oneLine(error)}`));
  } finally {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    Object.assign(process.env, Object.fromEntries(saved));
    bucket?.close();
    await gateway.stop();
  }
}

/** Many logs under `dir/*.log` sections; each run archives under a prefix of its own,
 * so that no run finds the objects of another already there. */
function manyArchived(bench: ArchiveBench, bucket: Bucket): ArchiveWorkload {
  const template = logDir(join(bench.dir, 'archive-many-template'));
  const live = join(bench.dir, 'archive-many');
  const state = join(bench.dir, 'archive-many.state');
  const config = join(bench.dir, 'archive-many.conf');
  const dirOf = (s: number): string => `s${String(s).padStart(3, '0')}`;
  const text = new LogText(4);
  const rotated: string[] = [];
  const gzipped: Buffer[] = [];
  for (let i = 0; i < bench.logs; i++) {
    const sub = logDir(join(template, dirOf(Math.floor(i / PER_SECTION))));
    const log = text.chunk(bench.logBytes).subarray(0, bench.logBytes);
    writeFileSync(join(sub, `app-${i}.log`), log, { mode: 0o644 });
    rotated.push(join(live, dirOf(Math.floor(i / PER_SECTION)), `app-${i}.log.1.gz`));
    // What the SDK puts: the same text at the same gzip level, so the same number of bytes within a few.
    gzipped.push(gzipSync(log));
  }
  const sections = Math.ceil(bench.logs / PER_SECTION);
  let round = 0;
  let sdkRound = 0;
  return {
    args: ['-f', '-s', state, config],
    reset() {
      round += 1;
      rmSync(live, { recursive: true, force: true });
      rmSync(state, { force: true });
      rmSync(`${state}.archive`, { force: true });
      run('cp', ['-a', template, live]);
      const directives = ['daily', 'rotate 7', 'compress', 'create 0640 root root', 'missingok', `archive s3://${bucket.name}/many/run-${round}`];
      writeConfig(config, Array.from({ length: sections }, (_, s) => section(join(live, dirOf(s), '*.log'), directives)));
    },
    async metrics(): Promise<Metrics> {
      const stored = await bucket.list(`many/run-${round}/`);
      const local = rotated.map((file) => md5(readFileSync(file)));
      assertSame(stored.map((o) => o.etag).sort(), local.sort(), `many/run-${round}: the ETags on the gateway against the MD5s of the local .gz files`);
      await readBack(bucket, [stored[0], stored[stored.length >> 1], stored[stored.length - 1]]);
      return { files: stored.length, bytes: stored.reduce((sum, o) => sum + o.bytes, 0) };
    },
    sdkPut() {
      sdkRound += 1;
      const prefix = `sdk/many-${sdkRound}`;
      return bucket.putAll((i) => `${prefix}/${i}.gz`, gzipped, IN_FLIGHT);
    },
  };
}

/** One big log, hard-linked from the cache as for big-compress; each run's object and
 * the SDK's are removed (and their space freed) once checked: the OSD keeps them in RAM. */
function bigArchived(bench: ArchiveBench, bucket: Bucket, gateway: RadosGateway): ArchiveWorkload {
  const cached = cachedLog(bench.cacheDir, bench.bigBytes);
  const logs = join(bench.dir, 'archive-big');
  const log = join(logs, 'app.log');
  const state = join(bench.dir, 'archive-big.state');
  const config = join(bench.dir, 'archive-big.conf');
  let etag: string | null = null;
  let round = 0;
  return {
    args: ['-f', '-s', state, config],
    reset() {
      round += 1;
      rmSync(logs, { recursive: true, force: true });
      rmSync(state, { force: true });
      rmSync(`${state}.archive`, { force: true });
      logDir(logs);
      linkSync(cached, log);
      writeConfig(config, [section(log, ['rotate 3', 'allowhardlink', `archive s3://${bucket.name}/big/run-${round}`])]);
    },
    async metrics(): Promise<Metrics> {
      const stored = await bucket.list(`big/run-${round}/`);
      etag ??= expectedEtag(cached);
      assertSame(stored.map((o) => `${o.etag} ${o.bytes} B`), [`${etag} ${bench.bigBytes} B`], `big/run-${round}: the object on the gateway against ${cached}`);
      const [object] = stored;
      if (object === undefined) throw new Error('unreachable');
      // Three slices read back (start, middle, end) and compared byte for byte.
      const slice = Math.min(1024 * 1024, bench.bigBytes);
      for (const start of [0, Math.floor((bench.bigBytes - slice) / 2), bench.bigBytes - slice]) {
        if (!(await bucket.read(object.key, start, slice)).equals(readSlice(`${log}.1`, start, slice))) throw new Error(`${object.key}: bytes ${start}+${slice} differ from ${log}.1`);
      }
      await bucket.remove(object.key);
      await gateway.collectGarbage();
      return { files: 1, bytes: object.bytes };
    },
    async sdkPut() {
      const key = `sdk/big-${round}`;
      const took = await bucket.upload(key, cached, bench.bigBytes);
      await bucket.remove(key);
      await gateway.collectGarbage();
      return took;
    },
  };
}

interface Alternated {
  readonly logrotor: Runs;
  readonly sdk: { readonly ms: readonly number[]; readonly error?: string };
}

/** logrotor and the SDK take turns, as the other rows' contenders do. */
async function alternate(workload: ArchiveWorkload, runs: number, bench: ArchiveBench): Promise<Alternated> {
  const samples: Sample[] = [];
  const metrics: Metrics[] = [];
  const sdk: number[] = [];
  let error: string | undefined;
  let sdkError: string | undefined;
  const ours = async (): Promise<void> => {
    const result = (await compare(workload, [bench.logrotor], 1, bench.scratch)).get(bench.logrotor.name);
    error = result?.error ?? (result === undefined ? 'not run' : undefined);
    samples.push(...(result?.samples ?? []));
    metrics.push(...(result?.metrics ?? []));
  };
  const theirs = async (): Promise<void> => {
    try {
      sdk.push(await workload.sdkPut());
    } catch (err) {
      sdkError = oneLine(err);
    }
  };
  for (let i = 0; i < runs && error === undefined && sdkError === undefined; i++) {
    for (const turn of i % 2 === 0 ? [ours, theirs] : [theirs, ours]) await turn();
  }
  return { logrotor: { samples, metrics, ...(error === undefined ? {} : { error }) }, sdk: { ms: sdk, ...(sdkError === undefined ? {} : { error: sdkError }) } };
}

function archiveRow({ workload, limit }: RowKind, { logrotor, sdk }: Alternated): Row {
  const files = medianMetric(logrotor, 'files');
  const bytes = medianMetric(logrotor, 'bytes');
  const perFile = (took: number): string => (files > 1 ? `${(files / (took / 1000)).toFixed(0)} files/s, ` : '');
  const rate = (took: number): string => `${ms(took)}: ${perFile(took)}${(bytes / 1e6 / (took / 1000)).toFixed(1)} MB/s`;
  const ours = medianMs(logrotor);
  const floor = median(sdk.ms);
  const failed = logrotor.error !== undefined;
  return {
    workload,
    logrotor: failed ? `failed: ${cellText(logrotor.error)}` : rate(ours),
    logrotate: `no archive; the SDK's PUTs alone: ${sdk.error === undefined ? rate(floor) : `failed: ${cellText(sdk.error)}`}`,
    ratio: failed || sdk.error !== undefined ? 'n/a' : ratio(ours / floor),
    target: target(limit),
    met: failed ? false : sdk.error !== undefined ? null : ours / floor <= limit,
  };
}

function target(limit: number): string {
  return `≤ ${limit.toFixed(2)}× the SDK's PUTs alone`;
}

/** A row with nothing measured: n/a (not installed) judges nothing, a failure fails. */
function unmeasured({ workload, limit }: RowKind, why: string): Row {
  return { workload, logrotor: cellText(why), logrotate: 'no archive', ratio: 'n/a', target: target(limit), met: why.startsWith('failed') ? false : null };
}

function assertSame(got: readonly string[], want: readonly string[], what: string): void {
  const missing = want.filter((w) => !got.includes(w));
  const extra = got.filter((g) => !want.includes(g));
  if (got.length !== want.length || missing.length > 0 || extra.length > 0) {
    throw new Error(`${what}: ${got.length} found, ${want.length} expected; missing ${missing.slice(0, 3).join(', ')}; unexpected ${extra.slice(0, 3).join(', ')}`);
  }
}

/** The objects' content, read back, against the ETag the listing gave. */
async function readBack(bucket: Bucket, objects: readonly (StoredObject | undefined)[]): Promise<void> {
  for (const object of objects) {
    if (object === undefined) throw new Error('nothing to read back');
    const content = md5(await bucket.read(object.key));
    if (content !== object.etag) throw new Error(`${object.key}: read back as MD5 ${content}, listed as ${object.etag}`);
  }
}

function readSlice(file: string, start: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, start));
  } finally {
    closeSync(fd);
  }
}

function oneLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}

function cellText(text: string): string {
  return text.replaceAll('|', '/').slice(0, 120);
}
