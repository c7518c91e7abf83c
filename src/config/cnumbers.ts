// The C library number readers logrotate uses (strtol, strtoul, strtoull with base 0,
// sscanf %u), with their overflow and sign behaviour, so odd values are accepted or
// refused exactly as logrotate does.

const SPACE = /^[ \t\n\v\f\r]*/;
const U64_MAX = (1n << 64n) - 1n;
const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

export interface CNumber {
  readonly value: bigint;
  /** Text after the last character the reader took; the whole text when it took none. */
  readonly rest: string;
}

/** Reads like strto(u)l(l): blanks, sign, then digits in `base` (0 = by prefix). The
 * value is unclamped and signed; callers apply the C type's overflow rule. */
function readDigits(text: string, base: 0 | 8 | 10): CNumber {
  let i = (SPACE.exec(text)?.[0].length) ?? 0;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let radix: number = base;
  if ((base === 0) && text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
    radix = 16;
    i += 2;
  } else if (base === 0) {
    radix = text[i] === '0' ? 8 : 10;
  }
  let end = i;
  while (end < text.length && digitValue(text.charCodeAt(end)) < radix) end++;
  if (end === i) return { value: 0n, rest: text };
  // One BigInt per number: BigInt() reads the run itself, given the radix's prefix.
  const run = text.slice(i, end);
  const value = BigInt(radix === 16 ? `0x${run}` : radix === 8 ? `0o${run}` : run);
  return { value: negative ? -value : value, rest: text.slice(end) };
}

/** 0-35 for a digit or letter (either case), 99 for anything else. */
function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41 + 10;
  return 99;
}

/** strtoull/strtoul (64-bit): overflow gives ULLONG_MAX, a minus sign negates modulo 2^64. */
export function strtoull(text: string, base: 0 | 10 = 0): CNumber {
  const n = readDigits(text, base);
  const magnitude = n.value < 0n ? -n.value : n.value;
  if (magnitude > U64_MAX) return { value: U64_MAX, rest: n.rest };
  return { value: BigInt.asUintN(64, n.value), rest: n.rest };
}

/** strtol (64-bit long): overflow clamps to LONG_MIN/LONG_MAX. */
export function strtol(text: string, base: 0 | 8 = 0): CNumber {
  const n = readDigits(text, base);
  const value = n.value > I64_MAX ? I64_MAX : n.value < I64_MIN ? I64_MIN : n.value;
  return { value, rest: n.rest };
}

/** The C cast `(int)x` of a 64-bit value. */
export function toInt(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** `sscanf(text, "%u%c", &n, &c) == 1`: a whole unsigned number and nothing after it. */
export function scanWholeUnsigned(text: string): number | null {
  const n = strtoull(text, 10);
  if (n.rest === text || n.rest.length > 0) return null;
  return Number(BigInt.asUintN(32, n.value));
}
