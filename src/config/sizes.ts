// Size arguments as logrotate reads them (`size`, `minsize`, `maxsize`) and as the
// logrotor budget directives take them too: strtoull base 0, then an optional unit.

import { strtoull } from './cnumbers.js';

export type Size = { readonly ok: true; readonly bytes: number } | { readonly ok: false; readonly text: string };

// Lower-case m and g are not units: logrotate says `unknown unit 'm'`.
const SIZE_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['k', 1024n],
  ['K', 1024n],
  ['M', 1024n ** 2n],
  ['G', 1024n ** 3n],
]);

export function parseSize(value: string): Size {
  const unit = value.at(-1) ?? '';
  const multiplier = SIZE_UNITS.get(unit);
  const number = multiplier === undefined ? value : value.slice(0, -1);
  if (multiplier === undefined && !/[0-9]/.test(unit)) return { ok: false, text: `unknown unit '${unit}'` };
  const n = strtoull(number);
  const bytes = BigInt.asIntN(64, n.value * (multiplier ?? 1n));
  if (n.rest.length > 0 || bytes < 0n) return { ok: false, text: `bad size '${number}'` };
  return { ok: true, bytes: Number(bytes) };
}
