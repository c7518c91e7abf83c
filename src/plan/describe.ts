// logrotate's own -d/-v wording for what the planner decided, so that greps written
// against logrotate's output keep working. Pure: the caller hands the lines to a Logger.
import type { LogOptions, Section } from '../config/model.js';
import { zone } from './calendar.js';
import type { Action, LogDecision, LogRotation, SectionPlan, SkipReason } from './model.js';
import { shiftLine } from './shift.js';

import { describeCompression, describeNoRenameGroup, removalText } from './describe-purge.js';
import type { MessageLine } from './message.js';

export type { MessageLine };

const debug = (text: string): MessageLine => ({ severity: 'debug', text });

function criterionText(options: LogOptions): string {
  const c = options.criterion;
  switch (c.kind) {
    case 'hourly': return 'hourly ';
    case 'minutes': return `after ${c.minutes} minutes `;
    case 'daily': return 'after 1 days ';
    case 'weekly': return 'weekly ';
    case 'monthly': return 'monthly ';
    case 'yearly': return 'yearly ';
    case 'size': return `${c.bytes} bytes `;
  }
}

function retentionText(options: LogOptions): string {
  if (options.rotate === -1 && options.maxAge === 0) return 'old logs are kept forever';
  const mailed = options.mail === null ? '' : `old logs mailed to ${options.mail}, `;
  if (options.rotate === 0) return `${mailed}no old logs will be kept`;
  const count = options.rotate === -1 ? '(unlimited rotations), ' : `(${options.rotate} rotations), `;
  return `${mailed}${count}old logs are removed${options.maxAge > 0 ? ` after ${options.maxAge} days` : ''}`;
}

/** The blank line and summary logrotate (main) prints before a section's logs. */
export function describeSection(section: Section, force: boolean): string[] {
  const o = section.options;
  const summary =
    `rotating pattern: ${section.pattern} ` +
    (force ? 'forced from command line ' : criterionText(o)) +
    (o.oldDir === null ? '' : `olddir is ${o.oldDir}, `) +
    (o.ifEmpty ? 'empty log files are rotated, ' : 'empty log files are not rotated, ') +
    (o.minSize > 0 ? `only log files >= ${o.minSize} bytes are rotated, ` : '') +
    (o.maxSize > 0 ? `log files >= ${o.maxSize} are rotated earlier, ` : '') +
    (o.minAge > 0 ? `only log files older than ${o.minAge} days are rotated, ` : '') +
    retentionText(o);
  return section.files.length === 0 ? ['', summary, 'No logs found. Rotation not needed.'] : ['', summary];
}

/** `last`: the state time as logrotate prints it. */
function notDueText(options: LogOptions, last: string): string {
  const c = options.criterion;
  const span =
    c.kind === 'hourly' ? 'less than an hour'
    : c.kind === 'daily' ? 'less than a day'
    : c.kind === 'weekly' ? 'less than a week'
    : c.kind === 'monthly' ? 'less than a month'
    : c.kind === 'yearly' ? 'less than a year'
    : c.kind === 'minutes' ? `less than or equal ${c.minutes} minutes`
    : '';
  return `  log does not need rotating (log has been rotated at ${last}, which is ${span} ago)`;
}

function reasonText(reason: SkipReason, options: LogOptions, last: string): string | null {
  switch (reason) {
    case 'too-small': return "  log does not need rotating (log size is below the 'size' threshold)";
    case 'not-due': return notDueText(options, last);
    case 'already-rotated': return '  log does not need rotating (log has already been rotated)';
    case 'minsize': return "  log does not need rotating ('minsize' directive is used and the log size is smaller than the minsize value)";
    case 'minage': return "  log does not need rotating ('minage' directive is used and the log age is smaller than the minage days)";
    case 'empty': return '  log does not need rotating (log is empty)';
    case 'missing':
    case 'symlink':
    case 'hardlink':
    case 'purge-only':
      return null;
  }
}

const NEW_STATE = debug('Creating new state');

/** From `considering log F` to `  log needs rotating`, including the error-level lines
 * (a failed decision, and the "last rotated in the future" notice). */
export function describeDecision(decision: LogDecision, section: Section, now: Date): MessageLine[] {
  const path = decision.path;
  const lines: MessageLine[] = [debug(`considering log ${path}`)];
  const verdict = decision.verdict;
  // Without a stat logrotate returned before creating the entry; its caller creates it.
  if (decision.stat === undefined) {
    if (verdict.kind === 'error') lines.push({ severity: 'error', text: verdict.message });
    else if (!decision.parentMissing) lines.push(debug(`  log ${path} does not exist -- skipping`));
    if (decision.newStateEntry) lines.push(NEW_STATE);
    return lines;
  }
  if (decision.newStateEntry) lines.push(NEW_STATE);
  if (verdict.kind === 'skip' && verdict.why === 'symlink') {
    lines.push(debug(`  log ${path} is symbolic link. Rotation of symbolic links is not allowed to avoid security issues -- skipping.`));
    return lines;
  }
  if (verdict.kind === 'skip' && verdict.why === 'hardlink') {
    lines.push(
      debug(
        `  log ${path} has multiple (${decision.stat.nlink}) hard links. Rotation of files with multiple hard links` +
          ` is not allowed for ${section.pattern} -- skipping.`,
      ),
    );
    return lines;
  }
  const calendar = zone();
  const last = calendar.minuteStamp(decision.lastRotated.getTime());
  lines.push(debug(`  Now: ${calendar.minuteStamp(now.getTime())}`), debug(`  Last rotated at ${last}`));
  if (decision.future) lines.push({ severity: 'error', text: `log ${path} last rotated in the future -- rotation forced` });
  for (const reason of decision.reasons) {
    const text = reasonText(reason, section.options, last);
    if (text !== null) lines.push(debug(text));
  }
  if (verdict.kind === 'rotate') lines.push(debug('  log needs rotating'));
  return lines;
}

/** Every decision line of a section, in order: a norename section speaks of its groups
 * (and of the files it skips) instead of logs. */
export function describeDecisions(plan: SectionPlan, now: Date): MessageLine[] {
  if (plan.noRename !== null) return [...plan.noRename.messages, ...plan.noRename.work.flatMap(describeNoRenameGroup)];
  return plan.decisions.flatMap((decision) => describeDecision(decision, plan.section, now));
}

/** Where an action sits in its rotation: logrotate words a few steps by phase. */
export type Phase = 'prepare' | 'rotate' | 'finish';

/** A step's progress lines: `before` as logrotate starts the step (under -d, instead of
 * it), `after` once it went through. */
export interface StepLines {
  readonly before: readonly string[];
  readonly after: readonly string[];
}

const NONE: StepLines = { before: [], after: [] };
const announce = (text: string): StepLines => ({ before: [text], after: [] });

/** What logrotate prints around one action of `phase`. */
export function describeStep(action: Action, options: LogOptions, phase: Phase): StepLines {
  switch (action.kind) {
    case 'rename': {
      const s = action.shift;
      return announce(s === undefined ? `renaming ${action.from} to ${action.to}` : shiftLine(action.from, action.to, s, s.index));
    }
    case 'shift-gap':
      // Its lines depend on whether the walk is done or previewed: the effects' notes
      // (describeGap).
      return NONE;
    case 'create': {
      const a = action.attrs;
      return announce(`creating new ${action.path} mode = 0${a.mode.toString(8)} uid = ${a.uid} gid = ${a.gid}`);
    }
    case 'copy':
      return {
        before: [`${action.skipCopy === true ? 'skip ' : ''}copying ${action.from} to ${action.to}`],
        after: [action.truncate ? `truncating ${action.from}` : `Not truncating ${action.from}`],
      };
    case 'compress':
      return announce(options.noRename ? describeCompression(action) : `compressing log with: ${options.compressCmd}`);
    case 'signal':
      return announce(`sending ${action.signal} to the process in ${action.pidFile}`);
    case 'remove':
      return removalLines(action, options, phase);
    case 'archive':
      // The remote name is the archive's to give: the step's outcome says it.
      return announce(`archiving ${action.path} to ${options.archive?.url ?? ''}`);
    case 'mail':
    case 'stamp':
    case 'track':
      return NONE;
  }
}

function removalLines(action: Extract<Action, { kind: 'remove' }>, options: LogOptions, phase: Phase): StepLines {
  // A budget's or norename's removal names its rule and figures (logrotor's own words).
  if (action.rule !== undefined) return announce(removalText(action.path, action.rule));
  switch (action.reason) {
    // Compression deletes its input itself, without a line of its own.
    case 'compressed':
      return NONE;
    case 'renamecopy-tmp':
      return announce(`removing tmp log ${action.path}`);
    case 'archived':
      return announce(`archivedelete: removing ${action.path}, archived`);
    case 'rotate-count':
    case 'maxage':
    case 'rotate-0':
    case 'maxtotalsize':
    case 'minfree': {
      const old = `removing old log ${action.path}`;
      // Dated rotations expired while preparing are announced twice (all but the last,
      // which is kept back for the end of the rotation).
      return { before: phase === 'prepare' && options.dateExt ? [`removing ${action.path}`, old] : [old], after: [] };
    }
  }
}

/** What logrotate prints when it starts preparing a rotation, before any step. */
export function describePreparation(rotation: LogRotation, options: LogOptions): MessageLine[] {
  // A norename group renames nothing: its section's notes said what it gets.
  if (options.noRename) return [];
  const lines: MessageLine[] = [debug(`rotating log ${rotation.log}, log->rotateCount is ${options.rotate}`)];
  if (rotation.convertedFormat !== null) lines.push(debug(`Converted '${options.dateFormat}' -> '${rotation.convertedFormat}'`));
  // An over-long dateformat fails before the suffix exists; logrotate then prints neither line.
  if (rotation.dateSuffix) {
    lines.push(debug(`dateext suffix '${rotation.dateSuffix}'`), debug(`glob pattern '${rotation.globPattern}'`));
  }
  lines.push(...rotation.warnings.map((text): MessageLine => ({ severity: 'warning', text })));
  // delaycompress plans a compression only for a previous rotation that is there.
  const nothingToCompress = rotation.dateSuffix && options.compress && options.delayCompress && !rotation.prepare.some((a) => a.kind === 'compress');
  if (nothingToCompress) {
    lines.push(debug(options.dateExt ? 'glob finding logs to compress failed' : `previous log ${rotation.finalName} does not exist`));
  }
  if (rotation.noDatedRotations) lines.push(debug('glob finding old rotated logs failed'));
  return lines;
}

/** Printed once the preparing steps are through (after the planned failure, if any). */
export function describePrepared(rotation: LogRotation): MessageLine[] {
  return rotation.disposeMissing === null ? [] : [debug(`log ${rotation.disposeMissing} doesn't exist -- won't try to dispose of it`)];
}

/** Printed right after the log was renamed away: with `rotate 0` that is what goes. */
export function describeMoved(rotation: LogRotation, options: LogOptions): MessageLine[] {
  const moved = rotation.rotate[0]?.kind === 'rename';
  return moved && options.rotate === 0 && rotation.disposeName !== null ? [debug(`disposeName will be ${rotation.disposeName}`)] : [];
}
