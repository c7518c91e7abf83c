// Gives meaning to one config file's statements: scopes, sections, directives, includes,
// and logrotate's error classes and how reading goes on after one (a section error skips
// to a `}` in the first column; a fatal error stops the file).
import type { LoadContext, PendingSection, Target } from './context.js';
import { removeSection, report } from './context.js';
import { directiveNamed } from './directives.js';
import type { Effect, Note, OptionsPatch } from './directive.js';
import type { ScriptKind, SourceLocation } from './model.js';
import { checkOldDir } from './olddir.js';
import { expandFileList } from './sections.js';
import type { Statement } from './statements.js';

const SCRIPT_KINDS: ReadonlySet<string> = new Set<ScriptKind>(['prerotate', 'postrotate', 'firstaction', 'lastaction', 'preremove']);

function isScriptKind(keyword: string): keyword is ScriptKind {
  return SCRIPT_KINDS.has(keyword);
}

/** How reading goes on after a statement: normally, skipping to the end of the section,
 * or not at all. */
type Progress =
  | { readonly kind: 'ok' }
  | { readonly kind: 'section-error'; readonly text: string }
  /** `at`: where the message points when that is not the current statement. */
  | { readonly kind: 'fatal'; readonly text: string; readonly at?: SourceLocation };

const OK: Progress = { kind: 'ok' };

interface FileState {
  readonly ctx: LoadContext;
  readonly file: string;
  readonly scope: Target;
  section: PendingSection | null;
  /** A glob error held until `}` decides (by missingok) whether it matters. */
  globFailure: { readonly text: string; readonly at: SourceLocation } | null;
  criterionSet: boolean;
  failed: boolean;
}

function errorText(statement: Statement & { kind: 'error' }): string {
  switch (statement.error) {
    case 'bad-start':
      return 'lines must begin with a keyword or a filename (possibly in double quotes)';
    case 'missing-open':
      return "unexpected } (missing previous '{')";
    case 'missing-open-eof':
      return "missing '{' after log files definition";
    case 'separator': {
      // printf("%#x") of a (signed) char: bytes above 0x7f print sign-extended.
      const byte = Buffer.from(statement.found, 'utf8')[0] ?? 0;
      return `keyword '${statement.keyword}' not properly separated, found 0x${(byte > 0x7f ? 0xffffff00 + byte : byte).toString(16)}`;
    }
  }
}

/** logrotate's debug notes on a directive (`olddir is now D`, …) carry no F:L. */
function notes(state: FileState, list: readonly Note[], at: SourceLocation): void {
  for (const note of list) {
    if (note.severity === 'debug') report(state.ctx, 'debug', note.text);
    else if (note.spacedLocation === true) report(state.ctx, note.severity, `${at.file}: ${at.line}: ${note.text}`);
    else report(state.ctx, note.severity, note.text, at);
  }
}

function applyPatch(state: FileState, target: Target, patch: OptionsPatch): void {
  const criterion = patch.criterion;
  if (criterion !== undefined) {
    const before = target.options.criterion;
    if (state.criterionSet && before.kind !== criterion.kind) {
      report(state.ctx, 'debug', `note: '${criterion.kind}' overrides previously specified '${before.kind}'`);
    }
    state.criterionSet = true;
  }
  Object.assign(target.options, patch);
}

function applyEffect(state: FileState, target: Target, effect: Effect, at: SourceLocation): Progress {
  switch (effect.kind) {
    case 'set':
      notes(state, effect.notes, at);
      applyPatch(state, target, effect.patch);
      return OK;
    case 'error':
      if (effect.patch !== undefined) applyPatch(state, target, effect.patch);
      return effect.fatal ? { kind: 'fatal', text: effect.text } : { kind: 'section-error', text: effect.text };
    case 'include':
      notes(state, effect.notes, at);
      if (state.ctx.readPath(effect.path, target, at)) state.failed = true;
      return OK;
    case 'taboo':
      state.ctx.taboo = effect.append ? [...state.ctx.taboo, ...effect.patterns] : effect.patterns;
      return OK;
  }
}

function directive(state: FileState, statement: Statement & { kind: 'directive' }, at: SourceLocation): Progress {
  const spec = directiveNamed(statement.keyword);
  if (spec === undefined) {
    report(state.ctx, 'warning', `unknown option '${statement.keyword}' -- ignoring line`, at);
    return OK;
  }
  if (spec.globalOnly === true && state.section !== null) {
    return { kind: 'section-error', text: `${statement.keyword} may not appear inside of log file definition` };
  }
  const target = state.section ?? state.scope;
  const effect = spec.apply({
    keyword: statement.keyword,
    value: statement.value,
    options: target.options,
    accounts: state.ctx.accounts,
    home: state.ctx.home,
  });
  return applyEffect(state, target, effect, at);
}

function openSection(state: FileState, pattern: string, at: SourceLocation): Progress {
  if (state.section !== null) return { kind: 'section-error', text: 'unexpected log filename' };
  const section: PendingSection = {
    pattern,
    files: [],
    fileWords: [],
    // addextension is deliberately not inherited from the enclosing scope.
    options: { ...state.scope.options, addExtension: null },
    location: at,
  };
  state.ctx.sections.push(section);
  state.section = section;
  const expanded = expandFileList(state.ctx, section, at);
  if (expanded.kind === 'fatal') return expanded;
  if (expanded.failed) state.failed = true;
  state.globFailure = expanded.globFailure === null ? null : { text: expanded.globFailure, at };
  return OK;
}

function closeSection(state: FileState, at: SourceLocation): Progress {
  const section = state.section;
  if (section === null) return { kind: 'fatal', text: 'unexpected }' };
  if (state.globFailure !== null && !section.options.missingOk) return { kind: 'fatal', ...state.globFailure };
  state.globFailure = null;
  const olddir = checkOldDir(state.ctx, section, at);
  if (olddir !== null) return { kind: 'fatal', text: olddir };
  state.criterionSet = false;
  state.section = null;
  return OK;
}

function read(state: FileState, statement: Statement, at: SourceLocation): Progress {
  switch (statement.kind) {
    case 'head':
      return openSection(state, statement.pattern, at);
    case 'close':
      return closeSection(state, at);
    case 'directive':
      return directive(state, statement, at);
    case 'script': {
      if (!statement.closed) return { kind: 'fatal', text: 'prerotate, postrotate or preremove without endscript' };
      const target = state.section ?? state.scope;
      const kind = statement.keyword;
      if (isScriptKind(kind)) {
        // The scripts record may still be shared with the scope the section was copied from.
        target.options.scripts = { ...target.options.scripts, [kind]: { text: statement.text, location: at } };
      }
      return OK;
    }
    case 'error':
      // A `}` before `{` is only a section error's concern in skip mode, where file
      // lists are not recognised at all; otherwise a bad file list stops the file.
      if (statement.error === 'missing-open' || statement.error === 'missing-open-eof') {
        return state.section !== null ? { kind: 'section-error', text: 'unexpected log filename' } : { kind: 'fatal', text: errorText(statement) };
      }
      return { kind: 'section-error', text: errorText(statement) };
  }
}

/** Whether logrotate's error state, after a section error at `statement`, still meets a
 * byte of the file. It does not when the error sits at the very end: logrotate then
 * neither says it skips the section nor counts an error for the exit status, and the
 * section stays with what it had read (a file cut off inside a section, say). */
function errorMeetsMore(statement: Statement): boolean {
  if (statement.kind === 'directive') {
    const atKeyword = statement.value === null || directiveNamed(statement.keyword)?.globalOnly === true;
    if (!atKeyword) return statement.newline;
  }
  return !('cursor' in statement) || statement.cursor.length === 2;
}

/** A missing argument at the very end of a file without a last newline: logrotate main
 * reads the empty rest as the value (`rotate` becomes 0, `olddir` empty) and says
 * nothing; logrotor refuses it, and that refusal is an error for the exit status. */
function emptyValueAtEnd(statement: Statement): boolean {
  return statement.kind === 'directive' && statement.value === null && !statement.cursor.includes('\n') && directiveNamed(statement.keyword)?.globalOnly !== true;
}

/** Reads one file's statements into `scope`; true when the file had an error. */
export function readStatements(ctx: LoadContext, file: string, scope: Target, statements: readonly Statement[]): boolean {
  const state: FileState = { ctx, file, scope, section: null, globFailure: null, criterionSet: false, failed: false };
  let skipping = false;
  // After `}` only blanks may follow on its line; the rest of such a line is ignored.
  let closedOnLine = 0;
  let trailingReported = false;
  for (const statement of statements) {
    const at: SourceLocation = { file, line: statement.line };
    if (skipping) {
      if (statement.kind === 'close' && statement.column === 1 && state.section !== null) {
        dropSection(ctx, state.section);
        state.section = null;
        state.criterionSet = false;
        skipping = false;
      }
      continue;
    }
    if (statement.line === closedOnLine) {
      if (!trailingReported) report(ctx, 'error', `${at.file}:${at.line}, unexpected text after }`);
      trailingReported = true;
      continue;
    }
    const result = read(state, statement, at);
    if (result.kind === 'ok') {
      if (statement.kind === 'close') {
        closedOnLine = statement.line;
        trailingReported = false;
      }
      continue;
    }
    report(ctx, 'error', result.text, result.kind === 'fatal' ? (result.at ?? at) : at);
    if (result.kind === 'section-error' && state.section !== null) {
      if (!errorMeetsMore(statement)) {
        if (emptyValueAtEnd(statement)) state.failed = true;
        continue;
      }
      report(ctx, 'error', `found error in ${state.section.pattern}, skipping`);
      state.failed = true;
      skipping = true;
      continue;
    }
    // A fatal error inside a section drops it, with the same note as a skipped one.
    if (state.section !== null) dropSection(ctx, state.section);
    return true;
  }
  // The file ended while skipping a broken section: logrotate keeps and rotates it after
  // saying it skips it; logrotor does what it said.
  if (skipping && state.section !== null) removeSection(ctx, state.section);
  return state.failed;
}

function dropSection(ctx: LoadContext, section: PendingSection): void {
  report(ctx, 'debug', 'removing last 1 log configs');
  removeSection(ctx, section);
}
