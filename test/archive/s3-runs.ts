// `archive s3://…` in real runs of the CLI against the gateway: uploads after
// compression, -d's listing, the journal; the gateway killed during a run and started
// again; logrotor killed mid-upload; archivedelete. Every case ends by reading the objects
// back: each log line is in the bucket exactly once, and no file went before its object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { BUCKET, keysUnder, scratchPath, uploadBegun, userEnvironment, type S3World } from './s3-world.js';

interface Host {
  readonly dir: string;
  readonly log: string;
  readonly state: string;
  readonly conf: string;
  readonly prefix: string;
  readonly env: NodeJS.ProcessEnv;
  /** Appends `count` numbered lines to the log; they are what the bucket must hold. */
  write(count: number): void;
  /** Appends `mib` lines of a MiB each (a multipart upload's worth for 80). */
  writeBig(mib: number): Promise<void>;
  readonly lines: string[];
}

function host(w: S3World, name: string, directives: string, endpoint = w.gateway.endpoint): Host {
  const dir = scratchPath(w, `run-${name}`);
  mkdirSync(dir);
  const log = join(dir, 'app.log');
  const prefix = `runs/${name}`;
  const conf = join(dir, 'logrotor.conf');
  writeFileSync(conf, `${log} {\n  size 1\n  missingok\n  archive s3://${BUCKET}/${prefix}\n${directives}}\n`, { mode: 0o644 });
  const lines: string[] = [];
  return {
    dir,
    log,
    state: join(dir, 'state'),
    conf,
    prefix,
    env: { PATH: process.env['PATH'], HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', ...userEnvironment(w, w.archiver, endpoint) },
    lines,
    write(count) {
      const added = Array.from({ length: count }, (_, i) => `${name} line ${lines.length + i}`);
      lines.push(...added);
      writeFileSync(log, added.map((l) => `${l}\n`).join(''), { flag: 'a' });
    },
    async writeBig(mib) {
      const big = createWriteStream(log, { flags: 'a' });
      for (let i = 0; i < mib; i++) {
        const line = `${name} block ${String(lines.length).padStart(4, '0')} ${'x'.repeat(1024 * 1024 - 40)}`;
        lines.push(line);
        big.write(`${line}\n`);
      }
      await new Promise((resolve) => big.end(resolve));
    },
  };
}

function rotate(h: Host, ...flags: string[]): { status: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [LOGROTOR_CLI, ...flags, '-s', h.state, h.conf], { env: h.env, encoding: 'utf8', timeout: 120_000 });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

async function objectText(w: S3World, key: string): Promise<string> {
  const out = await w.inspect.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const body = Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  return (key.endsWith('.gz') ? gunzipSync(body) : body).toString('utf8');
}

/** Every line written so far, from the objects under the host's prefix, in time order. */
async function archivedLines(w: S3World, h: Host): Promise<string[]> {
  const keys = await keysUnder(w, `${h.prefix}/`);
  const texts = await Promise.all(keys.map((key) => objectText(w, key)));
  return texts.flatMap((text) => text.split('\n').filter((line) => line !== ''));
}

const localFiles = (h: Host): string[] => readdirSync(h.dir).filter((f) => f.startsWith('app.log')).sort();
const keyPattern = (h: Host, ext: string): RegExp => new RegExp(`^${h.prefix}/${hostname()}${h.log}-\\d{8}T\\d{6}Z(-\\d+)?${ext.replace('.', '\\.')}$`);

export function runCases(world: () => S3World): void {
  test('s3 runs: each rotation archived once compressed, under a stable name; the oldest goes only once archived', { timeout: 300_000 }, async () => {
    const w = world();
    const h = host(w, 'compressed', '  rotate 1\n  compress\n');
    h.write(100);
    const first = rotate(h, '-v');
    assert.equal(first.status, 0, first.stderr);
    const [key] = await keysUnder(w, `${h.prefix}/`);
    assert.match(key ?? '', keyPattern(h, '.gz'));
    assert.match(first.stderr, new RegExp(`archived ${h.log}\\.1\\.gz as s3://${BUCKET}/${key} \\(\\d+ bytes, md5:[0-9a-f]{32} verified\\)`));
    assert.deepEqual(localFiles(h), ['app.log.1.gz']);

    // -d names the upload the run will make, and changes nothing.
    h.write(50);
    const preview = rotate(h, '-d');
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stderr, new RegExp(`${h.log}\\.1\\.gz would be archived as s3://${BUCKET}/${h.prefix}/${hostname()}`));
    assert.deepEqual(await keysUnder(w, `${h.prefix}/`), [key]);

    // The second rotation shifts the first to .2.gz, beyond `rotate 1`: it may go, its
    // object is verified; the new .1.gz gets a name of its own.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = rotate(h);
    assert.equal(second.status, 0, second.stderr);
    const keys = await keysUnder(w, `${h.prefix}/`);
    assert.equal(keys.length, 2);
    for (const k of keys) assert.match(k, keyPattern(h, '.gz'));
    assert.deepEqual(localFiles(h), ['app.log.1.gz']);
    assert.deepEqual(await archivedLines(w, h), h.lines);

    // The journal shows the uploads.
    const journal = spawnSync(process.execPath, [LOGROTOR_CLI, 'journal', '-s', h.state], { encoding: 'utf8' });
    assert.equal(journal.status, 0, journal.stderr);
    assert.equal(journal.stdout.split('\n').filter((line) => line.endsWith(`  archive ${h.log}.1.gz  done`)).length, 2, journal.stdout);
  });

  test('s3 runs: the gateway killed during a run: the file stays, queued; the next run uploads it, nothing deleted early', { timeout: 300_000 }, async () => {
    const w = world();
    // No compression: a big rotation is archived right after postrotate, so the gateway
    // can be killed while its multipart upload is under way.
    const h = host(w, 'outage', '  rotate 1\n');
    await h.writeBig(80);
    const metrics = join(h.dir, 'logrotor.prom');
    const running = spawn(process.execPath, [LOGROTOR_CLI, '--metrics-file', metrics, '-s', h.state, h.conf], { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    running.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => running.on('exit', resolve));
    try {
      await uploadBegun(w, `${h.prefix}/`);
      await w.gateway.killGateway();
      assert.equal(await exited, 1, stderr);
    } finally {
      if (running.exitCode === null) running.kill('SIGKILL');
      if (!(await gatewayAnswers(w))) await w.gateway.startGateway();
    }
    assert.match(stderr, new RegExp(`error: cannot archive ${h.log}\\.1 \\(kept, queued for the next run\\)`));
    assert.deepEqual(localFiles(h), ['app.log.1']);
    const size = statSync(`${h.log}.1`).size;
    assert.deepEqual(metricValues(metrics, /^logrotor_archive/), {
      logrotor_archive_failed_bytes_total: size,
      logrotor_archive_failed_files_total: 1,
      logrotor_archive_queued_bytes: size,
      logrotor_archive_queued_files: 1,
      logrotor_archived_bytes_total: 0,
      logrotor_archived_files_total: 0,
    });
    // The next run archives the queued file first; only then may the shift move it
    // beyond `rotate 1` and remove it.
    h.write(10);
    const again = rotate(h, '--metrics-file', metrics);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(localFiles(h), ['app.log.1']);
    const keys = await keysUnder(w, `${h.prefix}/`);
    assert.equal(keys.length, 2, keys.join(' '));
    assert.deepEqual(await archivedLines(w, h), h.lines);
    assert.deepEqual(metricValues(metrics, /^logrotor_archive(d_files|_failed_files|_queued_files)/), {
      logrotor_archive_failed_files_total: 1,
      logrotor_archive_queued_files: 0,
      logrotor_archived_files_total: 2,
    });
  });

  test('s3 runs: logrotor killed mid-upload; the next run archives the file under the same name, once', { timeout: 300_000 }, async () => {
    const w = world();
    const h = host(w, 'killed', '  rotate 3\n');
    await h.writeBig(80);
    const running = spawn(process.execPath, [LOGROTOR_CLI, '-s', h.state, h.conf], { env: h.env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => running.on('exit', (_code, signal) => resolve(signal)));
    try {
      await uploadBegun(w, `${h.prefix}/`);
    } finally {
      running.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');
    assert.deepEqual(await keysUnder(w, `${h.prefix}/`), []);
    const queued = readFileSync(`${h.state}.archive`, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { op: string; name?: string });
    const name = queued.find((r) => r.op === 'queue')?.name;
    assert.ok(name !== undefined, 'the upload was queued before it began');

    const next = rotate(h, '-v');
    assert.equal(next.status, 0, next.stderr);
    assert.deepEqual(await keysUnder(w, `${h.prefix}/`), [`${h.prefix}/${name}`]);
    assert.deepEqual(await archivedLines(w, h), h.lines);
    assert.deepEqual(localFiles(h), ['app.log.1']);
  });

  test('s3 runs: archivedelete removes each rotation once its object is verified, and only then', { timeout: 300_000 }, async () => {
    const w = world();
    const h = host(w, 'delete', '  rotate 5\n  compress\n  archivedelete\n');
    h.write(200);
    const first = rotate(h);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(localFiles(h), []);
    assert.deepEqual(await archivedLines(w, h), h.lines);
    // With the gateway unreachable nothing is removed.
    const down = host(w, 'delete-down', '  rotate 5\n  compress\n  archivedelete\n', 'http://127.0.0.1:9');
    down.write(20);
    const failed = rotate(down);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /cannot reach the S3 endpoint/);
    assert.deepEqual(localFiles(down), ['app.log.1.gz']);
    assert.ok(existsSync(`${down.log}.1.gz`));
  });
}

/** The samples of a --metrics-file whose names match, by name. */
function metricValues(file: string, names: RegExp): Record<string, number> {
  const samples = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => names.test(line))
    .map((line) => line.split(' '));
  return Object.fromEntries(samples.map(([name, value]) => [name ?? '', Number(value)]).sort());
}

async function gatewayAnswers(w: S3World): Promise<boolean> {
  try {
    await fetch(`${w.gateway.endpoint}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}
