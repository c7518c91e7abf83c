// State shared by every file of one load: the sections built so far, who owns each log
// path, the taboo list, and where messages go.
import type { Logger } from '../logger.js';
import type { Accounts } from './accounts.js';
import type { ConfigFs } from './fs.js';
import type { Diagnostic, LogOptions, SourceLocation } from './model.js';

/** LogOptions while directives are still being applied to them. */
export type DraftOptions = { -readonly [K in keyof LogOptions]: LogOptions[K] };

/** What directives change in place: the global template, or the section being read.
 * A section's draft stops changing at its `}`; from then on it is read as LogOptions. */
export interface Target {
  readonly options: DraftOptions;
}

export interface PendingSection extends Target {
  readonly pattern: string;
  readonly files: string[];
  /** Parallel to `files`: the index of the word each came from. */
  readonly fileWords: number[];
  readonly location: SourceLocation;
}

export interface LoadContext {
  readonly fs: ConfigFs;
  readonly accounts: Accounts;
  readonly home: string;
  readonly isRoot: boolean;
  readonly logger: Logger;
  readonly sections: PendingSection[];
  readonly owners: Map<string, PendingSection>;
  readonly diagnostics: Diagnostic[];
  taboo: readonly string[];
  /** Where relative paths are taken from: an included directory while it is read. */
  cwd: string;
  /** Real paths of the files and directories being read, outermost first. */
  readonly including: string[];
  /** Reads an include target into `target`; true when it had an error. */
  readPath(path: string, target: Target, from: SourceLocation): boolean;
}

/** Every message goes to the logger at once, so warnings and errors keep their place
 * among the debug lines as in logrotate's output; warnings and errors are also kept as
 * diagnostics for the caller. */
export function report(ctx: LoadContext, severity: 'debug' | 'warning' | 'error', text: string, location?: SourceLocation): void {
  ctx.logger[severity](location === undefined ? text : `${location.file}:${location.line} ${text}`);
  if (severity !== 'debug') ctx.diagnostics.push(location === undefined ? { severity, text } : { severity, text, location });
}

/** Drops a section that failed, with the files it had claimed. */
export function removeSection(ctx: LoadContext, section: PendingSection): void {
  const index = ctx.sections.lastIndexOf(section);
  if (index !== -1) ctx.sections.splice(index, 1);
  for (const file of section.files) if (ctx.owners.get(file) === section) ctx.owners.delete(file);
}
