#!/usr/bin/env node
// The package's bin: the one place that ends the process.
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
