// seq [-w] [-s sep] [first [incr]] last: print numbers from first (1) by incr (1) up to
// last. Output follows GNU seq: with no format the numbers get as many decimals as first or
// incr has (last does not count), -w pads with zeros to a common width, and an operand in
// exponent form counts as the decimal it stands for (1e2 is 100). The n-th number is
// first + n*incr (no drift).

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';

interface Operand {
  value: number;
  /** Digits after the point it is printed with; Infinity (GNU's for hex and inf, which we refuse) would mean %g. */
  precision: number;
  /** Characters it takes printed with that precision (GNU: .5 as 0.5, 1e2 as 100). */
  width: number;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * An operand as GNU's scan_arg reads it: the precision is the digits after the point (plus a
 * negative exponent's, less a positive one's) and the width is what it would take printed
 * that way: 1e2 is 100 (width 3, no decimals), .5 is 0.5, 1. is 1, a leading + is not output.
 */
export function operand(s: string): Operand | undefined {
  const t = s.trim();
  if (!NUMBER.test(t)) return undefined;
  const value = Number(t);
  if (!Number.isFinite(value)) return undefined;
  const arg = t.replace(/^\+/, '');
  let width = arg.length;
  let precision = 0;
  let fraction = 0;
  const dot = arg.indexOf('.');
  const e = arg.search(/[eE]/);
  if (dot >= 0) {
    fraction = (e >= 0 ? e : arg.length) - dot - 1;
    precision = fraction;
    width += fraction === 0 ? -1 : dot === 0 || !/\d/.test(arg[dot - 1]!) ? 1 : 0;
  }
  if (e >= 0) {
    let exponent = parseInt(arg.slice(e + 1), 10);
    precision += exponent < 0 ? -exponent : -Math.min(precision, exponent);
    width -= arg.length - e;
    if (exponent < 0) {
      if (dot < 0 || e === dot + 1) width++;
      exponent = -exponent;
    } else {
      if (dot >= 0 && precision === 0 && fraction) width--;
      exponent -= Math.min(fraction, exponent);
    }
    width += exponent;
  }
  return { value, precision, width };
}

/** C's %g (precision 6): shortest of %e and %f, trailing zeros dropped. */
export function formatG(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e');
    const mant = m!.includes('.') ? m!.replace(/\.?0+$/, '') : m!;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const f = x.toFixed(Math.max(0, 5 - exp));
  return f.includes('.') ? f.replace(/\.?0+$/, '') : f;
}

/** The formatter GNU seq picks for these operands. */
export function formatter(first: Operand, incr: Operand, last: Operand, equalWidth: boolean): (x: number) => string {
  const prec = Math.max(first.precision, incr.precision);
  if (prec === Infinity || last.precision === Infinity) return formatG;
  if (!equalWidth) return (x) => x.toFixed(prec);
  let firstWidth = first.width + (prec - first.precision);
  let lastWidth = last.width + (prec - last.precision);
  if (last.precision && prec === 0) lastWidth--; // no room for the point
  if (last.precision === 0 && prec) lastWidth++;
  if (first.precision === 0 && prec) firstWidth++;
  const width = Math.max(firstWidth, lastWidth);
  return (x) => {
    const s = x.toFixed(prec);
    return s.startsWith('-') ? '-' + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0');
  };
}

export const seq = command('seq', '[-w] [-s sep] [first [incr]] last', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'w', values: 's', negativeNumbers: true });
  if (f.args.length < 1 || f.args.length > 3) throw new UsageError();
  const ops: Operand[] = [];
  for (const a of f.args) {
    const o = operand(a);
    if (!o) { await c.warn(`invalid floating point argument: '${a}'`); return 'usage'; }
    ops.push(o);
  }
  const one: Operand = { value: 1, precision: 0, width: 1 };
  const [first, incr, last] = ops.length === 1 ? [one, one, ops[0]!] : ops.length === 2 ? [ops[0]!, one, ops[1]!] : [ops[0]!, ops[1]!, ops[2]!];
  if (incr.value === 0) { await c.warn(`invalid Zero increment value: '${f.args[1]}'`); return 'usage'; }
  const fmt = formatter(first, incr, last, f.has('w'));
  const sep = f.value('s') ?? '\n';
  let any = false;
  for (let i = 0; ; i++) {
    const x = first.value + i * incr.value;
    const past = incr.value > 0 ? x > last.value : x < last.value;
    // Past last only by rounding (0 .1 1): printed, it reads back as last, so GNU prints it.
    if (past && (i === 0 || Number(fmt(x)) !== last.value)) break;
    await c.out.text((any ? sep : '') + fmt(x));
    any = true;
    if (past) break;
  }
  if (any) await c.out.text('\n');
});
