// How a log's rotations are named: where they go, the part of the log's name the index
// or date follows, and the extension that moves behind it. The rotation planner builds
// names from these; the purge planner recognises a log's rotations on disk by them.
import type { LogOptions } from '../config/model.js';
import type { DateFormat } from './dateformat.js';
import { basename, rotationDir } from './paths.js';

export interface RotationNames {
  /** Where the rotations go: the olddir, or the log's own directory. */
  readonly dir: string;
  /** The log's name without the extension that moves behind the index or date. */
  readonly base: string;
  /** `extension` or `addextension`, written after the index or date ('' without). */
  readonly ext: string;
}

/** extension moves behind the index only when the name ends in it; addextension always
 * ends up there (and wins when both are set). */
export function rotationNames(log: string, options: LogOptions): RotationNames {
  let base = basename(log);
  let ext = '';
  if (options.addExtension !== null) {
    if (base.endsWith(options.addExtension)) base = base.slice(0, base.length - options.addExtension.length);
    ext = options.addExtension;
  }
  if (options.extension !== null && base.endsWith(options.extension)) {
    ext = options.extension;
    base = base.slice(0, base.length - options.extension.length);
  }
  return { dir: rotationDir(log, options.oldDir), base, ext };
}

/** `DIR/BASE.N EXT CEXT` */
export function numberedName(names: RotationNames, index: number, cext: string): string {
  return `${names.dir}/${names.base}.${index}${names.ext}${cext}`;
}

/** `DIR/BASE SUFFIX EXT CEXT`, SUFFIX being the formatted date. */
export function datedName(names: RotationNames, suffix: string, cext: string): string {
  return `${names.dir}/${names.base}${suffix}${names.ext}${cext}`;
}

/** The glob (logrotate's notation) of the dated rotations: `BASE<date glob> EXT CEXT`. */
export function datedPattern(names: RotationNames, format: DateFormat, cext: string): string {
  return `${names.base}${format.globPattern}${names.ext}${cext}`;
}
