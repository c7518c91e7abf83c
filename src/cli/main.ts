#!/bin/sh
//bin/true; case "$1" in daemon|watch) exec node --max-semi-space-size=1 --no-opt --no-maglev "$0" "$@";; esac; exec node --max-semi-space-size=1 "$0" "$@"
// The package's bin: the one place that ends the process.
// Run as a program, this file is first a shell script: line 2 (a comment to JavaScript)
// replaces the shell with node on this file and a V8 flag that works only on node's
// command line (`env -S` would do, but not every env has it). The flag keeps V8's young
// generation at 1 MB, where it grows to 32 MB in a long run: a run over 2,000 logs peaks
// at ~94 MB of RSS instead of ~115 MB. --optimize-for-size saved more (~87 MB) but hangs
// node 24 at exit in about one run in ten (docs/bench.md).
// The long-running modes (`daemon`, `watch` as the first argument) also go without V8's
// optimizing compilers (TurboFan, and Maglev on node 22+): a daemon sits idle almost all
// the time, its runs wait on the disk, and the compilers' own code and output stayed
// resident for the life of the process: idle over 1,000 logs ~62 MB → ~56 MB of RSS on
// node 20, ~74-77 MB → ~66 MB on node 22 and 24. A run over 5,000 logs took no longer.
import { earlyText } from './texts.js';

const argv = process.argv.slice(2);
// popt acts on --version/--help/--usage the moment it reads them, so as the first
// argument they decide the whole outcome; answering before commander and the
// subcommands load keeps these calls as fast as node itself.
const early = earlyText(argv[0]);
if (early !== undefined) {
  process.stdout.write(early);
  process.exit(0);
}
const { main } = await import('./program.js');
const { processIo } = await import('./io.js');
const status = await main(argv, processIo());
// Once a pipe's buffer is full (a slow reader, a long -d run) node queues the rest of
// the output; exit() would drop it, so wait until both streams have written it all.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(status);
