// Signal semantics of the long-running modes. SIGHUP asks for a run now (the config is
// re-read at every run, so "reload" and "run" are the same thing); SIGTERM/SIGINT let the
// run in progress finish, then end the process with status 0.
import type { Output } from '../cli/line-output.js';

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface SignalHandlers {
  readonly reload: () => void;
  /** Resolves once the process may end. */
  readonly stop: () => Promise<void>;
}

/** Resolves with the exit status once a stop signal was handled; a second stop signal
 * while waiting gives up on the run in progress. */
export function untilStopped(source: SignalSource, handlers: SignalHandlers, output: Output): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onHup = (): void => {
      output.out('SIGHUP: re-reading the configuration and running now');
      handlers.reload();
    };
    const onStop = (signal: NodeJS.Signals) => (): void => {
      if (stopping) {
        output.err(`${signal} again: exiting without waiting for the run in progress`);
        finish(1);
        return;
      }
      stopping = true;
      output.out(`${signal}: finishing the run in progress, then exiting`);
      void handlers.stop().then(() => finish(0));
    };
    const stopHandlers = (['SIGTERM', 'SIGINT'] as const).map((signal) => [signal, onStop(signal)] as const);
    const finish = (code: number): void => {
      source.off('SIGHUP', onHup);
      for (const [signal, handler] of stopHandlers) source.off(signal, handler);
      resolve(code);
    };
    source.on('SIGHUP', onHup);
    for (const [signal, handler] of stopHandlers) source.on(signal, handler);
  });
}
