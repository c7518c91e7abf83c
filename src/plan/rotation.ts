// The steps of one rotating log (logrotate's prerotateSingleLog, rotateSingleLog and
// postrotateSingleLog), as actions replayed on an overlay so each step sees the tree
// the previous ones leave behind.
import type { LogOptions } from '../config/model.js';
import { ageInDays, dateInstant } from './calendar.js';
import { compileDateFormat, dateSortKey, formatSuffix, type DateFormat } from './dateformat.js';
import { errorText } from './decide.js';
import { globInDir } from './glob.js';
import type { Action, LogRotation, PathFact } from './model.js';
import type { OverlayFs } from './overlay.js';
import { highestIndex, indicesToWalk, int32, type Walk } from './shift.js';
import { datedName, datedPattern, numberedName, rotationNames, type RotationNames } from './names.js';

type Present = Extract<PathFact, { kind: 'present' }>;
type RemoveReason = Extract<Action, { kind: 'remove' }>['reason'];

/** One log's rotation while it is being planned, phase by phase. */
export class RotationBuilder {
  private readonly prepare: Action[] = [];
  private readonly rotate: Action[] = [];
  private readonly finish: Action[] = [];
  private readonly warnings: string[] = [];
  private failure: string | null = null;
  private names: RotationNames = { dir: '', base: '', ext: '' };
  private finalName = '';
  private firstRotated = '';
  private dispose: { path: string; reason: RemoveReason } | null = null;
  private disposeMissing: string | null = null;
  private dateSuffix = '';
  private format: DateFormat | null = null;
  private noDatedRotations = false;

  constructor(
    private readonly log: string,
    private readonly options: LogOptions,
    private readonly stat: Present,
    private readonly now: Date,
    private readonly fs: OverlayFs,
  ) {}

  private get cext(): string {
    return this.options.compress ? this.options.compressExt : '';
  }

  private add(phase: Action[], action: Action): void {
    phase.push(action);
    this.fs.apply(action);
  }

  /** State stamp, names, delaycompress of the previous rotation, expiry, shift. */
  prepareNames(): void {
    const o = this.options;
    this.add(this.prepare, { kind: 'stamp', log: this.log, time: this.now });
    this.names = rotationNames(this.log, o);

    const format = compileDateFormat(o.dateFormat, o.criterion);
    if (typeof format === 'string') {
      this.failure = format;
      return;
    }
    this.format = format;
    const suffix = formatSuffix(format, dateInstant(this.now.getTime(), o.dateYesterday, o.dateHourAgo));
    if (typeof suffix !== 'string') {
      this.failure = suffix.error;
      return;
    }
    this.dateSuffix = suffix;
    if (o.delayCompress && !o.compress) {
      this.warnings.push(`delayed compression for log file ${this.log} ignored since compression is disabled`);
    }
    if (o.compress && o.delayCompress) this.compressPrevious();
    if (o.dateExt) this.expireDated();
    else this.shiftNumbered();
    if (this.failure !== null) return;

    if (o.dateExt) {
      this.finalName = datedName(this.names, this.dateSuffix, '');
      if (this.fs.stat(this.finalName + this.cext).kind === 'present') {
        this.failure = `destination ${this.firstRotated} already exists, skipping rotation`;
      }
    } else {
      this.finalName = numberedName(this.names, o.start, '');
    }
    if (this.dispose !== null && this.fs.stat(this.dispose.path).kind !== 'present') {
      this.disposeMissing = this.dispose.path;
      this.dispose = null;
    }
  }

  private datedGlob(withCext: boolean): string[] {
    const format = this.format as DateFormat;
    const found = globInDir(this.fs, this.names.dir, datedPattern(this.names, format, withCext ? this.cext : ''));
    if (!format.custom) return found;
    const prefix = this.names.dir.length + 1 + this.names.base.length;
    return found
      .map((path) => ({ path, key: dateSortKey(format, path.slice(prefix)) }))
      .sort((a, b) => a.key - b.key)
      .map((entry) => entry.path);
  }

  private compressSteps(phase: Action[], from: string, attrsFrom: string): void {
    this.add(phase, { kind: 'compress', from, to: from + this.options.compressExt, attrsFrom });
    this.add(phase, { kind: 'remove', path: from, reason: 'compressed' });
  }

  private compressPrevious(): void {
    const previous = this.options.dateExt ? this.datedGlob(false) : [numberedName(this.names, this.options.start, '')];
    for (const path of previous) {
      if (this.fs.stat(path).kind === 'present') this.compressSteps(this.prepare, path, path);
    }
  }

  private mailAndRemove(path: string, reason: RemoveReason): void {
    if (this.options.mail !== null) this.add(this.prepare, this.mailStep(path));
    this.add(this.prepare, { kind: 'remove', path, reason });
  }

  /** Dated rotations: the oldest beyond the count (room left for the new one) and those
   * past maxage go; the last of them is kept back as the one to dispose of at the end. */
  private expireDated(): void {
    const o = this.options;
    const matches = this.datedGlob(true);
    this.noDatedRotations = matches.length === 0;
    const keep = o.rotate === 0 ? 1 : o.rotate;
    matches.forEach((path, index) => {
      const fact = this.fs.stat(path);
      if (fact.kind !== 'present') return;
      // logrotate compares with (size_t)count: -1, or a bad negative count a cut-off section
      // kept, is larger than any number of matches.
      const byCount = keep > 0 && matches.length >= keep && index <= matches.length - keep;
      const byAge = o.maxAge > 0 && ageInDays(this.now.getTime(), fact.mtimeMs) > o.maxAge;
      if (!byCount && !byAge) return;
      if (this.dispose !== null) this.mailAndRemove(this.dispose.path, this.dispose.reason);
      this.dispose = { path, reason: byCount ? 'rotate-count' : 'maxage' };
    });
    this.firstRotated = datedName(this.names, this.dateSuffix, o.delayCompress ? '' : this.cext);
  }

  private get indexSuffix(): string {
    return `${this.names.ext}${this.cext}`;
  }

  private numbered(index: number): string {
    return numberedName(this.names, index, this.cext);
  }

  /** Numbered rotations move up one index, from the top down; rotate -1 takes the
   * highest index on disk as the count, so holes in the chain stay holes. Only indices
   * that hold a file are planned one by one (shift.ts); the counters are C ints, as
   * logrotate's, so `start + rotate` wraps past 2^31 - 1. */
  private shiftNumbered(): void {
    const o = this.options;
    const { dir, base } = this.names;
    const count = o.rotate === -1 ? highestIndex(this.fs, dir, base, this.indexSuffix) : o.rotate === 0 ? 1 : o.rotate;
    if (o.rotate !== -1) this.dispose = { path: this.numbered(int32(o.start + count)), reason: 'rotate-count' };
    this.firstRotated = numberedName(this.names, o.start, o.delayCompress ? '' : this.cext);
    const top = int32(count + o.start - 1);
    const held = indicesToWalk(this.fs, dir, base, this.indexSuffix, o.start, top);
    if (typeof held === 'string') {
      this.failure = held;
      return;
    }
    const walk: Walk = { rotateCount: count, logStart: o.start };
    let next = top;
    for (const i of held) {
      this.gap(next, i + 1, walk);
      next = i - 1;
      const from = this.numbered(i);
      if (o.maxAge > 0) {
        const fact = this.fs.stat(from);
        if (fact.kind === 'absent') {
          this.gap(i, i, walk);
          continue;
        }
        if (fact.kind === 'error') {
          this.failure = `cannot stat ${from}: ${errorText(fact)}`;
          return;
        }
        if (ageInDays(this.now.getTime(), fact.mtimeMs) > o.maxAge) {
          this.mailAndRemove(from, 'maxage');
          continue;
        }
      }
      this.add(this.prepare, { kind: 'rename', from, to: this.numbered(int32(i + 1)), shift: { ...walk, index: i } });
    }
    this.gap(next, o.start, walk);
  }

  /** Indices `top` down to `bottom` of the walk, none of which holds a file. */
  private gap(top: number, bottom: number, walk: Walk): void {
    if (top >= bottom) this.add(this.prepare, { kind: 'shift-gap', prefix: `${this.names.dir}/${this.names.base}.`, suffix: this.indexSuffix, top, bottom, ...walk });
  }

  /** Move the log away (or copy it), then create the new one. */
  rotateLog(): void {
    if (this.failure !== null) return;
    const o = this.options;
    const copying = o.copy || o.copyTruncate;
    const tmp = `${this.log}.tmp`;
    if (!copying) {
      this.add(this.rotate, { kind: 'rename', from: this.log, to: o.renameCopy ? tmp : this.finalName });
      if (o.rotate === 0) {
        // The log itself is what falls out; it goes at the end of this rotation.
        this.dispose = { path: this.finalName + (o.compress && !o.delayCompress ? o.compressExt : ''), reason: 'rotate-0' };
      }
      if (o.create !== null) {
        const attrs = {
          mode: o.create.mode ?? this.stat.mode & 0o777,
          uid: o.create.uid ?? this.stat.uid,
          gid: o.create.gid ?? this.stat.gid,
        };
        // Without an explicit mode the new log gets the old one's ACL.
        const aclFrom = o.create.mode === undefined ? { aclFrom: o.renameCopy ? tmp : this.finalName } : {};
        this.add(this.rotate, { kind: 'create', path: this.log, attrs, ...aclFrom });
      }
    } else if (!o.renameCopy) {
      const skipCopy = o.rotate === 0 && o.mail === null ? { skipCopy: true } : {};
      this.add(this.rotate, { kind: 'copy', from: this.log, to: this.finalName, truncate: o.copyTruncate, ...skipCopy });
    }
  }

  /** The signal (where postrotate runs), renamecopy's copy, compression, mail, and
   * removal of the log that falls out. `signals`: false for all but the first log of a
   * sharedscripts section, which signals once. */
  finishLog(signals: boolean): void {
    if (this.failure !== null) return;
    const o = this.options;
    if (o.signal !== null && signals) this.add(this.finish, { kind: 'signal', signal: o.signal.signal, pidFile: o.signal.pidFile });
    const copying = o.copy || o.copyTruncate;
    if (o.renameCopy) {
      const tmp = `${this.log}.tmp`;
      this.add(this.finish, { kind: 'copy', from: tmp, to: this.finalName, truncate: o.copyTruncate });
      this.add(this.finish, { kind: 'remove', path: tmp, reason: 'renamecopy-tmp' });
    }
    const skippedCopy = copying && !o.renameCopy && o.rotate === 0 && o.mail === null;
    if (o.compress && !o.delayCompress && !skippedCopy) {
      // logrotate applies the stat the log had before rotating. After a plain rename that
      // inode is finalName; in the copy modes finalName is a fresh copy (renamecopy's
      // `.tmp` is already gone), so the executor's pre-rotation snapshot of the log serves.
      this.compressSteps(this.finish, this.finalName, copying || o.renameCopy ? this.log : this.finalName);
    }
    const mailed = o.mailFirst ? this.firstRotated : this.dispose?.path;
    if (o.mail !== null && mailed !== undefined) this.add(this.finish, this.mailStep(mailed));
    if (this.dispose !== null) this.add(this.finish, { kind: 'remove', path: this.dispose.path, reason: this.dispose.reason });
  }

  /** Compressed sections mail the plain text; with mailfirst the subject is then the log. */
  private mailStep(path: string): Action {
    const o = this.options;
    const uncompress = o.compress && !(o.mailFirst && o.delayCompress);
    const subject = o.mailFirst && uncompress ? this.log : path;
    return { kind: 'mail', path, address: o.mail ?? '', subject, uncompress };
  }

  build(): LogRotation {
    return {
      log: this.log,
      prepare: this.prepare,
      rotate: this.rotate,
      finalName: this.finalName,
      finish: this.finish,
      failure: this.failure,
      dateSuffix: this.dateSuffix,
      globPattern: this.format?.globPattern ?? '',
      convertedFormat: this.format?.custom === true ? this.format.strftimeFormat : null,
      disposeName: this.dispose?.path ?? null,
      disposeMissing: this.disposeMissing,
      warnings: this.warnings,
      noDatedRotations: this.noDatedRotations,
    };
  }
}
