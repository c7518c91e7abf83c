// Shell-style word splitting as logrotate gets it from popt's poptParseArgvString: used
// for file lists, compressoptions and state file lines.

const SPACE = /[ \t\n\v\f\r]/;
const BLANKS = /[ \t\n\v\f\r]+/;
const QUOTING = /["'\\]/;

/** The words of `text`, or null where popt fails: a trailing backslash, or no words at
 * all. Empty words (`""`) vanish. */
export function splitWords(text: string): string[] | null {
  // Most file lists quote nothing. Splitting those directly keeps each word a slice of
  // the text rather than a string grown a character at a time, which is slow to hash
  // later (every path becomes a Map key) on configs with thousands of sections.
  if (!QUOTING.test(text)) {
    const plain = text.split(BLANKS).filter((word) => word !== '');
    return plain.length > 0 ? plain : null;
  }
  const words: string[] = [];
  let word = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote !== '') {
      if (ch === quote) {
        quote = '';
        continue;
      }
      if (ch === '\\') {
        i++;
        const next = text[i];
        if (next === undefined) return null;
        // Inside quotes a backslash only escapes the quote character itself.
        if (next !== quote) word += '\\';
        word += next;
        continue;
      }
      word += ch;
    } else if (SPACE.test(ch)) {
      if (word !== '') words.push(word);
      word = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '\\') {
      i++;
      const next = text[i];
      if (next === undefined) return null;
      word += next;
    } else {
      word += ch;
    }
  }
  // An unclosed quote is not an error to popt: the word simply runs to the end.
  if (word !== '') words.push(word);
  return words.length > 0 ? words : null;
}
