// create, createolddir and su: up to three arguments (mode, user, group), each a bare
// or quoted word, resolved against the accounts as logrotate resolves them.
import type { Accounts } from './accounts.js';
import { resolveGroup, resolveUser } from './accounts.js';
import { strtol } from './cnumbers.js';
import { sectionError, set, type Directive } from './directive.js';
import type { FileAttributes } from './model.js';


interface Owner {
  readonly mode?: string;
  readonly user?: string;
  readonly group?: string;
}

/** Splits up to three arguments, each a bare word or a '…'/"…" quoted one. */
function splitOwnerArgs(text: string, directive: string, isSu: boolean): Owner | string {
  const values: string[] = [];
  let p = 0;
  const space = /[ \t\n\v\f\r]/;
  while (p < text.length && space.test(text[p] ?? '')) p++;
  if (p >= text.length) return {};
  for (;;) {
    while (p < text.length && space.test(text[p] ?? '')) p++;
    const open = text[p];
    const quote = open === '"' || open === "'" ? open : '';
    if (quote !== '') p++;
    const start = p;
    while (p < text.length && (quote !== '' ? text[p] !== quote : !space.test(text[p] ?? ''))) p++;
    if (quote !== '' && text[p] !== quote) return `invalid arguments for ${directive}`;
    values.push(text.slice(start, p));
    if (quote !== '') p++;
    if (p >= text.length) break;
    if (values.length === 3) return `extra arguments for ${directive}`;
  }
  if (values.length === 3 && isSu) return `extra arguments for ${directive}`;
  const [a, b, c] = values;
  if (values.length === 3) return { mode: a, user: b, group: c };
  if (values.length === 2) return { user: a, group: b };
  return isSu ? { user: a } : { mode: a };
}

interface Resolved {
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

function resolveOwner(owner: Owner, accounts: Accounts): Resolved | string {
  let gid: number | undefined;
  let uid: number | undefined;
  let mode: number | undefined;
  if (owner.group !== undefined) {
    gid = resolveGroup(accounts, owner.group);
    if (gid === undefined) return `unknown group '${owner.group}'`;
  }
  if (owner.user !== undefined) {
    uid = resolveUser(accounts, owner.user);
    if (uid === undefined) return `unknown user '${owner.user}'`;
  }
  if (owner.mode !== undefined) {
    const n = strtol(owner.mode, 8);
    if (owner.mode === '' || n.rest.length > 0 || n.value < 0n || n.value >= 0x7fffffffn) return `invalid mode '${owner.mode}'`;
    mode = Number(n.value);
  }
  // Built up rather than spread together: this runs for every `create` of a big config.
  const resolved: { mode?: number; uid?: number; gid?: number } = {};
  if (mode !== undefined) resolved.mode = mode;
  if (uid !== undefined) resolved.uid = uid;
  if (gid !== undefined) resolved.gid = gid;
  return resolved;
}

export function ownerDirective(directive: 'create' | 'createolddir'): Directive {
  return {
    shape: 'line',
    apply: ({ value, options, accounts }) => {
      const previous: FileAttributes = (directive === 'create' ? options.create : options.createOldDir) ?? {};
      const owner = splitOwnerArgs(value ?? '', directive, false);
      const resolved = typeof owner === 'string' ? owner : resolveOwner(owner, accounts);
      if (typeof resolved === 'string') return sectionError(resolved);
      const attrs: FileAttributes = { ...previous, ...resolved };
      if (directive === 'create') return set({ create: attrs });
      return set({ createOldDir: { mode: 0o755, ...attrs } });
    },
  };
}

export const suDirective: Directive = {
  shape: 'line',
  apply: ({ value, options, accounts }) => {
    const owner = splitOwnerArgs(value ?? '', 'su', true);
    const resolved = typeof owner === 'string' ? owner : resolveOwner(owner, accounts);
    if (typeof resolved === 'string') return sectionError(resolved);
    const named = typeof owner === 'string' ? {} : owner;
    const uid = resolved.uid ?? options.su?.uid;
    const gid = resolved.gid ?? options.su?.gid;
    if (uid === undefined) return sectionError('no user for su');
    if (gid === undefined) return sectionError('no group for su');
    const user = named.user ?? options.su?.user ?? String(uid);
    const group = named.group ?? options.su?.group ?? String(gid);
    return set({ su: { uid, gid, user, group } });
  },
};
