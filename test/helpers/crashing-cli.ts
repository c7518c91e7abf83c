// logrotor's command line with the journal's tap set to SIGKILL the process right after
// a record: LOGROTOR_CRASH_AFTER_RECORD=N names the Nth record a journal writes, a label
// (`run`, `section`, `intent:compress`, `done:shift`, … see JournalTap) the first record
// that has it. The crash tests run this instead of the bin; production code reads no
// such variable.
import { fileURLToPath } from 'node:url';
import { processIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/program.js';

/** This file, compiled: what a test spawns with node. */
export const CRASHING_CLI = fileURLToPath(import.meta.url);

const at = process.env['LOGROTOR_CRASH_AFTER_RECORD'];
if (at !== undefined && process.argv[1] === CRASHING_CLI) {
  const status = await main(process.argv.slice(2), processIo(), {
    journalTap: (label, sequence) => {
      if (at === String(sequence) || at === label) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.exitCode = status;
}
