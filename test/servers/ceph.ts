// A throw-away one-node Ceph cluster with its RADOS Gateway (S3) on 127.0.0.1, from
// Debian's ceph-mon, ceph-osd and radosgw: one monitor, one memstore OSD, no manager,
// cluster auth off (S3's SigV4 authentication stays real). See
// /work/shared/notes/s3-test-server.md for why each setting is there.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitUntilReady, type ServerProcess } from './process.js';

export interface S3User {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface RadosGateway {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  /** Milliseconds from nothing to each stage, for the notes and the report. */
  readonly timings: { readonly monitor: number; readonly osd: number; readonly gateway: number };
  /** A radosgw user with fresh keys (radosgw-admin, straight to the cluster). */
  createUser(uid: string): Promise<S3User>;
  /** Frees at once what deleted and overwritten objects held (radosgw hands their data to
   * its garbage collector, which waits hours by default): memstore keeps it in RAM. */
  collectGarbage(): Promise<void>;
  /** Stops radosgw alone (SIGKILL: connections drop mid-request); the cluster stays. */
  killGateway(): Promise<void>;
  /** Starts radosgw again on the same port; resolves once it answers. */
  startGateway(): Promise<void>;
  /** Stops every process (gateway, OSD, monitor) by pid and removes the cluster's files. */
  stop(): Promise<void>;
}

function run(command: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function cephConf(dir: string, fsid: string, monPort: number, gatewayPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
paxos propose interval = 0.05
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
run dir = ${dir}/run
log file = ${dir}/$name.log
admin socket = ${dir}/run/$name.asok
[mon]
mon data = ${dir}/mon
[osd]
osd data = ${dir}/osd
osd objectstore = memstore
memstore device bytes = 4294967296
public addr = 127.0.0.1
[client.rgw]
rgw data = ${dir}/rgw
rgw frontends = beast endpoint=127.0.0.1:${gatewayPort}
`;
}

async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.status === 200;
}

/** Starts the cluster; every process is stopped by pid by `stop()`, or when the test
 * process exits. */
export async function startRadosGateway(): Promise<RadosGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'logrotor-ceph-'));
  for (const sub of ['mon', 'osd', 'rgw', 'run']) mkdirSync(join(dir, sub));
  const conf = join(dir, 'ceph.conf');
  const fsid = randomUUID();
  const monPort = await freePort();
  const gatewayPort = await freePort();
  writeFileSync(conf, cephConf(dir, fsid, monPort, gatewayPort));
  const endpoint = `http://127.0.0.1:${gatewayPort}`;
  const servers: ServerProcess[] = [];
  let gateway: ServerProcess | null = null;
  const started = Date.now();

  const stop = async (): Promise<void> => {
    // Gateway first, monitor last: each stops cleanly while the ones below still run.
    // radosgw drains for seconds after SIGTERM; a throw-away cluster need not wait.
    for (const server of [...servers].reverse()) await server.stop(server === gateway ? 300 : 3000);
    rmSync(dir, { recursive: true, force: true });
  };
  const startGateway = async (): Promise<void> => {
    gateway = startProcess('radosgw', 'radosgw', ['-c', conf, '-f', '-n', 'client.rgw'], { logFile: join(dir, 'radosgw.out') });
    servers.push(gateway);
    await waitUntilReady(gateway, () => answers(`${endpoint}/`), 60_000);
  };

  try {
    const keyring = join(dir, 'keyring');
    const monmap = join(dir, 'monmap');
    await run('ceph-authtool', ['--create-keyring', keyring, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
    await run('monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, monmap]);
    await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', monmap, '--keyring', keyring]);
    servers.push(startProcess('ceph-mon', 'ceph-mon', ['-c', conf, '-f', '-i', 'a'], { logFile: join(dir, 'mon.out') }));
    // `ceph osd new` waits for the monitor to answer, so it doubles as its readiness check.
    const osdUuid = randomUUID();
    const id = (await run('ceph', ['-c', conf, '--connect-timeout', '20', 'osd', 'new', osdUuid])).trim();
    const monitor = Date.now() - started;
    await run('ceph-osd', ['-c', conf, '-i', id, '--mkfs', '--osd-uuid', osdUuid]);
    servers.push(startProcess('ceph-osd', 'ceph-osd', ['-c', conf, '-f', '-i', id], { logFile: join(dir, 'osd.out') }));
    const osd = Date.now() - started;
    await startGateway();
    const timings = { monitor, osd, gateway: Date.now() - started };
    return {
      endpoint,
      timings,
      async createUser(uid) {
        const accessKeyId = `AK${uid.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`;
        const secretAccessKey = randomUUID().replaceAll('-', '');
        await run('radosgw-admin', ['-c', conf, 'user', 'create', `--uid=${uid}`, `--display-name=${uid}`, `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`]);
        return { accessKeyId, secretAccessKey };
      },
      async collectGarbage() {
        await run('radosgw-admin', ['-c', conf, 'gc', 'process', '--include-all'], 120_000);
      },
      async killGateway() {
        if (gateway === null) return;
        const current = gateway;
        gateway = null;
        servers.splice(servers.indexOf(current), 1);
        process.kill(current.pid, 'SIGKILL');
        await current.exited;
      },
      startGateway,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
