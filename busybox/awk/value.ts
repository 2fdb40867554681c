// awk values: numbers, strings, and strnums, the strings from input (fields, getline,
// split, ARGV, -v) that look like numbers and so compare as numbers while printing as
// written. The uninitialized value is both "" and 0. Strings are byte strings (io.ts).

import { sprintf } from './format.ts';

export class StrNum {
  readonly s: string;
  readonly n: number;
  constructor(s: string, n: number) { this.s = s; this.n = n; }
}

export type Value = number | string | StrNum;

/** The value of a variable never assigned: "" as a string, 0 as a number. */
export const UNINIT: Value = Object.freeze(new StrNum('', 0));

const NUMERIC = /^[ \t\n\r\f\v]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[ \t\n\r\f\v]*$/;
const LEADING = /^[ \t\n\r\f\v]*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/;
const SPECIAL = /^[ \t\n\r\f\v]*([-+])(inf|infinity|nan)\b/i;

/** The numeric value of a string: its longest leading number, else 0 (+inf/-nan as in C). */
export function strToNum(s: string): number {
  const m = LEADING.exec(s);
  if (m) return Number(m[1]);
  const sp = SPECIAL.exec(s);
  if (sp) return sp[2]!.toLowerCase().startsWith('inf') ? (sp[1] === '-' ? -Infinity : Infinity) : NaN;
  return 0;
}

/** Input text as a value: a strnum when it looks like a number, else a string. */
export function strnum(s: string): Value {
  return NUMERIC.test(s) ? new StrNum(s, strToNum(s)) : s;
}

export function toNum(v: Value): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? strToNum(v) : v.n;
}

/** A number as awk prints it: integers as integers, others through the format (CONVFMT, OFMT). */
export function numToStr(n: number, fmt: string): string {
  if (Number.isInteger(n)) {
    if (Math.abs(n) < 1e16) return Object.is(n, -0) ? '-0' : String(n);
    if (Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  }
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return sprintf(fmt, [n], (v) => String(v));
}

export function toStr(v: Value, convfmt: string): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? numToStr(v, convfmt) : v.s;
}

export function isNumeric(v: Value): boolean {
  return typeof v !== 'string';
}

export function toBool(v: Value): boolean {
  return typeof v === 'number' ? v !== 0 : typeof v === 'string' ? v !== '' : v === UNINIT ? false : v.n !== 0;
}

/** awk's comparison: numeric when both sides are numeric, else by bytes. */
export function compare(a: Value, b: Value, convfmt: string): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNum(a), y = toNum(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  }
  const s = toStr(a, convfmt), t = toStr(b, convfmt);
  return s < t ? -1 : s > t ? 1 : 0;
}
