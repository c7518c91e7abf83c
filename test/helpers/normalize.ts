// The reference binary is Debian's logrotate 3.21; logrotor follows upstream main.
// Each rule below erases exactly one documented 3.21-vs-main difference (see
// /work/shared/logrotate-behavior.md §7.13) and nothing else, applied to both sides.
import type { EntrySnapshot, RunSnapshot } from './snapshot.js';

export function normalizeVersionDifferences(run: RunSnapshot): RunSnapshot {
  const stderr = normalizeMessages(run.stderr);
  return {
    ...run,
    stderr,
    exitCode: unsafeConfigExit(run.exitCode, stderr),
    entries: Object.fromEntries(Object.entries(run.entries).map(([path, entry]) => [path, createOldDirMode(entry)])),
    hooks: prerotateFirst(joinPatternLines(run.hooks).map(trimSharedPattern)),
  };
}

// main warns that delaycompress without compress does nothing; 3.21 is silent.
const HEAD_ONLY_LINE = /^warning: delayed compression for log file .* ignored since compression is disabled$/;

export function normalizeMessages(lines: readonly string[]): string[] {
  return lines.filter((line) => !HEAD_ONLY_LINE.test(line)).map(normalizeMessage);
}

function normalizeMessage(line: string): string {
  return (
    line
      // 3.21 prints the unknown-keyword message as an error, main as a warning.
      .replace(/^error: (.* unknown option '.*' -- ignoring line)$/, 'warning: $1')
      // main appends the child's failure reason to script and compressor errors.
      .replace(/: child did not exit with status \d+/, '')
      .replace(/ \(child did not exit with status \d+\)/, '')
      // 3.21 keeps the file list's trailing blank, so quoted patterns end in a space.
      .replace(/ +'(?=$|\s|[.:,;](?:\s|$))/g, "'")
      .replace(/^(error: found error in .*?) +, skipping$/, '$1, skipping')
  );
}

// 3.21 skips unsafe config files without changing the exit status; main exits 1.
function unsafeConfigExit(exitCode: number | null, stderr: readonly string[]): number | null {
  const unsafe = stderr.some((line) => /^error: Ignoring .* because (it is writable by group or others|the file owner is wrong)/.test(line));
  return unsafe && exitCode === 0 ? 1 : exitCode;
}

// 3.21's createolddir without a mode gives mkdir (mode_t)-1, i.e. 07777; main defaults to 0755.
function createOldDirMode(entry: EntrySnapshot): EntrySnapshot {
  return entry.type === 'dir' && entry.mode === '7777' ? { ...entry, mode: '0755' } : entry;
}

// A file list spread over several lines gives a shared script a $1 with newlines, which
// splits its hook-log record; 3.21 also keeps the list's last newline, main drops it
// (config.c drops trailing isspace() at the '{'). Records are rejoined, then trimmed below.
function joinPatternLines(hooks: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of hooks) {
    const previous = out.length - 1;
    if (previous >= 0 && !/^[a-z]+\|logrotate_script\|/.test(line)) out[previous] += `\n${line}`;
    else out.push(line);
  }
  return out;
}

// Same trailing blank, seen as a shared script's $1 (`kind|$0|$1|$2`).
function trimSharedPattern(line: string): string {
  const [kind, zero, one, ...rest] = line.split('|');
  if (one === undefined) return line;
  return [kind, zero, one.trimEnd(), ...rest].join('|');
}

// 3.21 shifts old logs (running preremove for each log that falls out) before prerotate,
// main after it. A prerotate that directly follows preremove calls is moved in front of them.
function prerotateFirst(hooks: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of hooks) {
    let at = out.length;
    if (line.startsWith('prerotate|')) while (at > 0 && out[at - 1]?.startsWith('preremove|')) at--;
    out.splice(at, 0, line);
  }
  return out;
}
