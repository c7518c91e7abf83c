// The lines `-d` and `-v` print for the purge: one per file, naming the rule that decided
// it and the figures (`maxtotalsize 8M: removing /var/log/app.log.7.gz, rotations total
// 9.1M`). logrotate has no such steps, so these are logrotor's own words.
import type { FreeSpace } from '../config/model.js';
import type { MessageLine } from './message.js';
import type { Compression, NoRenameWork, PurgeRule, Removal, Shortfall } from './purge-model.js';

const UNITS: readonly [string, number][] = [
  ['G', 1024 ** 3],
  ['M', 1024 ** 2],
  ['k', 1024],
];

/** A size as the config writes it (`8M`) when it is a whole number of a unit; otherwise
 * with enough decimals that a size over a budget never reads as equal to it. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes < size) continue;
    if (bytes % size === 0) return `${bytes / size}${unit}`;
    const one = (bytes / size).toFixed(1);
    return `${one.endsWith('.0') ? (bytes / size).toFixed(2) : one}${unit}`;
  }
  return `${bytes} bytes`;
}

export function freeSpaceText(minFree: FreeSpace): string {
  return minFree.kind === 'percent' ? `${minFree.percent}%` : formatSize(minFree.bytes);
}

function ruleText(rule: PurgeRule): { directive: string; figures: string } {
  switch (rule.kind) {
    case 'rotate':
      return { directive: `rotate ${rule.keep}`, figures: `${rule.count} finished files` };
    case 'maxage':
      return { directive: `maxage ${rule.maxAge}`, figures: `${rule.ageDays} days old` };
    case 'maxtotalsize':
      return { directive: `maxtotalsize ${formatSize(rule.limit)}`, figures: `rotations total ${formatSize(rule.total)}` };
    case 'minfree':
      return {
        directive: `minfree ${freeSpaceText(rule.minFree)}`,
        figures: `${formatSize(rule.free)} of ${formatSize(rule.total)} free, ${formatSize(rule.wanted)} wanted`,
      };
  }
}

export function describeRemoval(removal: Removal): string {
  return removalText(removal.file.path, removal.rule);
}

/** `maxtotalsize 8M: removing /l/app.log.7.gz, rotations total 9.1M`. */
export function removalText(path: string, rule: PurgeRule): string {
  const { directive, figures } = ruleText(rule);
  return `${directive}: removing ${path}, ${figures}`;
}

export function describeCompression(step: Pick<Compression, 'from'>): string {
  return `norename: compressing ${step.from}`;
}

/** An error line: the run exits 1. */
export function describeShortfall(shortfall: Shortfall): MessageLine {
  const minFree = shortfall.section.options.minFree;
  const asked = minFree === null ? '' : ` ${freeSpaceText(minFree)}`;
  return {
    severity: 'error',
    text:
      `minfree${asked} for ${shortfall.section.pattern} cannot be met: ${formatSize(shortfall.free)} of ` +
      `${formatSize(shortfall.total)} free on the filesystem of ${shortfall.dir} once every rotation is removed, ` +
      `${formatSize(shortfall.wanted)} wanted`,
  };
}

/** What `-d` says about a norename group before its steps. */
export function describeNoRenameGroup(work: NoRenameWork): MessageLine[] {
  const { group } = work;
  const live = group.live.length === 0 ? 'no live log' : `live log ${group.live.join(', ')}`;
  return [
    { severity: 'debug', text: `considering norename files ${group.word} in ${group.dir}` },
    { severity: 'debug', text: `  ${live}, ${group.finished.length} finished files` },
  ];
}
