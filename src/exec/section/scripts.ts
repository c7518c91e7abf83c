// The section's hook scripts: announced as logrotate announces them, run once every
// earlier step is through, and a failure recorded by logrotate's rules (a log's own
// script fails that log; a script for the whole section stops the section).
import type { ScriptKind } from '../../config/model.js';
import { quiesce, type SectionWork } from './work.js';

/** How logrotate names each script in its progress messages. */
const SCRIPT_LABEL: Readonly<Record<ScriptKind, string>> = {
  firstaction: 'first action',
  prerotate: 'prerotate',
  postrotate: 'postrotate',
  lastaction: 'last action',
  preremove: 'preremove',
};

/** A script that runs once per section with `$1 = pattern` (first/last action, and
 * pre/postrotate under sharedscripts): only when some log of the section is due. */
export async function sectionScript(work: SectionWork, kind: ScriptKind, message: (why: string) => string): Promise<boolean> {
  if (work.ctx.options.scripts[kind] === undefined) return true;
  if (!work.plan.decisions.some((d) => d.verdict.kind === 'rotate')) {
    const tense = kind === 'postrotate' ? 'were' : 'will be';
    work.ctx.logger.debug(`not running ${SCRIPT_LABEL[kind]} script, since no logs ${tense} rotated`);
    return true;
  }
  return runScript(work, kind, [work.ctx.pattern], message);
}

/** Runs a hook if the section has one; false when it failed (already reported). `log`:
 * the log whose own script this is (pre/postrotate without sharedscripts). */
export async function runScript(work: SectionWork, kind: ScriptKind, args: readonly string[], message: (why: string) => string, log?: string): Promise<boolean> {
  const script = work.ctx.options.scripts[kind];
  if (script === undefined) return true;
  const { logger } = work.ctx;
  logger.debug(`running ${SCRIPT_LABEL[kind]} script`);
  await quiesce(work);
  const why = await work.effects.runScript(script.text, args, work.ctx);
  if (why === null) return true;
  const text = message(why);
  logger.error(text);
  if (log === undefined) work.ledger.sectionFailed();
  else work.ledger.logFailed(log, text);
  return false;
}
