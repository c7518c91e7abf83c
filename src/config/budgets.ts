// Values of logrotor's budget directives (`maxtotalsize`, `minfree`; docs/budgets.md).
// Sizes are read as logrotate reads `size`; what is refused says what to write instead,
// since these directives are new to everyone who meets them.
import type { LogOptions } from './model.js';
import { parseSize } from './sizes.js';

export type BudgetValue = { readonly ok: true; readonly patch: Partial<LogOptions> } | { readonly ok: false; readonly text: string };

const UNITS = 'k, M or G (1024-based)';

/** What a budget of 0 would mean, for the message that refuses it. */
const ZERO: Readonly<Record<'maxtotalsize' | 'minfree', string>> = {
  maxtotalsize: 'would remove every rotation',
  minfree: 'asks for no free space',
};

function bytesOf(keyword: 'maxtotalsize' | 'minfree', value: string): { ok: true; bytes: number } | { ok: false; text: string } {
  const size = parseSize(value);
  if (!size.ok) {
    return size.text.startsWith('unknown unit')
      ? { ok: false, text: `${size.text} in ${keyword} '${value}': the units are ${UNITS}` }
      : { ok: false, text: `bad ${keyword} '${value}': give a whole number of bytes, optionally followed by ${UNITS}` };
  }
  if (size.bytes === 0) {
    return { ok: false, text: `${keyword} ${value} ${ZERO[keyword]}: give a size above 0, or no${keyword} for no budget` };
  }
  return size;
}

export function parseMaxTotalSize(value: string): BudgetValue {
  const size = bytesOf('maxtotalsize', value);
  return size.ok ? { ok: true, patch: { maxTotalSize: size.bytes } } : size;
}

/** `N%` (a whole percent from 1 to 99) or a size. */
export function parseMinFree(value: string): BudgetValue {
  if (!value.endsWith('%')) {
    const size = bytesOf('minfree', value);
    return size.ok ? { ok: true, patch: { minFree: { kind: 'bytes', bytes: size.bytes } } } : size;
  }
  const digits = value.slice(0, -1);
  const percent = /^[0-9]{1,3}$/.test(digits) ? Number(digits) : NaN;
  if (!(percent >= 1 && percent <= 99)) {
    return { ok: false, text: `bad minfree '${value}': a share of the filesystem is a whole percent from 1% to 99%` };
  }
  return { ok: true, patch: { minFree: { kind: 'percent', percent } } };
}
