// The shared taboo list of tabooext/taboopat and the fnmatch(FNM_PERIOD) test that
// keeps matching entries of an included directory from being read.

/** logrotate main's default extensions, each stored as the pattern `*EXT`. */
export const DEFAULT_TABOO: readonly string[] = [
  ',v', '.bak', '.cfsaved', '.disabled', '.dpkg-bak', '.dpkg-del', '.dpkg-dist', '.dpkg-new',
  '.dpkg-old', '.dpkg-tmp', '.new', '.old', '.orig', '.pacnew', '.pacorig', '.pacsave',
  '.rhn-cfg-tmp-*', '.rpmnew', '.rpmorig', '.rpmsave', '.swp', '.ucf-dist', '.ucf-new',
  '.ucf-old', '~',
].map((ext) => `*${ext}`);

const compiled = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '\\' && i + 1 < pattern.length) source += escape(pattern[++i] ?? '');
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else source += escape(ch);
  }
  try {
    return new RegExp(`^${source}$`, 's');
  } catch {
    // fnmatch treats a malformed bracket (say `[z-a]`) as matching nothing.
    return /(?!)/;
  }
}

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** fnmatch(pattern, name, FNM_PERIOD): a leading dot is only matched by a literal dot. */
export function fnmatchPeriod(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = toRegExp(pattern);
    compiled.set(pattern, re);
  }
  return re.test(name);
}
