// A log writer for the durability tests, run as a child process: appends numbered lines
// ("%09d" then padding) as fast as it can until SIGTERM, then prints how many it wrote.
// argv: path, mode ('append': one O_APPEND fd; 'reopen': open/append/close per batch;
// 'offset': one fd without O_APPEND, like a careless application; 'hup': one O_APPEND
// fd, reopened by path on SIGHUP like a daemon, which then writes how many times it
// reopened into MARKER), lines per write, rate in MB/s, MARKER.
// A write that fails or falls short (ENOSPC on a full disk) is reported, not thrown:
// `error CODE after N lines` on stdout, then the writer exits 3.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

const [pathArg, mode = 'append', batchText = '64', rateText = '20', marker = ''] = process.argv.slice(2);
if (pathArg === undefined) throw new Error('usage: writer.js PATH [append|reopen|offset] [LINES]');
const path: string = pathArg;
const batch = Number(batchText);
const bytesPerMs = Number(rateText) * 1000;
const started = Date.now();
const PAD = 'x'.repeat(50);
const LINE = 61;
let written = 0;
let stopping = false;
process.on('SIGTERM', () => (stopping = true));

function nextBatch(): Buffer {
  let text = '';
  for (let i = 0; i < batch; i++) text += `${String(written + i).padStart(9, '0')} ${PAD}\n`;
  return Buffer.from(text);
}

const flags = mode === 'offset' ? 'w' : 'a';
let fd = mode === 'reopen' ? -1 : openSync(path, flags);
let reopened = 0;
process.on('SIGHUP', () => {
  // Between two ticks, so no write is split across the old and the new file.
  closeSync(fd);
  fd = openSync(path, 'a');
  writeFileSync(marker, String(++reopened));
});

function tick(): void {
  // Bursts up to the target rate; yielding in between lets SIGTERM in.
  const allowed = (Date.now() - started) * bytesPerMs;
  for (let burst = 0; burst < 32 && !stopping && written * LINE < allowed; burst++) {
    const data = nextBatch();
    try {
      if (mode === 'reopen') fd = openSync(path, 'a');
      const done = writeSync(fd, data);
      if (mode === 'reopen') closeSync(fd);
      if (done !== data.length) throw Object.assign(new Error('short write'), { code: `short write (${done} of ${data.length} bytes)` });
    } catch (error) {
      process.stdout.write(`error ${(error as NodeJS.ErrnoException).code ?? String(error)} after ${written} lines\n`);
      process.exit(3);
    }
    written += batch;
  }
  if (stopping) {
    process.stdout.write(`${written}\n`);
    return;
  }
  setTimeout(tick, 1);
}
process.stdout.write('ready\n');
tick();
