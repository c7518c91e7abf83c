// What a directive is: how much text it takes (its shape) and what it does to the
// options (an Effect), and the builders the directive tables are written with.
import type { Accounts } from './accounts.js';
import type { LogOptions } from './model.js';
import type { KeywordShape } from './statements.js';

/** A message that does not by itself fail the section. */
export interface Note {
  readonly severity: 'debug' | 'warning' | 'error';
  readonly text: string;
  /** logrotate writes this one's place as `F: L: ` in the text instead of the `F:L` prefix. */
  readonly spacedLocation?: boolean;
}

/** The options a directive changes; the reader applies it to the scope it is read in.
 * Directives describe changes rather than build whole option sets, so a section's
 * options are copied once when it opens, not once per directive. */
export type OptionsPatch = Partial<LogOptions>;

export type Effect =
  | { readonly kind: 'set'; readonly patch: OptionsPatch; readonly notes: readonly Note[] }
  /** fatal: stops the file even inside a section; otherwise a section error (fatal in
   * global scope). `patch` is what logrotate had already stored before failing. */
  | { readonly kind: 'error'; readonly text: string; readonly fatal: boolean; readonly patch?: OptionsPatch }
  | { readonly kind: 'include'; readonly path: string; readonly notes: readonly Note[] }
  | { readonly kind: 'taboo'; readonly patterns: readonly string[]; readonly append: boolean };

export interface DirectiveInput {
  readonly keyword: string;
  /** null: the directive is a flag, or its argument is missing. */
  readonly value: string | null;
  /** The options so far, for directives that build on earlier values. */
  readonly options: LogOptions;
  readonly accounts: Accounts;
  /** $HOME for `~/` in include and olddir. */
  readonly home: string;
}

export interface Directive {
  readonly shape: Exclude<KeywordShape, 'unknown'>;
  /** tabooext/taboopat: a section error inside a section. */
  readonly globalOnly?: boolean;
  apply(input: DirectiveInput): Effect;
}

export const set = (patch: OptionsPatch, ...notes: Note[]): Effect => ({ kind: 'set', patch, notes });
export const sectionError = (text: string, patch?: OptionsPatch): Effect =>
  patch === undefined ? { kind: 'error', text, fatal: false } : { kind: 'error', text, fatal: false, patch };
export const missing = (what: string): Note => ({ severity: 'error', text: `argument expected after ${what}` });
export const NOTHING: OptionsPatch = {};

export function flag(patch: OptionsPatch): Directive {
  const effect = set(patch);
  return { shape: 'flag', apply: () => effect };
}

/** A directive whose missing argument is a section error (logrotate's RAISE_ERROR). */
export function required(what: string, parse: (value: string, input: DirectiveInput) => Effect): Directive {
  return {
    shape: 'value',
    apply: (input) => (input.value === null ? sectionError(missing(what).text) : parse(input.value, input)),
  };
}

/** A directive whose missing argument only prints a message. */
export function optional(what: string, parse: (value: string, input: DirectiveInput) => Effect): Directive {
  return {
    shape: 'value',
    apply: (input) => (input.value === null ? set(NOTHING, missing(what)) : parse(input.value, input)),
  };
}
