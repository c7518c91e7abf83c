// The olddir checks logrotate makes when a section closes, including createolddir's
// directory creation, which happens at parse time (even under -d).
import { posix } from 'node:path';
import { errorCode, strerror } from '../strerror.js';
import type { LoadContext, PendingSection } from './context.js';
import { report } from './context.js';
import type { FileAttributes, SourceLocation } from './model.js';
import type { FileInfo } from './fs.js';

type Stat = { readonly ok: true; readonly info: FileInfo } | { readonly ok: false; readonly error: unknown };

function stat(ctx: LoadContext, path: string): Stat {
  try {
    return { ok: true, info: ctx.fs.stat(path) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** mkdir -p with logrotate's rule: only directories it creates get owner and mode set. */
function makeDirectory(ctx: LoadContext, path: string, mode: number, uid: number, gid: number): string | null {
  try {
    if (ctx.fs.mkdir(path, mode)) {
      ctx.fs.chown(path, uid, gid);
      ctx.fs.chmod(path, mode);
      return null;
    }
  } catch (error) {
    return `error creating ${path}: ${strerror(error)}`;
  }
  const existing = stat(ctx, path);
  return existing.ok && existing.info.kind === 'dir' ? null : `path ${path} already exists, but it is not a directory`;
}

function makePath(ctx: LoadContext, path: string, attrs: FileAttributes): string | null {
  const mode = attrs.mode ?? 0o755;
  const uid = attrs.uid ?? -1;
  const gid = attrs.gid ?? -1;
  report(ctx, 'debug', `creating new directory ${path} mode = 0${mode.toString(8)} uid = ${uid} gid = ${gid}`);
  for (let slash = path.indexOf('/', 1); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    if (path[slash - 1] === '/') continue;
    const failure = makeDirectory(ctx, path.slice(0, slash), mode, uid, gid);
    if (failure !== null) return failure;
  }
  return makeDirectory(ctx, path, mode, uid, gid);
}

/** Null when every file's olddir is usable; otherwise the fatal message. */
export function checkOldDir(ctx: LoadContext, section: PendingSection, at: SourceLocation): string | null {
  const options = section.options;
  if (options.oldDir === null) return null;
  for (const file of section.files) {
    const logDir = posix.dirname(file);
    const logDirStat = stat(ctx, logDir);
    if (!logDirStat.ok) {
      const reason = strerror(logDirStat.error);
      if (!options.missingOk) return `error verifying log file path ${logDir}: ${reason}`;
      report(ctx, 'debug', `verifying log file path failed ${logDir}: ${reason}, log is probably missing, but missingok is set, so this is not an error.`, at);
      continue;
    }
    const oldDir = options.oldDir.startsWith('/') ? options.oldDir : `${logDir}/${options.oldDir}`;
    let oldDirStat = stat(ctx, oldDir);
    if (!oldDirStat.ok) {
      const create = options.createOldDir;
      if (errorCode(oldDirStat.error) !== 'ENOENT' || create === null) return `error verifying olddir path ${oldDir}: ${strerror(oldDirStat.error)}`;
      const su = options.su;
      const failure = su === null ? makePath(ctx, oldDir, create) : ctx.fs.asUser(su.uid, su.gid, () => makePath(ctx, oldDir, create));
      if (failure !== null) return failure;
      oldDirStat = stat(ctx, oldDir);
      if (!oldDirStat.ok) return `error verifying created olddir path ${oldDir}: ${strerror(oldDirStat.error)}`;
    }
    if (oldDirStat.info.dev !== logDirStat.info.dev && !options.copy && !options.copyTruncate && !options.renameCopy) {
      return `olddir ${options.oldDir} and log file ${file} are on different devices`;
    }
  }
  return null;
}
