// awk's built-in functions. Strings are bytes: length counts bytes, toupper and tolower
// change ASCII letters only. substr clamps its start to the string as the one true awk and
// mawk do (substr("hello", 0, 2) is "he"). sub and gsub replace & with the match, \& with a
// literal &, \\ with a backslash; an empty match right after a previous match is skipped, so
// gsub(/x*/, "-", "abc") gives -a-b-c-.

import type { Expr } from './ast.ts';
import type { Interp } from './interp.ts';
import { splitFields, splitRegex } from './record.ts';
import { AwkError } from './runtime.ts';
import type { Place } from './runtime.ts';
import { sprintf } from './format.ts';
import { isNumeric, strnum, toNum, UNINIT } from './value.ts';
import type { Value } from './value.ts';

const ARITY: Record<string, [number, number]> = {
  length: [0, 1], substr: [2, 3], index: [2, 2], split: [2, 3], sub: [2, 3], gsub: [2, 3], match: [2, 2],
  sprintf: [1, Infinity], sin: [1, 1], cos: [1, 1], atan2: [2, 2], exp: [1, 1], log: [1, 1], sqrt: [1, 1], int: [1, 1],
  rand: [0, 0], srand: [0, 1], tolower: [1, 1], toupper: [1, 1], system: [1, 1], close: [1, 1], fflush: [0, 1],
};

/** The replacement text as pieces: strings, and undefined where the match goes. */
function template(repl: string): Array<string | undefined> {
  const parts: Array<string | undefined> = [];
  let lit = '';
  for (let i = 0; i < repl.length; i++) {
    const ch = repl[i]!;
    if (ch === '\\' && (repl[i + 1] === '&' || repl[i + 1] === '\\')) { lit += repl[++i]; continue; }
    if (ch === '&') { parts.push(lit, undefined); lit = ''; continue; }
    lit += ch;
  }
  parts.push(lit);
  return parts;
}

/** Replace the first (or every) match of re in s; the new string and the count. */
export function substitute(s: string, re: RegExp, repl: string, global: boolean): { s: string; n: number } {
  const parts = template(repl);
  const fill = (m: string): string => parts.map((p) => p ?? m).join('');
  let out = '';
  let pos = 0;
  let n = 0;
  let lastEnd = -1;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index, len = m[0].length;
    if (len === 0 && start === lastEnd) {
      // No empty match right where the previous one ended: step over a byte.
      if (start >= s.length) break;
      out += s.slice(pos, start + 1);
      pos = start + 1;
      continue;
    }
    out += s.slice(pos, start) + fill(m[0]);
    n++;
    lastEnd = start + len;
    if (len === 0) {
      if (start < s.length) out += s[start];
      pos = start + 1;
    } else pos = start + len;
    if (!global) break;
  }
  if (pos < s.length) out += s.slice(pos);
  return { s: out, n };
}

function substr(s: string, start: number, len: number | undefined): string {
  const k = s.length;
  let m = Number.isNaN(start) ? 1 : Math.trunc(start);
  if (m <= 0) m = 1; else if (m > k) m = k + 1;
  let n = len === undefined ? k + 1 - m : Number.isNaN(len) ? 0 : Math.trunc(len);
  if (n < 0) n = 0; else if (n > k + 1 - m) n = k + 1 - m;
  return s.slice(m - 1, m - 1 + n);
}

const ascii = (s: string, upper: boolean): string => (upper ? s.replace(/[a-z]+/g, (x) => x.toUpperCase()) : s.replace(/[A-Z]+/g, (x) => x.toLowerCase()));

export async function callBuiltin(ip: Interp, name: string, args: Expr[]): Promise<Value> {
  const [lo, hi] = ARITY[name]!;
  if (args.length < lo || args.length > hi) throw new AwkError(`function ${name} called with ${args.length} args`);
  const num = async (i: number): Promise<number> => toNum(await ip.ev(args[i]!));
  const str = async (i: number): Promise<string> => ip.str(await ip.ev(args[i]!));
  switch (name) {
    case 'length': {
      if (args.length === 0) return ip.record.length;
      const a = args[0]!;
      if (a.k === 'var' && !(a.local < 0 && a.name === 'NF')) {
        const cell = ip.cell(a);
        if (ip.isArray(cell)) return ip.arrayOf(cell, a.name).size;
      }
      return (await str(0)).length;
    }
    case 'substr': {
      const s = await str(0);
      const m = await num(1);
      return substr(s, m, args.length > 2 ? await num(2) : undefined);
    }
    case 'index': {
      const s = await str(0);
      return s.indexOf(await str(1)) + 1;
    }
    case 'split': {
      const s = await str(0);
      const target = args[1]!;
      if (target.k !== 'var') throw new AwkError('split: second argument is not an array');
      let parts: string[];
      if (args.length < 3) parts = splitFields(s, ip.str(ip.FS.v), ip.regs);
      else if (args[2]!.k === 'regex') parts = splitRegex(s, args[2]!.src, ip.regs);
      else parts = splitFields(s, await str(2), ip.regs);
      const arr = ip.array(target);
      arr.clear();
      parts.forEach((p, i) => arr.set(String(i + 1), strnum(p)));
      return parts.length;
    }
    case 'sub': case 'gsub': {
      const re = ip.regs.global(await ip.regexSource(args[0]!));
      const repl = await str(1);
      const target = args[2];
      let place: Place | undefined;
      if (target === undefined) place = { k: 'field', i: 0 };
      else if (target.k === 'var' || target.k === 'index' || target.k === 'field') place = await ip.place(target);
      const subject = ip.str(place ? ip.get(place) : await ip.ev(target!));
      const r = substitute(subject, re, repl, name === 'gsub');
      if (r.n > 0 && place) ip.set(place, r.s);
      return r.n;
    }
    case 'match': {
      const s = await str(0);
      const re = ip.regs.global(await ip.regexSource(args[1]!));
      re.lastIndex = 0;
      const m = re.exec(s);
      ip.RSTART.v = m ? m.index + 1 : 0;
      ip.RLENGTH.v = m ? m[0].length : -1;
      return ip.RSTART.v;
    }
    case 'sprintf': {
      const vals: Value[] = [];
      for (const a of args) vals.push(await ip.ev(a));
      return ip.format(vals);
    }
    case 'sin': return Math.sin(await num(0));
    case 'cos': return Math.cos(await num(0));
    case 'atan2': { const y = await num(0); return Math.atan2(y, await num(1)); }
    case 'exp': return Math.exp(await num(0));
    case 'log': return Math.log(await num(0));
    case 'sqrt': return Math.sqrt(await num(0));
    case 'int': return Math.trunc(await num(0));
    case 'rand': return ip.rand();
    case 'srand': return ip.srand(args.length ? await num(0) : Math.floor(Date.now() / 1000));
    case 'tolower': return ascii(await str(0), false);
    case 'toupper': return ascii(await str(0), true);
    case 'system': return ip.streams.system(await str(0));
    case 'close': return ip.streams.close(await str(0));
    case 'fflush':
      if (args.length === 0) { await ip.streams.flushAll(); return 0; }
      return ip.streams.flush(await str(0));
    default: return UNINIT;
  }
}

/** printf's formatting under the interpreter's conversions. */
export function formatValues(vals: Value[], str: (v: Value) => string): string {
  if (vals.length === 0) return '';
  return sprintf(str(vals[0]!), vals.slice(1), str, { num: toNum, str }, isNumeric);
}
