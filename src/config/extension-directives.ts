// The directives logrotor adds (logrotate knows none of them: it warns `unknown option`
// and ignores the line): archives, disk budgets, signals.
import { parseNameTemplate } from '../archive/names.js';
import { parseArchiveUrl } from '../archive/target.js';
import type { BudgetValue } from './budgets.js';
import { parseMaxTotalSize, parseMinFree } from './budgets.js';
import { flag, required, sectionError, set, type Directive, type Effect } from './directive.js';
import { parseSignal } from './signal-directive.js';

/** Every bad budget value is a section error, as a bad `rotate` is. */
const budget = (parsed: BudgetValue): Effect => (parsed.ok ? set(parsed.patch) : sectionError(parsed.text));

export const EXTENSION_DIRECTIVES: Readonly<Record<string, Directive>> = {
  // docs/archive.md
  archive: required('archive URL', (value) => {
    const target = parseArchiveUrl(value);
    return target.ok ? set({ archive: target.value }) : sectionError(target.error);
  }),
  noarchive: flag({ archive: null }),
  archivename: required('archivename', (value) => {
    const template = parseNameTemplate(value);
    return template.ok ? set({ archiveName: template.value }) : sectionError(template.error);
  }),
  archivedelete: flag({ archiveDelete: true }),
  noarchivedelete: flag({ archiveDelete: false }),
  // docs/budgets.md
  maxtotalsize: required('maxtotalsize (a size such as 500M)', (value) => budget(parseMaxTotalSize(value))),
  nomaxtotalsize: flag({ maxTotalSize: 0 }),
  minfree: required('minfree (a size such as 2G, or a share such as 10%)', (value) => budget(parseMinFree(value))),
  nominfree: flag({ minFree: null }),
  purgealways: flag({ purgeAlways: true }),
  nopurgealways: flag({ purgeAlways: false }),
  norename: flag({ noRename: true }),
  rename: flag({ noRename: false }),
  // docs/executor.md, signal-directive.ts
  signal: {
    shape: 'line',
    apply: ({ value }) => {
      const parsed = parseSignal(value ?? '');
      return typeof parsed === 'string' ? sectionError(parsed) : set({ signal: parsed });
    },
  },
  nosignal: flag({ signal: null }),
};
