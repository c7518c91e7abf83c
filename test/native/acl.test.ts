// ACL reading and copying through the addon (fgetxattr/fsetxattr) and through
// getfacl/setfacl (LOGROTOR_NO_NATIVE=1): the same files, the same outcome. Each mode
// runs in its own process, since the addon choice is made once per process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNative } from '../../src/native/index.js';

const ACL_MODULE = new URL('../../src/native/acl.js', import.meta.url).href;

/** In a child: reads the ACL of `from` and applies it to a new 0600 file `to`; prints
 * what the read gave. */
const COPY = `
import { openSync, closeSync } from 'node:fs';
import { readExtendedAcl, applyAcl } from ${JSON.stringify(ACL_MODULE)};
const [from, to] = process.argv.slice(1);
const src = openSync(from, 'r');
const read = readExtendedAcl(src);
closeSync(src);
const dst = openSync(to, 'wx', 0o600);
const problem = read.kind === 'acl' ? applyAcl(dst, read.acl) : null;
closeSync(dst);
console.log(JSON.stringify({ kind: read.kind, via: read.kind === 'acl' ? read.acl.via : null, problem }));
`;

function copyIn(mode: 'native' | 'tools', from: string, to: string): { kind: string; via: string | null; problem: string | null } {
  const env = { ...process.env, LOGROTOR_NO_NATIVE: mode === 'tools' ? '1' : '0' };
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', COPY, from, to], { env, encoding: 'utf8' });
  return JSON.parse(out) as { kind: string; via: string | null; problem: string | null };
}

const getfacl = (path: string): string => execFileSync('getfacl', ['--omit-header', '--absolute-names', '--numeric', path], { encoding: 'utf8' });

function scratch(): { dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'logrotor-acl-'));
  const dir = join(root, 'd');
  execFileSync('mkdir', ['-m', '0755', dir]);
  return { dir, done: () => rmSync(root, { recursive: true, force: true }) };
}

const MODES = ['native', 'tools'] as const;

for (const mode of MODES) {
  test(`${mode}: an extended ACL (named user, mask) is copied whole and sets the mode bits`, (t) => {
    if (mode === 'native' && loadNative() === null) return t.skip('addon not built');
    const { dir, done } = scratch();
    try {
      const from = join(dir, 'a.log');
      writeFileSync(from, 'x', { mode: 0o600 });
      chmodSync(from, 0o600);
      const set = spawnSync('setfacl', ['-m', 'u:65534:rw,g:4:r,m::rw', from], { encoding: 'utf8' });
      if (set.status !== 0) return t.skip(`no ACLs here: ${set.stderr}`);
      const to = join(dir, 'b.log');
      assert.deepEqual(copyIn(mode, from, to), { kind: 'acl', via: mode === 'native' ? 'xattr' : 'getfacl', problem: null });
      assert.equal(getfacl(to), getfacl(from));
      // The group bits are the mask's, as setfacl leaves them.
      assert.equal(statSync(to).mode & 0o777, 0o660);
    } finally {
      done();
    }
  });

  test(`${mode}: a file whose ACL is only its mode bits has none to copy`, () => {
    const { dir, done } = scratch();
    try {
      const from = join(dir, 'a.log');
      writeFileSync(from, 'x', { mode: 0o640 });
      // An ACL set to what the mode says is no extended ACL (the kernel drops it).
      spawnSync('setfacl', ['-m', 'u::rw,g::r,o::-', from]);
      const to = join(dir, 'b.log');
      assert.deepEqual(copyIn(mode, from, to), { kind: 'none', via: null, problem: null });
      assert.equal(statSync(to).mode & 0o777, 0o600);
    } finally {
      done();
    }
  });
}
