// A module resolve hook that writes every file URL the process resolves to the file
// named by LOGROTOR_MODULE_LOG: what a command really loads, without timing anything.
import { appendFileSync } from 'node:fs';

interface Resolved {
  readonly url: string;
}

export async function resolve(specifier: string, context: unknown, nextResolve: (specifier: string, context: unknown) => Promise<Resolved>): Promise<Resolved> {
  const resolved = await nextResolve(specifier, context);
  const log = process.env['LOGROTOR_MODULE_LOG'];
  if (log !== undefined && resolved.url.startsWith('file:')) appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
