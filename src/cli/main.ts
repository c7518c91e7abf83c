#!/usr/bin/env node
// The package's bin: the one place that ends the process.
import { processIo } from './io.js';
import { main } from './program.js';

process.exit(await main(process.argv.slice(2), processIo()));
