// A log writer for the copytruncate measurement, run as its own process:
// fixed-size numbered lines through an O_APPEND fd, one write(2) per line as
// a logging library does. It first fills the log to the requested size as
// fast as it can, says "ready", then appends at a steady rate until SIGTERM,
// when it prints how many lines it wrote in all.
import { constants, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const LINE_BYTES = 64;

export function formatLine(sequence: number): string {
  const head = `${String(sequence).padStart(12, '0')} `;
  return `${head}${'x'.repeat(LINE_BYTES - head.length - 1)}\n`;
}

function main(path: string, prefillBytes: number, linesPerTick: number): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o644);
  let written = 0;
  while (written * LINE_BYTES < prefillBytes) {
    const batch: string[] = [];
    for (let i = 0; i < 1024; i++) batch.push(formatLine(written++));
    writeSync(fd, batch.join(''));
  }
  process.stdout.write('ready\n');
  const timer = setInterval(() => {
    for (let i = 0; i < linesPerTick; i++) writeSync(fd, formatLine(written++));
  }, 1);
  // Never outlive a benchmark that crashed before stopping it.
  setTimeout(() => process.exit(1), 10 * 60 * 1000).unref();
  process.on('SIGTERM', () => {
    clearInterval(timer);
    process.stdout.write(`${written}\n`);
    process.exit(0);
  });
}

const [script, path, prefill, rate] = process.argv.slice(1);
if (script !== undefined && import.meta.url === pathToFileURL(script).href) main(path ?? '', Number(prefill), Number(rate));
