// Recognising a log's rotations by name: numbered (`app.log.3`), dated (`app.log-20260304`),
// with `extension`/`addextension` moved behind the index, compressed or not. Both numbered
// and dated forms are accepted whatever the options say now, because switching `dateext`
// on or off leaves the older form on disk. Shared by `export` (which files to bundle),
// `status` and the metrics (how many rotations a log has, and how big they are).
import { posix } from 'node:path';
import type { LogOptions } from '../config/model.js';
import type { FsView } from './model.js';
import { basename, dirname, rotationDir } from './paths.js';

/** Compression extensions seen in the wild, besides the configured `compressext`. */
const KNOWN_COMPRESSED = ['.gz', '.bz2', '.xz', '.zst', '.lz4', '.lzma', '.Z'];

/** Default date suffixes per criterion (logrotate's), all accepted. */
const DEFAULT_DATE_FORMATS = ['-%Y%m%d', '-%Y%m%d%H', '-%Y%m%d%H%M'];

const SPECIFIER_PATTERNS: Readonly<Record<string, string>> = {
  Y: '\\d{4}',
  m: '\\d{2}',
  d: '\\d{2}',
  H: '\\d{2}',
  M: '\\d{2}',
  S: '\\d{2}',
  V: '\\d{2}',
  j: '\\d{3}',
  s: '\\d+',
  z: '[-+]\\d{4}',
  '%': '%',
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression source matching what strftime(`format`) can produce. */
export function dateFormatPattern(format: string): string {
  return format.replace(/%(.)|([^%]+)|%$/g, (_all, specifier: string | undefined, literal: string | undefined) => {
    if (literal !== undefined) return escape(literal);
    if (specifier === undefined) return '%';
    return SPECIFIER_PATTERNS[specifier] ?? '.+?';
  });
}

/** A test for names (not paths) of `log`'s rotations. */
export function rotatedNameMatcher(log: string, options: LogOptions): (name: string) => boolean {
  const name = basename(log);
  const ext = options.addExtension ?? (options.extension !== null && name.endsWith(options.extension) ? options.extension : '');
  const stem = ext !== '' && name.endsWith(ext) ? name.slice(0, -ext.length) : name;
  const rest = suffixPattern(options, ext);
  // Most names in a shared log directory belong to other logs: the prefix test is cheap.
  return (candidate) => candidate.startsWith(stem) && rest.test(candidate.slice(stem.length));
}

/** What may follow the stem, compiled once per set of options that shape it: a config
 * with thousands of logs has a handful. */
const suffixPatterns = new Map<string, RegExp>();

function suffixPattern(options: LogOptions, ext: string): RegExp {
  const key = `${options.dateFormat ?? ''}\0${options.compressExt}\0${ext}`;
  let pattern = suffixPatterns.get(key);
  if (pattern === undefined) {
    const dates = [...DEFAULT_DATE_FORMATS, ...(options.dateFormat === null ? [] : [options.dateFormat])].map(dateFormatPattern);
    const compressed = [...new Set([options.compressExt, ...KNOWN_COMPRESSED])].filter((e) => e !== '').map(escape);
    pattern = new RegExp(`^(?:\\.\\d+|${dates.join('|')})${escape(ext)}(?:${compressed.join('|')})?$`);
    suffixPatterns.set(key, pattern);
  }
  return pattern;
}

/** Where a log's rotations may be: its olddir, and beside the log (rotations made before
 * `olddir` was configured stay there). */
export function rotationSearchDirs(log: string, oldDir: string | null): string[] {
  const logDir = dirname(log);
  if (oldDir === null) return [logDir];
  // Normalized so that `olddir .` or `olddir ../app` is not read twice.
  return [...new Set([posix.normalize(rotationDir(log, oldDir)), posix.normalize(logDir)])];
}

export interface RotationsOnDisk {
  readonly count: number;
  readonly bytes: number;
}

/** The regular files among `log`'s rotations in every directory they may be in. */
export function rotationsOnDisk(log: string, options: LogOptions, fs: FsView): RotationsOnDisk {
  const isRotation = rotatedNameMatcher(log, options);
  let count = 0;
  let bytes = 0;
  for (const dir of rotationSearchDirs(log, options.oldDir)) {
    for (const name of fs.readdir(dir) ?? []) {
      if (!isRotation(name)) continue;
      const fact = fs.lstat(`${dir}/${name}`);
      if (fact.kind !== 'present' || fact.type !== 'file') continue;
      count += 1;
      bytes += fact.size;
    }
  }
  return { count, bytes };
}
