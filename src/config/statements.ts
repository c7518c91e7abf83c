// The grammar's output: what each piece of config text is, before any meaning is given
// to it. The reader (reader.ts) walks this list the way logrotate's state machine walks
// the bytes.
import { parse } from './grammar.generated.js';

interface At {
  /** 1-based, counting every newline (logrotate's own counter drifts; ours does not). */
  readonly line: number;
  readonly column: number;
}

/** Where logrotate's byte cursor would be after an error raised at the keyword (or at a
 * line's bad first byte): the text from there, two characters at most. Its error state
 * swallows the second one, which decides what happens next (reader.ts, `afterError`). */
interface Cursor {
  readonly cursor: string;
}

export type Statement =
  | (At & { readonly kind: 'head'; readonly pattern: string })
  | (At & { readonly kind: 'close' })
  | (At &
      Cursor & {
        readonly kind: 'directive';
        readonly keyword: string;
        readonly value: string | null;
        /** The line ends in a newline (not in the end of the file). */
        readonly newline: boolean;
      })
  | (At & { readonly kind: 'script'; readonly keyword: string; readonly text: string; readonly closed: boolean })
  | (At & Cursor & { readonly kind: 'error'; readonly error: 'bad-start' })
  | (At & { readonly kind: 'error'; readonly error: 'missing-open' | 'missing-open-eof' })
  | (At & Cursor & { readonly kind: 'error'; readonly error: 'separator'; readonly keyword: string; readonly found: string });

export type KeywordShape = 'flag' | 'value' | 'line' | 'script' | 'unknown';

/** Splits config text into statements; total on every input. */
export function parseStatements(text: string, shapeOf: (keyword: string) => KeywordShape): readonly Statement[] {
  return parse(text, { shapeOf }) as Statement[];
}
