// User and group lookups for su/create/createolddir and `~user`. The defaults read
// /etc/passwd and /etc/group once per load, so a config with thousands of sections does
// not re-read them per directive.
import { readFileSync } from 'node:fs';

export interface Accounts {
  uidOf(name: string): number | undefined;
  gidOf(name: string): number | undefined;
  hasUid(uid: number): boolean;
  hasGid(gid: number): boolean;
  homeOf(name: string): string | undefined;
}

/** A passwd(5) or group(5) line; `home` is empty for groups, which have no such field. */
interface Entry {
  readonly name: string;
  readonly id: number;
  readonly home: string;
}

function readEntries(path: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const fields = line.split(':');
    const id = Number(fields[2]);
    const name = fields[0] ?? '';
    if (name === '' || fields[2] === undefined || !Number.isInteger(id)) return [];
    return [{ name, id, home: fields[5] ?? '' }];
  });
}

/** One passwd(5) or group(5) file, indexed both ways. */
interface Table {
  readonly byName: ReadonlyMap<string, Entry>;
  readonly ids: ReadonlySet<number>;
}

function readTable(path: string): Table {
  const byName = new Map<string, Entry>();
  const ids = new Set<number>();
  for (const entry of readEntries(path)) {
    // getpwnam(3) returns the first entry of a name.
    if (!byName.has(entry.name)) byName.set(entry.name, entry);
    ids.add(entry.id);
  }
  return { byName, ids };
}

/** Accounts from passwd(5)/group(5) files, read lazily and kept. */
export function fileAccounts(passwdPath = '/etc/passwd', groupPath = '/etc/group'): Accounts {
  let users: Table | undefined;
  let groups: Table | undefined;
  const userTable = (): Table => (users ??= readTable(passwdPath));
  const groupTable = (): Table => (groups ??= readTable(groupPath));
  return {
    uidOf: (name) => userTable().byName.get(name)?.id,
    gidOf: (name) => groupTable().byName.get(name)?.id,
    hasUid: (uid) => userTable().ids.has(uid),
    hasGid: (gid) => groupTable().ids.has(gid),
    homeOf: (name) => userTable().byName.get(name)?.home,
  };
}

/** A name, else a number that exists (or any number after `:`), as logrotate resolves them. */
function resolve(text: string, byName: (n: string) => number | undefined, exists: (id: number) => boolean): number | undefined {
  const named = byName(text);
  if (named !== undefined) return named;
  const forced = text.startsWith(':');
  const digits = forced ? text.slice(1) : text;
  if (!/^\+?[0-9]+$/.test(digits)) return undefined;
  const id = Number(digits);
  if (id >= 0x7fffffff) return undefined;
  return forced || exists(id) ? id : undefined;
}

export function resolveUser(accounts: Accounts, name: string): number | undefined {
  return resolve(name, (n) => accounts.uidOf(n), (id) => accounts.hasUid(id));
}

export function resolveGroup(accounts: Accounts, name: string): number | undefined {
  return resolve(name, (n) => accounts.gidOf(n), (id) => accounts.hasGid(id));
}
