// `logrotor status` as a user runs it: real files, a state file, a journal left by a
// failed and by a killed run; on a terminal (a pty from script(1)) and with --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOGROTOR_CLI } from '../helpers/binaries.js';
import { CRASHING_CLI } from '../helpers/crashing-cli.js';
import { CONFIG_NAME, STATE_NAME, makeTempBase, materialize } from '../helpers/tree.js';

const ENV = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
const NOW_S = Math.floor(Date.now() / 1000);
const M = 1024 * 1024;

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv = ENV): Ran {
  const r = spawnSync(process.execPath, [LOGROTOR_CLI, ...args], { encoding: 'utf8', env, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command on a terminal: script(1) gives it a pty and passes its exit status on. */
function onTerminal(args: readonly string[], env: NodeJS.ProcessEnv = ENV): Ran {
  const command = [process.execPath, LOGROTOR_CLI, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SECTIONS = {
  big: '@ROOT@/logs/big.log {\n  size 10M\n}\n',
  recent: '@ROOT@/logs/recent.log {\n  minutes 300\n}\n',
  gone: '@ROOT@/logs/gone.log {\n  daily\n  missingok\n}\n',
  absent: '@ROOT@/logs/absent.log {\n  daily\n}\n',
  link: '@ROOT@/logs/link.log {\n  daily\n}\n',
  open: '@ROOT@/open/w.log {\n  daily\n}\n',
  failed: '@ROOT@/logs/failed.log {\n  size 1\n  rotate 2\n  create\n  compress\n  compresscmd /bin/false\n}\n',
  killed: '@ROOT@/logs/killed.log {\n  size 1\n  rotate 2\n  create\n  compress\n}\n',
  olddir: '@ROOT@/logs/moved.log {\n  daily\n  missingok\n  olddir @ROOT@/old\n  createolddir 0755 root root\n}\n',
};

/** Every file and directory under `dir` with what a change would touch. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((name) => {
      const st = lstatSync(join(dir, name));
      const body = st.isFile() ? readFileSync(join(dir, name)).toString('base64') : '';
      return `${name} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${body}`;
    });
}

function setUp(): { root: string; cleanup: () => void; conf: (...names: (keyof typeof SECTIONS)[]) => string; state: string } {
  const base = makeTempBase('lrstatus-');
  const root = join(base, 't');
  materialize(root, {
    entries: [
      { kind: 'file', path: 'logs/big.log', size: 12 * M },
      { kind: 'file', path: 'logs/recent.log', content: 'recent\n' },
      { kind: 'symlink', path: 'logs/link.log', target: '@ROOT@/logs/recent.log' },
      { kind: 'dir', path: 'open', mode: 0o777 },
      { kind: 'file', path: 'open/w.log', content: 'w\n' },
      { kind: 'file', path: 'logs/failed.log', content: 'line\n' },
      { kind: 'file', path: 'logs/killed.log', content: 'killed\n' },
    ],
    config: Object.values(SECTIONS).join(''),
    state: [{ path: '@ROOT@/logs/recent.log', time: NOW_S - 3 * 3600 }],
  });
  const conf = (...names: (keyof typeof SECTIONS)[]): string => {
    const path = join(root, 'meta', `${names.join('-')}.conf`);
    writeFileSync(path, names.map((n) => SECTIONS[n].replaceAll('@ROOT@', root)).join(''), { mode: 0o644 });
    return path;
  };
  return { root, conf, state: join(root, STATE_NAME), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

interface Row {
  readonly log: string;
  readonly verdict: { readonly kind: string; readonly text: string };
  readonly next: { readonly text: string };
  readonly rotations: { readonly count: number; readonly bytes: number };
  readonly lastFailure: { readonly what: string; readonly source: string; readonly lastAttempt: boolean } | null;
  readonly failsNow: boolean;
  readonly healthy: boolean;
}

test('status: every verdict, the journal\'s failures, with --json and on a terminal, exit 1; nothing changed, no olddir made', () => {
  const { root, conf, state, cleanup } = setUp();
  try {
    // A failed compression, then a run killed right after recording a compression.
    assert.equal(cli(['-s', state, conf('failed')]).status, 1);
    const killed = spawnSync(process.execPath, [CRASHING_CLI, '-s', state, conf('killed')], {
      env: { ...ENV, LOGROTOR_CRASH_AFTER_RECORD: 'intent:compress' },
    });
    assert.equal(killed.signal, 'SIGKILL');
    const before = snapshot(root);

    const ran = cli(['status', '--json', '-s', state, join(root, CONFIG_NAME)]);
    assert.equal(ran.stderr, '');
    assert.equal(ran.status, 1);
    const rows = JSON.parse(ran.stdout) as Row[];
    const by = new Map(rows.map((row) => [row.log.slice(root.length + 1), row]));
    const verdicts = Object.fromEntries([...by].map(([log, row]) => [log, [row.verdict.text, row.healthy]]));
    assert.deepEqual(verdicts, {
      'logs/big.log': ['due: size 12M > 10M', true],
      'logs/recent.log': ['not due: rotated 3 h ago', true],
      'logs/gone.log': ['missing (missingok)', true],
      'logs/absent.log': ['missing (no missingok)', false],
      'logs/link.log': ['refused: symbolic link', true],
      'open/w.log': [`refused: parent directory ${root}/open is world-writable`, false],
      'logs/failed.log': ['not due: size 0B < 1B', false],
      'logs/killed.log': ['not due: size 0B < 1B', false],
      'logs/moved.log': ['missing (missingok)', true],
    });
    const nextAt = new Date((NOW_S - 3 * 3600 + 301 * 60) * 1000).toISOString().slice(0, 16).replace('T', ' ');
    assert.equal(by.get('logs/recent.log')?.next.text, `every 300 min: next after ${nextAt}`);
    assert.equal(by.get('logs/big.log')?.next.text, 'size 10M: 12M now');
    const failure = by.get('logs/failed.log')?.lastFailure;
    assert.equal(failure?.what, `compress ${root}/logs/failed.log.1 -> ${root}/logs/failed.log.1.gz: failed`);
    assert.equal(failure?.source, 'journal');
    assert.equal(failure?.lastAttempt, true);
    assert.deepEqual(by.get('logs/failed.log')?.rotations, { count: 1, bytes: 5 });
    assert.equal(by.get('logs/killed.log')?.lastFailure?.what, `compress ${root}/logs/killed.log.1 -> ${root}/logs/killed.log.1.gz: interrupted (the run was killed)`);
    assert.equal(by.get('logs/absent.log')?.failsNow, true);
    assert.equal(by.get('logs/big.log')?.lastFailure, null);

    // The same verdicts on a terminal, each colored by what it means.
    const tty = onTerminal(['status', '-s', state, join(root, CONFIG_NAME)]);
    assert.equal(tty.status, 1);
    const lineOf = (log: string): string => tty.stdout.split('\r\n').find((line) => line.startsWith(`${root}/${log} `)) ?? '';
    const colored: Record<string, string> = {
      'logs/big.log': '\x1b[33mdue: size 12M > 10M',
      'logs/recent.log': '\x1b[32mnot due: rotated 3 h ago',
      'logs/absent.log': '\x1b[31mmissing (no missingok)',
      'logs/link.log': '\x1b[33mrefused: symbolic link',
      'open/w.log': `\x1b[31mrefused: parent directory ${root}/open is world-writable`,
      'logs/failed.log': '\x1b[32mnot due: size 0B < 1B',
      'logs/killed.log': '\x1b[32mnot due: size 0B < 1B',
    };
    for (const [log, cell] of Object.entries(colored)) assert.ok(lineOf(log).includes(cell), `${log}: ${lineOf(log)}`);
    for (const log of ['logs/gone.log', 'logs/moved.log']) assert.match(lineOf(log), /  missing \(missingok\) +  0 +  -$/);
    assert.match(lineOf('logs/failed.log'), /\x1b\[31m\d{4}-\d\d-\d\d \d\d:\d\d compress .*: failed\x1b\[0m$/);
    assert.match(lineOf('logs/killed.log'), /\x1b\[31m\d{4}-\d\d-\d\d \d\d:\d\d compress .*: interrupted \(the run was killed\)\x1b\[0m$/);

    assert.deepEqual(snapshot(root), before, 'status changed something');
    assert.equal(existsSync(join(root, 'old')), false, 'createolddir must not create the directory under status');
  } finally {
    cleanup();
  }
});

test('status on a terminal: an aligned, colored table; NO_COLOR and a pipe get none', () => {
  const { conf, state, cleanup } = setUp();
  try {
    const config = conf('big', 'recent', 'absent');
    const tty = onTerminal(['status', '-s', state, config]);
    assert.equal(tty.status, 1);
    const lines = tty.stdout.split('\r\n');
    assert.match(lines[0] ?? '', /^\x1b\[1mLOG +\x1b\[0m {2}\x1b\[1mSIZE\x1b\[0m/);
    assert.ok(lines[1]?.includes('\x1b[33mdue: size 12M > 10M'), lines[1]);
    assert.ok(lines[2]?.includes('\x1b[32mnot due: rotated 3 h ago'), lines[2]);
    assert.ok(lines[3]?.includes('\x1b[31mmissing (no missingok)'), lines[3]);
    const plain = tty.stdout.replace(/\x1b\[\d+m/g, '').replaceAll('\r\n', '\n');
    const piped = cli(['status', '-s', state, config]);
    assert.equal(piped.stdout, plain);
    // Aligned: the verdict column starts at the same offset on every line.
    const offsets = piped.stdout.trimEnd().split('\n').map((line, i) => line.indexOf(i === 0 ? 'NOW' : i === 1 ? 'due:' : i === 2 ? 'not due:' : 'missing'));
    assert.equal(new Set(offsets).size, 1, piped.stdout);
    const noColor = onTerminal(['status', '-s', state, config], { ...ENV, NO_COLOR: '1' });
    assert.equal(noColor.stdout.replaceAll('\r\n', '\n'), plain);
  } finally {
    cleanup();
  }
});

test('status exit status: 0 when healthy (due or not), 1 for a log missing without missingok', () => {
  const { conf, state, cleanup } = setUp();
  try {
    assert.equal(cli(['status', '-s', state, conf('big', 'recent', 'gone', 'link')]).status, 0);
    assert.equal(cli(['status', '-s', state, conf('absent')]).status, 1);
    assert.equal(cli(['status', '-s', state, conf('open')]).status, 1);
  } finally {
    cleanup();
  }
});

test('status takes no lock: it answers while another process holds the state lock', async () => {
  const { conf, state, cleanup } = setUp();
  // logrotate does not lock a world-readable state file (anyone could hold the lock).
  chmodSync(state, 0o600);
  const holder = spawn('python3', ['-c', 'import fcntl,sys,time; f=open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); print("locked", flush=True); time.sleep(60)', state], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', () => reject(new Error('the lock holder exited')));
    });
    assert.equal(cli(['-s', state, conf('big')]).status, 3, 'a rotation must find the state locked');
    const ran = cli(['status', '--json', '-s', state, conf('big')]);
    assert.equal(ran.status, 0);
    assert.equal((JSON.parse(ran.stdout) as Row[])[0]?.verdict.text, 'due: size 12M > 10M');
  } finally {
    if (holder.pid !== undefined) process.kill(holder.pid, 'SIGKILL');
    cleanup();
  }
});
