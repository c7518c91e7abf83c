// Reading config paths: a file is parsed in place, a directory's entries are read in
// byte order minus taboo names; unsafe files are refused when running as root; includes
// nest at most 16 deep and may not loop.
import { posix } from 'node:path';
import { strerror } from '../strerror.js';
import type { LoadContext, Target } from './context.js';
import { report } from './context.js';
import { shapeOf } from './directives.js';
import type { SourceLocation } from './model.js';
import { readStatements } from './reader.js';
import { parseStatements } from './statements.js';
import { fnmatchPeriod } from './taboo.js';

const MAX_NESTING = 16;
const MAX_SIZE = 0xffffff;

/** Reads one config file into `target`; true when it had an error. `name` is how
 * messages call it: the bare entry name for files of an included directory. */
function readFile(ctx: LoadContext, path: string, name: string, target: Target): boolean {
  let info;
  try {
    info = ctx.fs.stat(path);
  } catch (error) {
    report(ctx, 'error', `failed to open config file ${name}: ${strerror(error)}`);
    return true;
  }
  // Checked before opening, so a named pipe is skipped instead of blocking forever.
  if (info.kind !== 'file') {
    report(ctx, 'debug', `Ignoring ${name} because it's not a regular file.`);
    return false;
  }
  if (ctx.isRoot) {
    if ((info.mode & 0o7533) !== 0o400) report(ctx, 'warning', `Potentially dangerous mode on ${name}: 0${info.mode.toString(8)}`);
    if ((info.mode & 0o022) !== 0) {
      report(ctx, 'error', `Ignoring ${name} because it is writable by group or others.`);
      return true;
    }
    if (info.uid !== 0) {
      report(ctx, 'error', `Ignoring ${name} because the file owner is wrong (should be root or user with uid 0).`);
      return true;
    }
  }
  if (info.size > MAX_SIZE) {
    report(ctx, 'error', `file ${name} too large, probably not a config file.`);
    return true;
  }
  if (info.size === 0) {
    report(ctx, 'debug', `Ignoring ${name} because it's empty.`);
    return false;
  }
  let text: string;
  try {
    text = ctx.fs.readFile(path);
  } catch (error) {
    report(ctx, 'error', `failed to open config file ${name}: ${strerror(error)}`);
    return true;
  }
  report(ctx, 'debug', `reading config file ${name}`);
  return readStatements(ctx, name, target, parseStatements(text, shapeOf));
}

/** Reads `read` with the target's options restored if it fails (logrotate's rollback). */
function withRollback(target: Target, read: () => boolean): boolean {
  const saved = { ...target.options };
  const failed = read();
  if (failed) Object.assign(target.options, saved);
  return failed;
}

function readDirectory(ctx: LoadContext, dir: string, target: Target): boolean {
  let entries: string[];
  try {
    entries = ctx.fs.readdir(posix.resolve(ctx.cwd, dir));
  } catch (error) {
    report(ctx, 'error', `cannot open directory ${dir}: ${strerror(error)}`);
    return true;
  }
  const names = entries
    .filter((name) => {
      const pattern = ctx.taboo.find((p) => fnmatchPeriod(p, name));
      if (pattern !== undefined) report(ctx, 'debug', `Ignoring ${name}, because of ${pattern} pattern match`);
      return pattern === undefined;
    })
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  // logrotate reads the entries from inside the directory, so relative paths in them
  // (globs, includes) are taken from there.
  const outer = ctx.cwd;
  ctx.cwd = posix.resolve(outer, dir);
  let failed = false;
  for (const name of names) {
    if (withRollback(target, () => readFile(ctx, posix.join(ctx.cwd, name), name, target))) {
      report(ctx, 'error', `found error in file ${name}, skipping`);
      failed = true;
    }
  }
  ctx.cwd = outer;
  return failed;
}

function realPath(ctx: LoadContext, path: string): string {
  try {
    return ctx.fs.realpath(path);
  } catch {
    return posix.resolve(ctx.cwd, path);
  }
}

/** Reads a config path (command-line argument or include target) into `target`. `from`
 * is the include directive, absent for command-line paths. */
export function readConfigPath(ctx: LoadContext, path: string, target: Target, from?: SourceLocation): boolean {
  if (from !== undefined) {
    report(ctx, 'debug', `including ${path}`);
    if (ctx.including.length > MAX_NESTING) {
      report(ctx, 'error', 'include nesting too deep', from);
      return true;
    }
  }
  let info;
  try {
    info = ctx.fs.stat(posix.resolve(ctx.cwd, path));
  } catch (error) {
    report(ctx, 'error', `cannot stat ${path}: ${strerror(error)}`);
    return true;
  }
  const real = realPath(ctx, posix.resolve(ctx.cwd, path));
  if (from !== undefined && ctx.including.includes(real)) {
    report(ctx, 'error', `include loop: ${path} is already being read`, from);
    return true;
  }
  ctx.including.push(real);
  try {
    if (info.kind === 'dir') return readDirectory(ctx, path, target);
    return withRollback(target, () => readFile(ctx, posix.resolve(ctx.cwd, path), path, target));
  } finally {
    ctx.including.pop();
  }
}
