// printf formatting as C does it: %d %i %o %x %X %u %c %s %e %E %f %F %g %G %%, with the
// flags - + space # 0, a width and a precision (either may be *). Floating point follows C:
// exponents have at least two digits, %g drops trailing zeros, and exact ties round to even
// (JS's toFixed rounds them away from zero). Integers beyond 2^53 go through BigInt; the
// unsigned conversions take negative numbers modulo 2^64, as a 64-bit C long would.

import type { Value } from './value.ts';

export interface Conv {
  num(v: Value): number;
  str(v: Value): string;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  prec: number | undefined;
}

function exp2(e: number): string {
  return `e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** |x| (finite) with p decimals, C's rounding. */
function fixed(x: number, p: number): string {
  if (x >= 1e21) return BigInt(Math.round(x)).toString() + (p > 0 ? '.' + '0'.repeat(p) : '');
  const s = x.toFixed(Math.min(p, 100)) + (p > 100 ? '0'.repeat(p - 100) : '');
  if (p <= 20) {
    const scaled = x * 10 ** p;
    const lo = Math.trunc(scaled);
    if (scaled < 2 ** 52 && scaled - lo === 0.5 && scaled / 10 ** p === x && lo % 2 === 0) return (lo / 10 ** p).toFixed(p);
  }
  return s;
}

/** |x| (finite) as d.ddde+XX with p decimals, C's rounding. */
function expo(x: number, p: number): { mant: string; e: number } {
  const pp = Math.min(p, 100);
  const [m, e] = x.toExponential(pp).split('e') as [string, string];
  let exp = Number(e);
  let mant = m + (p > 100 ? '0'.repeat(p - 100) : '');
  if (x !== 0 && p <= 20) {
    const scaled = x * 10 ** (p - exp);
    const lo = Math.trunc(scaled);
    if (scaled < 2 ** 52 && scaled - lo === 0.5 && scaled / 10 ** (p - exp) === x && lo % 2 === 0) {
      const d = String(lo);
      if (d.length === p + 1) mant = d[0]! + (p > 0 ? '.' + d.slice(1) : '');
    }
  }
  if (x === 0) exp = 0;
  return { mant, e: exp };
}

/** The digits of |x| (finite) for %e %f %g, without sign or padding. */
function floatDigits(x: number, conv: string, prec: number, alt: boolean): string {
  const lower = conv.toLowerCase();
  let out: string;
  if (lower === 'f') out = fixed(x, prec);
  else if (lower === 'e') { const { mant, e } = expo(x, prec); out = mant + exp2(e); } else {
    const P = prec === 0 ? 1 : prec;
    const { e } = expo(x, P - 1);
    if (P > e && e >= -4) out = fixed(x, P - 1 - e);
    else { const r = expo(x, P - 1); out = r.mant + exp2(r.e); }
    if (!alt && out.includes('.')) {
      const ei = out.indexOf('e');
      const mant = (ei < 0 ? out : out.slice(0, ei)).replace(/0+$/, '').replace(/\.$/, '');
      out = mant + (ei < 0 ? '' : out.slice(ei));
    }
  }
  if (alt && !out.includes('.') && lower !== 'g') out = out.replace(/^(\d+)/, '$1.');
  return conv === conv.toUpperCase() ? out.toUpperCase() : out;
}

function pad(sign: string, body: string, s: Spec, zeroOk: boolean): string {
  const len = sign.length + body.length;
  if (len >= s.width) return sign + body;
  if (s.minus) return sign + body + ' '.repeat(s.width - len);
  if (s.zero && zeroOk) return sign + '0'.repeat(s.width - len) + body;
  return ' '.repeat(s.width - len) + sign + body;
}

function formatOne(conv: string, v: Value, s: Spec, c: Conv, isNum: boolean): string {
  switch (conv) {
    case 's': {
      const str = c.str(v);
      return pad('', s.prec === undefined ? str : str.slice(0, s.prec), s, false);
    }
    case 'c': {
      const ch = isNum ? String.fromCharCode(Math.trunc(c.num(v)) & 255) : c.str(v).slice(0, 1);
      return pad('', ch, s, false);
    }
    case 'd': case 'i': case 'o': case 'x': case 'X': case 'u': {
      const n = c.num(v);
      if (!Number.isFinite(n)) return pad(n < 0 ? '-' : s.plus ? '+' : s.space ? ' ' : '', Number.isNaN(n) ? 'nan' : 'inf', s, false);
      let big = BigInt(Math.trunc(n));
      let sign = '';
      if (conv === 'd' || conv === 'i') {
        if (big < 0n) { sign = '-'; big = -big; } else if (s.plus) sign = '+'; else if (s.space) sign = ' ';
      } else big = BigInt.asUintN(64, big);
      let digits = conv === 'o' ? big.toString(8) : conv === 'x' ? big.toString(16) : conv === 'X' ? big.toString(16).toUpperCase() : big.toString();
      if (s.prec !== undefined) digits = s.prec === 0 && big === 0n ? '' : digits.padStart(s.prec, '0');
      if (s.alt && conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
      if (s.alt && big !== 0n && (conv === 'x' || conv === 'X')) sign = conv === 'x' ? '0x' : '0X';
      return pad(sign, digits, s, s.prec === undefined);
    }
    default: {
      const n = c.num(v);
      const sign = n < 0 || Object.is(n, -0) ? '-' : s.plus ? '+' : s.space ? ' ' : '';
      if (!Number.isFinite(n)) {
        const word = Number.isNaN(n) ? 'nan' : 'inf';
        return pad(sign, conv === conv.toUpperCase() ? word.toUpperCase() : word, s, false);
      }
      return pad(sign, floatDigits(Math.abs(n), conv, s.prec ?? 6, s.alt), s, true);
    }
  }
}

/** Format args by fmt; isNum says which values count as numbers for %c. */
export function sprintf(fmt: string, args: Value[], str: (v: Value) => string, c?: Conv, isNum?: (v: Value) => boolean): string {
  const conv: Conv = c ?? { num: (v) => (typeof v === 'number' ? v : Number(str(v)) || 0), str };
  const numeric = isNum ?? ((v: Value): boolean => typeof v === 'number');
  let out = '';
  let ai = 0;
  const nextArg = (): Value => (ai < args.length ? args[ai++]! : '');
  for (let i = 0; i < fmt.length;) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) { out += fmt.slice(i); break; }
    out += fmt.slice(i, pct);
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|L|q|j|z|t)?([diouxXcseEfFgG%])/.exec(fmt.slice(pct, pct + 64));
    if (!m) { out += '%'; i = pct + 1; continue; }
    i = pct + m[0].length;
    if (m[5] === '%') { out += '%'; continue; }
    const flags = m[1]!;
    const s: Spec = {
      minus: flags.includes('-'), plus: flags.includes('+'), space: flags.includes(' '), alt: flags.includes('#'), zero: flags.includes('0'),
      width: 0, prec: undefined,
    };
    if (m[2] === '*') {
      const w = Math.trunc(conv.num(nextArg()));
      if (w < 0) { s.minus = true; s.width = -w; } else s.width = w;
    } else if (m[2]) s.width = Number(m[2]);
    if (m[3] === '*') {
      const p = Math.trunc(conv.num(nextArg()));
      s.prec = p < 0 ? undefined : p;
    } else if (m[3] !== undefined) s.prec = m[3] === '' ? 0 : Number(m[3]);
    const v = nextArg();
    out += formatOne(m[5]!, v, s, conv, numeric(v));
  }
  return out;
}
