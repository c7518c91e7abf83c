// Entering a su identity: logrotate's switch_user (3.21 and main alike) neither switches
// nor prints its `switching euid …` line when the ids asked for are those in effect,
// which is what `su root root` asks of a run as root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enterIdentity, inIdentity, leaveIdentity } from '../../src/exec/su.js';
import { MemoryLogger } from '../../src/logger.js';

const ROOT = { uid: 0, gid: 0, user: 'root', group: 'root' };

test('su to the ids in effect: no switch line, the identity still counts as entered', () => {
  const logger = new MemoryLogger();
  try {
    assert.deepEqual(enterIdentity(ROOT, logger), { ok: true });
    assert.deepEqual(logger.lines, []);
    assert.equal(inIdentity(ROOT), true);
  } finally {
    leaveIdentity(logger);
  }
  assert.equal(inIdentity(ROOT), false);
});

test('su to another group: the switch is made and said', () => {
  const logger = new MemoryLogger();
  const adm = { ...ROOT, gid: 4, group: 'adm' };
  try {
    enterIdentity(adm, logger);
    assert.equal(process.getegid?.(), 4);
    assert.deepEqual(logger.lines, [{ severity: 'debug', text: `switching euid from 0 to 0 and egid from 0 to 4 (pid ${process.pid})` }]);
  } finally {
    leaveIdentity(logger);
  }
  assert.equal(process.getegid?.(), 0);
});
