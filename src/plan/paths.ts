// dirname/basename with the C library's results, since rotated names are built from
// them by plain concatenation (`DIR/BASE.1`), exactly as logrotate prints them.

export function dirname(path: string): string {
  // The usual absolute path, without trailing or doubled slashes, needs no regex.
  const last = path.lastIndexOf('/');
  if (last > 0 && last < path.length - 1 && path.charCodeAt(last - 1) !== 0x2f) return path.slice(0, last);
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path.startsWith('/') ? '/' : '.';
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  const dir = trimmed.slice(0, slash).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path.startsWith('/') ? '/' : '';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Where a log's rotations go: its olddir (a relative one is taken from the log's
 * directory), or the log's own directory. */
export function rotationDir(log: string, oldDir: string | null): string {
  if (oldDir === null) return dirname(log);
  return oldDir.startsWith('/') ? oldDir : `${dirname(log)}/${oldDir}`;
}
