#!/usr/bin/env node
// Placeholder entry point: replaced by the commander CLI (issue 2).
process.stdout.write('logrotor 0.1.0\n');
