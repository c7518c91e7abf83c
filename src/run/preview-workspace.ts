// The workspace of `-d`: everything is read as a real run reads it, and nothing
// changes: no directory made for createolddir, no lock, no journal, no step done (they are replayed on an overlay), no
// state written.
import { hostname } from 'node:os';
import { readOnlyConfigFs } from '../config/read-only-fs.js';
import { PreviewArchiver } from '../exec/archiver.js';
import { PreviewEffects } from '../exec/effects/preview.js';
import { NO_FIGURES } from '../exec/tally.js';
import { LiveFsView, lstatThrough } from '../exec/fs-view.js';
import { OverlayFs } from '../plan/overlay.js';
import type { JournalSession, WorkspaceFactory } from './workspace.js';

const NO_JOURNAL: JournalSession = { recovered: null, observer: undefined, close: () => Promise.resolve() };

export const previewWorkspace: WorkspaceFactory = ({ logger, now, statePath }) => {
  // Nothing changes on disk, so what the config reader saw of the logs (it lstats every
  // file-list match) still holds when they are planned.
  const seen = new LiveFsView();
  const runTree = new OverlayFs(new LiveFsView(), now.getTime());
  const archiver = new PreviewArchiver({ statePath, host: hostname(), now });
  return {
    logger,
    pool: null,
    // createolddir makes nothing under -d, unlike logrotate -d (read-only-fs.ts).
    configFs: readOnlyConfigFs(lstatThrough(seen)),
    lock: () => Promise.resolve(null),
    openJournal: () => Promise.resolve(NO_JOURNAL),
    // A su section looks with its user's rights, which may see less than root's cache.
    planningView: (su) => (su ? new LiveFsView() : seen),
    currentView: () => runTree,
    holds: (path, options) => archiver.holds(path, options),
    effects: () => new PreviewEffects(now, archiver, runTree),
    saveState: () => [],
    figures: () => NO_FIGURES,
    close: () => undefined,
  };
};
