import { DEFAULT_NAME_TEMPLATE } from '../archive/names.js';
import type { LogOptions } from './model.js';

/** Build-time values of Debian's logrotate, so a swapped binary keeps using the same
 * state file and helpers. */
export const BUILD_DEFAULTS = {
  statePath: '/var/lib/logrotate/status',
  mailCommand: '/usr/bin/mail',
  compressCmd: '/bin/gzip',
  uncompressCmd: '/bin/gunzip',
  compressExt: '.gz',
} as const;

/** The global template every configuration starts from. */
export const DEFAULT_OPTIONS: LogOptions = {
  criterion: { kind: 'size', bytes: 1024 * 1024 },
  minSize: 0,
  maxSize: 0,
  minAge: 0,
  maxAge: 0,
  rotate: 0,
  start: 1,
  compress: false,
  compressCmd: BUILD_DEFAULTS.compressCmd,
  uncompressCmd: BUILD_DEFAULTS.uncompressCmd,
  compressExt: BUILD_DEFAULTS.compressExt,
  compressOptions: null,
  delayCompress: false,
  copy: false,
  copyTruncate: false,
  renameCopy: false,
  create: null,
  createOldDir: null,
  oldDir: null,
  dateExt: false,
  dateFormat: null,
  dateYesterday: false,
  dateHourAgo: false,
  extension: null,
  addExtension: null,
  ifEmpty: true,
  missingOk: false,
  mail: null,
  mailFirst: false,
  shred: false,
  shredCycles: 0,
  allowHardlink: false,
  sharedScripts: false,
  ignoreDuplicates: false,
  su: null,
  scripts: {},
  archive: null,
  archiveName: DEFAULT_NAME_TEMPLATE,
  archiveDelete: false,
  maxTotalSize: 0,
  minFree: null,
  purgeAlways: false,
  noRename: false,
};
