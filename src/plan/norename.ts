// norename: logs an application rotates itself (`catalina.2026-11-30.log`). Each file a
// word of the file list matches in a directory is a finished file, except the newest,
// which the application is writing. logrotor only compresses the finished files and
// removes the oldest; the rules are in docs/budgets.md.
import type { LogOptions, Section } from '../config/model.js';
import { splitWords } from '../config/words.js';
import { ageInDays } from './calendar.js';
import { checkParent, errorText, type DecisionContext } from './decide.js';
import { describeDecision } from './describe.js';
import type { MessageLine } from './message.js';
import { byAge } from './family.js';
import { byteOrder, globInDir } from './glob.js';
import type { FsView, PathFact, SkipReason } from './model.js';
import { basename, dirname } from './paths.js';
import type { Compression, NoRenameGroup, NoRenamePlan, NoRenameWork, Removal, RotatedFile } from './purge-model.js';

export type NoRenameContext = Pick<DecisionContext, 'fs' | 'now' | 'isRoot'>;

interface Draft {
  readonly word: string;
  readonly dir: string;
  readonly first: string;
  readonly refused: boolean;
  readonly members: Map<string, Extract<PathFact, { kind: 'present' }>>;
}

type Present = Extract<PathFact, { kind: 'present' }>;

/** The section's files by word and directory, with their compressed siblings. */
export function groupNoRename(section: Section, ctx: NoRenameContext): { groups: NoRenameGroup[]; messages: MessageLine[] } {
  const o = section.options;
  const words = splitWords(section.pattern) ?? [section.pattern];
  const drafts = new Map<string, Draft>();
  const messages: MessageLine[] = [];
  section.files.forEach((path, index) => {
    const word = words[section.fileWords?.[index] ?? 0] ?? section.pattern;
    const dir = dirname(path);
    const key = `${word}\0${dir}`;
    let draft = drafts.get(key);
    if (draft === undefined) {
      const parent = checkParent(path, o, ctx);
      if (parent.kind === 'error') messages.push({ severity: 'error', text: parent.message });
      draft = { word, dir, first: path, refused: parent.kind !== 'ok', members: new Map() };
      drafts.set(key, draft);
    }
    if (draft.refused) return;
    const fact = ctx.fs.lstat(path);
    const refusal = refusalOf(fact, o);
    if (refusal === null && fact.kind === 'present') draft.members.set(path, fact);
    else messages.push(...skipLines(path, fact, refusal, section, ctx.now));
  });
  const groups = [...drafts.values()].filter((d) => !d.refused).map((d) => withCompressed(d, o, ctx.fs));
  return { groups, messages };
}

/** Why a listed file is not a member (as decide() refuses logs), null when it is one. */
function refusalOf(fact: PathFact, o: LogOptions): SkipReason | 'error' | null {
  if (fact.kind === 'absent') return o.missingOk ? 'missing' : 'error';
  if (fact.kind === 'error') return 'error';
  if (fact.type === 'symlink') return 'symlink';
  if (!o.allowHardlink && fact.nlink !== 1) return 'hardlink';
  return fact.type === 'file' ? null : 'error';
}

/** logrotate's own lines for a log it skips or cannot stat. */
function skipLines(path: string, fact: PathFact, why: SkipReason | 'error' | null, section: Section, now: Date): MessageLine[] {
  if (why === 'error' || why === null) {
    const text = fact.kind === 'present' ? `${path} is not a regular file -- skipping` : `stat of ${path} failed: ${errorText(fact)}`;
    return [{ severity: 'error', text }];
  }
  const stat = fact.kind === 'present' ? { stat: fact } : {};
  const decision = { path, lastRotated: now, newStateEntry: false, reasons: [], future: false, parentMissing: false };
  return describeDecision({ ...decision, ...stat, verdict: { kind: 'skip', why } }, section, now);
}

function withCompressed(draft: Draft, o: LogOptions, fs: FsView): NoRenameGroup {
  const cext = o.compressExt;
  if (cext !== '') {
    for (const path of globInDir(fs, draft.dir, basename(draft.word) + cext)) {
      const fact = fs.lstat(path);
      if (fact.kind === 'present' && refusalOf(fact, o) === null) draft.members.set(path, fact);
    }
  }
  const compressed = (path: string): boolean => cext !== '' && path.endsWith(cext);
  let newest = -Infinity;
  for (const [path, fact] of draft.members) if (!compressed(path)) newest = Math.max(newest, fact.mtimeMs);
  const live: string[] = [];
  const finished: RotatedFile[] = [];
  for (const [path, fact] of draft.members) {
    if (!compressed(path) && fact.mtimeMs === newest) live.push(path);
    else finished.push(rotated(path, fact));
  }
  return { word: draft.word, dir: draft.dir, first: draft.first, live: live.sort(byteOrder), finished: finished.sort(byAge) };
}

function rotated(path: string, fact: Present): RotatedFile {
  return { path, size: fact.size, mtimeMs: fact.mtimeMs, nlink: fact.nlink };
}

/** What each group gets this run: `rotate`, then `maxage`, then compression. */
export function planNoRename(section: Section, ctx: NoRenameContext): NoRenamePlan {
  const { groups, messages } = groupNoRename(section, ctx);
  return { section, work: groups.map((group) => workFor(group, section.options, ctx.now)), messages };
}

function workFor(group: NoRenameGroup, o: LogOptions, now: Date): NoRenameWork {
  const log = group.live[0] ?? group.first;
  const { finished } = group;
  const removals: Removal[] = [];
  const excess = o.rotate < 0 ? 0 : Math.max(0, finished.length - o.rotate);
  for (const file of finished.slice(0, excess)) {
    removals.push({ kind: 'remove', log, file, rule: { kind: 'rotate', keep: o.rotate, count: finished.length } });
  }
  const kept: RotatedFile[] = [];
  for (const file of finished.slice(excess)) {
    const ageDays = ageInDays(now.getTime(), file.mtimeMs);
    if (o.maxAge > 0 && ageDays > o.maxAge) removals.push({ kind: 'remove', log, file, rule: { kind: 'maxage', maxAge: o.maxAge, ageDays } });
    else kept.push(file);
  }
  return { group, log, finalName: kept.at(-1)?.path ?? null, removals, compressions: compressionsOf(kept, log, o) };
}

/** Every kept file still plain, but the newest with delaycompress and the empty ones
 * with notifempty. */
function compressionsOf(kept: readonly RotatedFile[], log: string, o: LogOptions): Compression[] {
  // An empty compressext would name the output after its input.
  if (!o.compress || o.compressExt === '') return [];
  const newest = kept.at(-1);
  return kept
    .filter((file) => !(o.compressExt !== '' && file.path.endsWith(o.compressExt)))
    .filter((file) => !(o.delayCompress && file === newest))
    .filter((file) => o.ifEmpty || file.size > 0)
    .map((file) => ({ kind: 'compress', log, from: file.path, to: file.path + o.compressExt }));
}

/** Whether a group has anything to do this run: scripts run only around such groups. */
export function hasWork(work: NoRenameWork): boolean {
  return work.removals.length > 0 || work.compressions.length > 0;
}
