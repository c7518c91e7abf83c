// OrderedLog: lines of overlapping work come out in the order a one-step-at-a-time run
// prints them, whatever order the work completes in. The sink records every call,
// flushes included, so each test asserts the exact sequence the terminal would see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderedLog } from '../../src/exec/section/ordered-log.js';
import { recordingSink } from '../helpers/recording-sink.js';


test('without a fork every line goes straight to the sink, severity kept', () => {
  const sink = recordingSink();
  const log = new OrderedLog(sink);
  assert.equal(log.inOrder, true);
  log.logger.debug('one');
  log.logger.warning('two');
  log.logger.error('three');
  log.logger.flush?.();
  assert.deepEqual(sink.calls, ['debug:one', 'warning:two', 'error:three', '<flush>']);
});

test('a fork: its lines pass through at once, the run\'s later lines wait until it closes', () => {
  const sink = recordingSink();
  const log = new OrderedLog(sink);
  log.logger.debug('before');
  const task = log.fork();
  assert.equal(log.inOrder, false);
  log.logger.debug('main after fork');
  log.logger.error('main error after fork');
  // The forked segment is at the head: its lines are already in order.
  task.logger.debug('task 1');
  assert.deepEqual(sink.calls, ['debug:before', 'debug:task 1']);
  task.logger.warning('task 2');
  task.close();
  assert.equal(log.inOrder, true);
  assert.deepEqual(sink.calls, ['debug:before', 'debug:task 1', 'warning:task 2', 'debug:main after fork', 'error:main error after fork']);
  // Back in order: straight through again.
  log.logger.debug('main later');
  assert.deepEqual(sink.calls.at(-1), 'debug:main later');
});

test('forks closed in reverse order: nothing of a later segment overtakes an earlier one', () => {
  const sink = recordingSink();
  const log = new OrderedLog(sink);
  log.logger.debug('m0');
  const a = log.fork();
  log.logger.debug('m1');
  const b = log.fork();
  log.logger.debug('m2');
  const c = log.fork();
  log.logger.debug('m3');

  c.logger.debug('c1');
  b.logger.debug('b1');
  a.logger.debug('a1');
  c.logger.debug('c2');
  c.close();
  b.logger.debug('b2');
  assert.deepEqual(sink.calls, ['debug:m0', 'debug:a1']);
  b.close();
  // b and c are complete but a is not: still held.
  assert.deepEqual(sink.calls, ['debug:m0', 'debug:a1']);
  assert.equal(log.inOrder, false);
  a.logger.error('a2');
  a.close();
  assert.deepEqual(sink.calls, ['debug:m0', 'debug:a1', 'error:a2', 'debug:m1', 'debug:b1', 'debug:b2', 'debug:m2', 'debug:c1', 'debug:c2', 'debug:m3']);
  assert.equal(log.inOrder, true);
});

test('forks closed in a shuffled order: each close lets out exactly the segments that became complete', () => {
  const sink = recordingSink();
  const log = new OrderedLog(sink);
  const forks = [0, 1, 2, 3].map((n) => {
    log.logger.debug(`m${n}`);
    const fork = log.fork();
    fork.logger.debug(`f${n}`);
    return fork;
  });
  log.logger.debug('m4');
  // m0 and f0 went through; everything else waits behind f0.
  assert.deepEqual(sink.calls, ['debug:m0', 'debug:f0']);
  forks[2]?.close();
  assert.deepEqual(sink.calls, ['debug:m0', 'debug:f0']);
  forks[0]?.close();
  // f0 done: m1 and f1 (still open, now at the head) come out, f1's later lines pass.
  assert.deepEqual(sink.calls, ['debug:m0', 'debug:f0', 'debug:m1', 'debug:f1']);
  forks[1]?.logger.debug('f1 late');
  assert.deepEqual(sink.calls.at(-1), 'debug:f1 late');
  forks[3]?.close();
  assert.equal(sink.calls.length, 5);
  forks[1]?.close();
  // f1 done: m2, f2 (complete), m3, f3 (complete), m4.
  assert.deepEqual(sink.calls, ['debug:m0', 'debug:f0', 'debug:m1', 'debug:f1', 'debug:f1 late', 'debug:m2', 'debug:f2', 'debug:m3', 'debug:f3', 'debug:m4']);
});

test('lines interleaved across time come out in the sequential order for every completion order', () => {
  // Three overlapping tasks and main-flow lines between them; all 6 completion orders.
  const orders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  const sequential = ['m-start', 't0-a', 't0-b', 'm-0', 't1-a', 't1-b', 'm-1', 't2-a', 't2-b', 'm-2', 'm-end'].map((t) => `debug:${t}`);
  for (const order of orders) {
    const sink = recordingSink();
    const log = new OrderedLog(sink);
    log.logger.debug('m-start');
    const tasks = [0, 1, 2].map((n) => {
      const fork = log.fork();
      fork.logger.debug(`t${n}-a`);
      log.logger.debug(`m-${n}`);
      return fork;
    });
    log.logger.debug('m-end');
    for (const n of order) {
      tasks[n]?.logger.debug(`t${n}-b`);
      tasks[n]?.close();
    }
    assert.deepEqual(sink.calls, sequential, `completion order ${order.join(',')}`);
  }
});

test('flush reaches the sink only from the segment at the head', () => {
  const sink = recordingSink();
  const log = new OrderedLog(sink);
  const task = log.fork();
  log.logger.debug('held');
  // The run's lines are held behind the task: flushing them now would flush nothing of
  // them, and the sink must not be told to.
  log.logger.flush?.();
  assert.deepEqual(sink.calls, []);
  task.logger.debug('task');
  task.logger.flush?.();
  assert.deepEqual(sink.calls, ['debug:task', '<flush>']);
  task.close();
  assert.deepEqual(sink.calls, ['debug:task', '<flush>', 'debug:held']);
  log.logger.flush?.();
  assert.deepEqual(sink.calls, ['debug:task', '<flush>', 'debug:held', '<flush>']);
  // A closed segment is no longer at the head: its flush is not passed on.
  task.logger.flush?.();
  assert.equal(sink.calls.length, 4);
});

test('a fork with no lines, closed at once, changes nothing', () => {
  const sink = recordingSink();
  const log = new OrderedLog(sink);
  log.logger.debug('a');
  log.fork().close();
  assert.equal(log.inOrder, true);
  log.logger.debug('b');
  const open = log.fork();
  log.fork().close();
  log.logger.debug('c');
  assert.deepEqual(sink.calls, ['debug:a', 'debug:b']);
  open.close();
  assert.deepEqual(sink.calls, ['debug:a', 'debug:b', 'debug:c']);
});
