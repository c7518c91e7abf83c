// `archive URL`: where a rotation's steps record and archive its file. The rotation is
// planned as without an archive; this adds, to a rotation of an archiving section:
// - `track` right after the step that makes the rotated file (the rename, or the copy):
//   its instant is recorded, for its remote name;
// - `archive` of each file once it is final: right after it is compressed (before the
//   plain file it came from goes), or, without compression, first thing after
//   postrotate (a daemon has let go of it then); with delaycompress that is the next
//   run's compression of the previous rotation;
// - with `archivedelete`, its removal right after its archive.
// Whether a removal may happen (only of a file the archive confirmed) is the executor's
// to check when it comes to it: an archive step earlier in the same run may succeed.
import type { LogOptions, Section } from '../config/model.js';
import { familiesOf, type PurgeContext } from './log-budgets.js';
import type { Action, LogRotation, UpkeepStep } from './model.js';

export function withArchiving(rotation: LogRotation, options: LogOptions, now: Date): LogRotation {
  if (options.archive === null) return rotation;
  const { log, finalName } = rotation;
  const archived = (path: string, factsOf: string): Action[] => [
    { kind: 'archive', path, log, factsOf },
    ...(options.archiveDelete ? [{ kind: 'remove', path, reason: 'archived' } as const] : []),
  ];
  const afterCompressions = (actions: readonly Action[]): Action[] => actions.flatMap((a) => (a.kind === 'compress' ? [a, ...archived(a.to, a.from)] : [a]));
  const makesRotation = (a: Action): boolean =>
    (a.kind === 'rename' && a.shift === undefined && a.to === finalName) || (a.kind === 'copy' && a.to === finalName && a.skipCopy !== true);
  const track: Action = { kind: 'track', path: finalName, log, rotatedAt: now };
  const tracking = (actions: readonly Action[]): Action[] => actions.flatMap((a) => (makesRotation(a) ? [a, track] : [a]));
  const rotate = tracking(rotation.rotate);
  let finish = afterCompressions(tracking(rotation.finish));
  const tracked = [...rotate, ...finish].includes(track);
  if (tracked && !options.compress) {
    // Final as it is: archived once postrotate ran, or right after renamecopy's copy made it.
    const at = finish.indexOf(track) + 1;
    finish = [...finish.slice(0, at), ...archived(finalName, finalName), ...finish.slice(at)];
  }
  return { ...rotation, prepare: afterCompressions(rotation.prepare), rotate, finish };
}

/** Every final rotation of an archiving section's logs that its archive does not have
 * yet (an upload that failed, a rotation made before the section archived): archived
 * before the section's logs rotate, so that no numbered shift must wait for it. */
export function archiveCatchUp(section: Section, ctx: PurgeContext, archived: (path: string) => boolean): UpkeepStep[] {
  const o = section.options;
  if (o.archive === null) return [];
  // With compression, a plain rotation waits to be compressed (delaycompress) first.
  const final = (path: string): boolean => !o.compress || (o.compressExt !== '' && path.endsWith(o.compressExt));
  return familiesOf(section, ctx).flatMap(({ log, files }) =>
    files
      .filter((file) => final(file.path) && !archived(file.path))
      .flatMap((file): UpkeepStep[] => [
        { log, action: { kind: 'archive', path: file.path, log, factsOf: file.path } },
        ...(o.archiveDelete ? [{ log, action: { kind: 'remove', path: file.path, reason: 'archived' } as const }] : []),
      ]),
  );
}
