// glob(3) over one directory, done as a regex over readdir names: the planner sees the
// filesystem only through its FsView. Only the last path component carries wildcards
// (logrotate's patterns are DIR/BASE<pattern>), and the directory is taken literally.
// Like logrotate, the base name is not escaped: a `[` in a log's name is a wildcard.
import type { FsView } from './model.js';

/** Regex for one glob component: `*`, `?`, `[...]` (with `!`/`^`), backslash escapes. */
function globComponentRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i] as string);
    else if (c === '[') {
      const set = bracketSet(pattern, i);
      if (set === null) out += '\\[';
      else {
        out += set.regex;
        i = set.end;
      }
    } else out += escapeRegex(c);
  }
  return new RegExp(`^${out}$`, 's');
}

function bracketSet(pattern: string, open: number): { regex: string; end: number } | null {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const first = i;
  let body = '';
  for (; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === ']' && i > first) return { regex: `[${negate ? '^' : ''}${body}]`, end: i };
    body += c === '-' ? '-' : escapeRegex(c);
  }
  return null;
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Full paths `dir/NAME` of the entries matching `namePattern`, in glob's (byte) order.
 * As in glob(3), a leading dot must be matched by a literal dot. */
export function globInDir(fs: FsView, dir: string, namePattern: string): string[] {
  const names = fs.readdir(dir);
  if (names === null) return [];
  return names
    .filter(globMatcher(namePattern))
    .sort(byteOrder)
    .map((name) => `${dir}/${name}`);
}

/** A test of names against one glob component. */
export function globMatcher(namePattern: string): (name: string) => boolean {
  const regex = globComponentRegex(namePattern);
  const dotOk = namePattern.startsWith('.');
  return (name) => (dotOk || !name.startsWith('.')) && regex.test(name);
}

/** strcmp's order: by UTF-8 bytes, which is code point order, not UTF-16 code units'.
 * Compared in place: sorting thousands of rotations must not allocate per comparison. */
export function byteOrder(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A surrogate belongs to a character above U+FFFF, which sorts after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}
