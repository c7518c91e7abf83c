#!/bin/sh
//bin/true; case "$1" in daemon|watch) exec node --max-semi-space-size=1 --expose-gc --no-opt --no-maglev --no-memory-reducer "$0" "$@";; esac; exec node --max-semi-space-size=2 "$0" "$@"
// The package's bin: the one place that ends the process.
// Run as a program, this file is first a shell script: line 2 (a comment to JavaScript)
// replaces the shell with node on this file and V8 flags that work only on node's
// command line (`env -S` would do, but not every env has it); measured in docs/bench.md.
// - A bounded young generation, which otherwise grows to 32 MB in a long run: a run over
//   2,000 logs peaks at ~91 MB of RSS instead of ~115 MB. 2 MB for one-shot runs: 1 MB
//   saved nothing more there and doubled the scavenges of a 10,000-section -d.
//   (--optimize-for-size saved more but hangs node 24 at exit in about one run in ten.)
// - The long-running modes (`daemon`, `watch` as the first argument) keep 1 MB and go
//   without V8's optimizing compilers (TurboFan, and Maglev on node 22+), whose code and
//   output stayed resident for the life of the process (idle over 1,000 logs ~62 MB ->
//   ~55 MB on node 20); their runs wait on the disk and took no longer. They give memory
//   back themselves after each run (src/daemon/memory.ts: a full collection, hence
//   --expose-gc), so V8's timer-driven memory reducer, which woke an idle daemon ~8 s
//   after start for three collections, is off.
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
