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

interface Entry {
  readonly name: string;
  readonly id: number;
  readonly home: string;
}

function readEntries(path: string, homeField: number): Entry[] {
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
    return [{ name, id, home: fields[homeField] ?? '' }];
  });
}

/** Accounts from passwd(5)/group(5) files, read lazily and kept. */
export function fileAccounts(passwdPath = '/etc/passwd', groupPath = '/etc/group'): Accounts {
  let users: Entry[] | undefined;
  let groups: Entry[] | undefined;
  const userList = (): Entry[] => (users ??= readEntries(passwdPath, 5));
  const groupList = (): Entry[] => (groups ??= readEntries(groupPath, 5));
  return {
    uidOf: (name) => userList().find((u) => u.name === name)?.id,
    gidOf: (name) => groupList().find((g) => g.name === name)?.id,
    hasUid: (uid) => userList().some((u) => u.id === uid),
    hasGid: (gid) => groupList().some((g) => g.id === gid),
    homeOf: (name) => userList().find((u) => u.name === name)?.home,
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
