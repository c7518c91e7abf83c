// The `signal` step (logrotor extension): read the pid file, send the signal, no shell.
// A missing pid file, or one naming a process that no longer runs, is an error unless
// the section says missingok; a pid file that holds no pid always is. The pid file is
// read and the signal sent with root's ids, as a postrotate script would (su.ts).
import { readFileSync } from 'node:fs';
import type { StepContext } from './effects/context.js';
import { failure, OK, type Outcome } from './effects/outcome.js';
import { forkAsRoot } from './su.js';
import { errorCode, strerror } from '../strerror.js';

/** The longest pid file read: a pid and a newline, with room for what daemons add. */
const MAX_PID_FILE = 4096;

export interface SignalRequest {
  readonly signal: string;
  readonly pidFile: string;
}

export function sendSignal(request: SignalRequest, ctx: StepContext): Outcome {
  const { signal, pidFile } = request;
  const missingOk = ctx.options.missingOk;
  let text: string;
  try {
    text = forkAsRoot(() => readFileSync(pidFile, 'utf8')).slice(0, MAX_PID_FILE);
  } catch (err) {
    if (errorCode(err) === 'ENOENT' && missingOk) {
      ctx.logger.debug(`pid file ${pidFile} does not exist, not sending ${signal} (missingok)`);
      return OK;
    }
    return failure(`cannot read pid file ${pidFile} to send ${signal}: ${strerror(err)}`);
  }
  // newsyslog's rule: the first line holds the pid (nginx writes "1234\n").
  const first = text.split('\n', 1)[0]?.trim() ?? '';
  const pid = /^[0-9]{1,10}$/.test(first) ? Number(first) : 0;
  // 0 and negative numbers would signal whole process groups, or everything.
  if (pid < 1 || pid > 0x7fffffff) return failure(`pid file ${pidFile} holds no process id ('${first.slice(0, 40)}'): not sending ${signal}`);
  try {
    forkAsRoot(() => process.kill(pid, signal));
  } catch (err) {
    if (errorCode(err) !== 'ESRCH') return failure(`cannot send ${signal} to process ${pid} (pid file ${pidFile}): ${strerror(err)}`);
    if (missingOk) {
      ctx.logger.debug(`process ${pid} of pid file ${pidFile} is not running, not sending ${signal} (missingok)`);
      return OK;
    }
    return failure(`process ${pid} of pid file ${pidFile} is not running (a stale pid file?): not sending ${signal}`);
  }
  return OK;
}
