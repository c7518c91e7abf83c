// FinishPool: at most `depth` finishing tasks at once, none touching a name another task
// in flight touches; waitFor / waitForDirs wait for exactly the tasks holding the names
// asked about; drain waits for all and rethrows what a task threw, once; the lines of
// tasks and of the run reach the sink in a one-at-a-time run's order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FinishPool, FINISH_DEPTH } from '../../src/exec/section/finish-pool.js';
import { recordingSink } from '../helpers/recording-sink.js';

interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets every pending promise callback run (they are all microtasks or immediate). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};


/** A promise's state without waiting for it. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await settle();
  return settled;
}

test('the depth must be a positive integer; the default is a few tasks per core', () => {
  const sink = recordingSink();
  assert.throws(() => new FinishPool(sink, 0), RangeError);
  assert.throws(() => new FinishPool(sink, -1), RangeError);
  assert.throws(() => new FinishPool(sink, 1.5), RangeError);
  assert.ok(Number.isInteger(FINISH_DEPTH) && FINISH_DEPTH >= 4, String(FINISH_DEPTH));
});

test('never more than `depth` tasks at once: admit returns only when a slot is free', async () => {
  const pool = new FinishPool(recordingSink(), 3);
  const gates = Array.from({ length: 8 }, gate);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  let admitted = 0;
  // The run's loop: one log after the other, each admitted before the next is looked at.
  const loop = (async () => {
    for (const [n, g] of gates.entries()) {
      await pool.admit(new Set([`/l/${n}.log.1`]), async () => {
        running++;
        most = Math.max(most, running);
        started.push(n);
        await g.promise;
        running--;
      });
      admitted++;
    }
  })();
  await settle();
  assert.deepEqual(started, [0, 1, 2]);
  assert.equal(admitted, 3, 'the fourth admit waits for a slot');
  gates[1]?.open();
  await settle();
  assert.deepEqual(started, [0, 1, 2, 3]);
  assert.equal(admitted, 4);
  assert.equal(running, 3);
  // Two slots freed at once: exactly two more start.
  gates[0]?.open();
  gates[3]?.open();
  await settle();
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
  assert.equal(running, 3);
  for (const g of gates) g.open();
  await loop;
  await pool.drain();
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(most, 3);
  assert.equal(running, 0);
});

test('callers admitting at the same time never exceed the depth either', async () => {
  const pool = new FinishPool(recordingSink(), 2);
  const gates = Array.from({ length: 6 }, gate);
  let running = 0;
  let most = 0;
  const admissions = gates.map((g, n) =>
    pool.admit(new Set([`/l/${n}`]), async () => {
      running++;
      most = Math.max(most, running);
      await g.promise;
      running--;
    }),
  );
  await settle();
  assert.equal(running, 2);
  // Freeing one slot wakes every waiting caller; only one of them may take it.
  gates[0]?.open();
  await settle();
  assert.equal(running, 2);
  for (const g of gates) g.open();
  await Promise.all(admissions);
  await pool.drain();
  assert.equal(most, 2);
});

test('a task touching a name a task in flight holds waits for it, even with slots free; others do not', async () => {
  const pool = new FinishPool(recordingSink(), 8);
  const order: string[] = [];
  const holder = gate();
  const unrelated = gate();
  await pool.admit(new Set(['/l/a.log.1', '/l/a.log.1.gz']), async () => {
    order.push('holder start');
    await holder.promise;
    order.push('holder end');
  });
  // Shares one name with the holder.
  const sharing = pool.admit(new Set(['/l/a.log.1.gz', '/l/a.log.2.gz']), async () => {
    order.push('sharing start');
  });
  const other = pool.admit(new Set(['/l/b.log.1', '/l/b.log.1.gz']), async () => {
    order.push('other start');
    await unrelated.promise;
    order.push('other end');
  });
  await settle();
  assert.deepEqual(order, ['holder start', 'other start']);
  assert.equal(await isSettled(sharing), false);
  assert.equal(await isSettled(other), true);
  holder.open();
  await settle();
  assert.deepEqual(order, ['holder start', 'other start', 'holder end', 'sharing start']);
  unrelated.open();
  await pool.drain();
  assert.deepEqual(order, ['holder start', 'other start', 'holder end', 'sharing start', 'other end']);
});

test('waitFor returns once no task holds any of the names, without waiting for the others', async () => {
  const pool = new FinishPool(recordingSink(), 8);
  const a = gate();
  const b = gate();
  const c = gate();
  await pool.admit(new Set(['/l/a.log.1']), () => a.promise);
  await pool.admit(new Set(['/l/b.log.1']), () => b.promise);
  await pool.admit(new Set(['/l/c.log.1']), () => c.promise);
  // Nothing holds these: at once.
  assert.equal(await isSettled(pool.waitFor(['/l/d.log.1', '/l/a.log'])), true);
  assert.equal(await isSettled(pool.waitFor([])), true);
  const forAB = pool.waitFor(['/l/a.log.1', '/l/b.log.1']);
  assert.equal(await isSettled(forAB), false);
  a.open();
  assert.equal(await isSettled(forAB), false, 'b still holds one of the names');
  b.open();
  assert.equal(await isSettled(forAB), true, 'c is still running, but holds none of the names');
  assert.equal(await isSettled(pool.drain()), false);
  c.open();
  await pool.drain();
});

test('waitForDirs waits for the tasks with a name directly in one of the directories', async () => {
  const pool = new FinishPool(recordingSink(), 8);
  const inLogs = gate();
  const inSub = gate();
  const inOther = gate();
  await pool.admit(new Set(['/t/other/x.log.1', '/t/logs/a.log.1']), () => inLogs.promise);
  await pool.admit(new Set(['/t/logs/sub/b.log.1']), () => inSub.promise);
  await pool.admit(new Set(['/t/other/c.log.1']), () => inOther.promise);
  // Only a name's own directory counts: /t/logs/sub/b.log.1 is not in /t/logs.
  const forLogs = pool.waitForDirs(new Set(['/t/logs']));
  assert.equal(await isSettled(forLogs), false);
  inLogs.open();
  assert.equal(await isSettled(forLogs), true);
  assert.equal(await isSettled(pool.waitForDirs(new Set(['/t/nowhere']))), true);
  const forOther = pool.waitForDirs(new Set(['/t/other', '/t/logs/sub']));
  assert.equal(await isSettled(forOther), false);
  inOther.open();
  assert.equal(await isSettled(forOther), false, 'the task in /t/logs/sub is still running');
  inSub.open();
  assert.equal(await isSettled(forOther), true);
  await pool.drain();
});

test('a task that throws: its done still resolves, the next drain rethrows the error once, later tasks run', async () => {
  const sink = recordingSink();
  const pool = new FinishPool(sink, 4);
  const boom = new Error('journal not writable');
  const failing = await pool.admit(new Set(['/l/a.log.1']), async (logger) => {
    logger.debug('a: compressing');
    await settle();
    throw boom;
  });
  pool.logger.debug('main after a');
  assert.equal(await failing.done, undefined);
  // The thrower's segment was closed: the run's line came out after it.
  assert.deepEqual(sink.calls, ['debug:a: compressing', 'debug:main after a']);
  await assert.rejects(pool.drain(), (err: unknown) => err === boom);
  await pool.drain();
  // The pool goes on working after the error was handed over.
  let ran = false;
  await pool.admit(new Set(['/l/a.log.1']), async () => {
    ran = true;
  });
  await pool.drain();
  assert.equal(ran, true);
});

test('two tasks throw: drain rethrows the first error thrown and then nothing more', async () => {
  const pool = new FinishPool(recordingSink(), 4);
  const first = new Error('first');
  const second = new Error('second');
  const late = gate();
  await pool.admit(new Set(['/l/a']), async () => {
    await late.promise;
    throw second;
  });
  await pool.admit(new Set(['/l/b']), async () => {
    throw first;
  });
  await settle();
  late.open();
  await assert.rejects(pool.drain(), (err: unknown) => err === first);
  await pool.drain();
});

test('lines through the pool come out as a one-at-a-time run prints them, whichever task ends first', async () => {
  const sink = recordingSink();
  const pool = new FinishPool(sink, 4);
  const run = pool.logger;
  const gates = [gate(), gate(), gate()];
  for (const [n, g] of gates.entries()) {
    run.debug(`rotating log ${n}`);
    run.debug(`renaming ${n} to ${n}.1`);
    await pool.admit(new Set([`/l/${n}.1`, `/l/${n}.1.gz`]), async (logger) => {
      logger.debug(`compressing ${n}`);
      await g.promise;
      logger.error(`${n}: compression failed`);
      logger.debug(`removing ${n}.1`);
    });
  }
  run.warning('next section');
  // The first task is at the head: its first line is out, the rest waits.
  assert.deepEqual(sink.calls, ['debug:rotating log 0', 'debug:renaming 0 to 0.1', 'debug:compressing 0']);
  gates[2]?.open();
  await settle();
  gates[1]?.open();
  await settle();
  assert.equal(sink.calls.length, 3);
  gates[0]?.open();
  await pool.drain();
  const expected = [0, 1, 2].flatMap((n) => [
    `debug:rotating log ${n}`,
    `debug:renaming ${n} to ${n}.1`,
    `debug:compressing ${n}`,
    `error:${n}: compression failed`,
    `debug:removing ${n}.1`,
  ]);
  assert.deepEqual(sink.calls, [...expected, 'warning:next section']);
});
