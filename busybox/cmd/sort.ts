// sort [-bfnrsu] [-t c] [-k pos1[,pos2]] ... [-o out] [file ...]: sort lines in byte order
// (LC_ALL=C), as GNU sort does: keys are compared in turn, and lines whose keys tie are
// compared whole as a last resort (not with -s or -u). -k F[.C][bfnr][,F[.C][bfnr]] selects
// fields; without -t a field starts at the blanks before it. Key options given with -k
// replace the global ones for that key. -n compares leading numbers (none is zero); -u keeps
// the first of each run of equal lines.

import { parseFlags, UsageError } from '../flags.ts';
import { byteCompare, bytestr, command, openOutput, Out } from '../io.ts';

interface KeyOpts {
  blanksStart: boolean;
  blanksEnd: boolean;
  fold: boolean;
  numeric: boolean;
  reverse: boolean;
}

interface Key extends KeyOpts {
  /** Field (0-based) and char (0-based) where the key starts. */
  sword: number;
  schar: number;
  /** Field and char where it ends (GNU's eword/echar); eword undefined: end of line. */
  eword: number | undefined;
  echar: number;
}

const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\n';

function parseKey(spec: string, global: KeyOpts): Key {
  const m = /^(\d+)(?:\.(\d+))?([bfnr]*)(?:,(\d+)(?:\.(\d+))?([bfnr]*))?$/.exec(spec);
  if (!m) throw new UsageError(`invalid key ${spec}`);
  const sword = Number(m[1]) - 1;
  const schar = m[2] === undefined ? 0 : Number(m[2]) - 1;
  if (sword < 0 || schar < 0) throw new UsageError(`invalid key ${spec}`);
  const eword = m[4] === undefined ? undefined : Number(m[4]) - 1;
  if (eword !== undefined && eword < 0) throw new UsageError(`invalid key ${spec}`);
  const echar = m[5] === undefined ? 0 : Number(m[5]);
  const o1 = m[3] ?? '', o2 = m[6] ?? '';
  const own = o1 + o2;
  const opts: KeyOpts = own === '' ? { ...global } : {
    blanksStart: o1.includes('b'), blanksEnd: o2.includes('b'),
    fold: own.includes('f'), numeric: own.includes('n'), reverse: own.includes('r'),
  };
  return { ...opts, sword, schar, eword, echar };
}

function begfield(s: string, k: Key, tab: string | undefined): number {
  let p = 0;
  const lim = s.length;
  for (let w = k.sword; p < lim && w > 0; w--) {
    if (tab !== undefined) {
      while (p < lim && s[p] !== tab) p++;
      if (p < lim) p++;
    } else {
      while (p < lim && isBlank(s[p])) p++;
      while (p < lim && !isBlank(s[p])) p++;
    }
  }
  if (k.blanksStart) while (p < lim && isBlank(s[p])) p++;
  return Math.min(lim, p + k.schar);
}

function limfield(s: string, k: Key, tab: string | undefined): number {
  let p = 0;
  const lim = s.length;
  let eword = k.eword!;
  if (k.echar === 0) eword++; // all of the end field
  while (p < lim && eword-- > 0) {
    if (tab !== undefined) {
      while (p < lim && s[p] !== tab) p++;
      if (p < lim && (eword || k.echar)) p++;
    } else {
      while (p < lim && isBlank(s[p])) p++;
      while (p < lim && !isBlank(s[p])) p++;
    }
  }
  if (k.echar !== 0) {
    if (k.blanksEnd) while (p < lim && isBlank(s[p])) p++;
    p = Math.min(lim, p + k.echar);
  }
  return p;
}

/** Compare the leading numbers of a and b as decimal strings (no precision is lost). */
export function numCompare(a: string, b: string): number {
  const parse = (s: string): { neg: boolean; int: string; frac: string } => {
    const m = /^[ \t\n]*(-?)(\d*)(?:\.(\d*))?/.exec(s)!;
    const int = (m[2] ?? '').replace(/^0+/, '');
    const frac = (m[3] ?? '').replace(/0+$/, '');
    return { neg: m[1] === '-' && (int !== '' || frac !== ''), int, frac };
  };
  const x = parse(a), y = parse(b);
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  let d = x.int.length - y.int.length;
  if (d === 0) d = x.int < y.int ? -1 : x.int > y.int ? 1 : 0;
  if (d === 0) {
    const n = Math.max(x.frac.length, y.frac.length);
    const fx = x.frac.padEnd(n, '0'), fy = y.frac.padEnd(n, '0');
    d = fx < fy ? -1 : fx > fy ? 1 : 0;
  }
  return x.neg && d !== 0 ? -Math.sign(d) : Math.sign(d);
}

function textCompare(a: string, b: string, fold: boolean): number {
  // Fold ASCII only: toUpperCase would also fold the Latin-1 letters a byte string holds.
  return fold ? byteCompare(a.replace(/[a-z]+/g, (m) => m.toUpperCase()), b.replace(/[a-z]+/g, (m) => m.toUpperCase())) : byteCompare(a, b);
}

/** The comparison sort uses: keys in turn, then (unless unique or stable) whole lines. */
export function comparator(keys: Key[], tab: string | undefined, lastResort: boolean, reverse: boolean): (a: string, b: string) => number {
  return (a, b) => {
    for (const k of keys) {
      const ka = a.slice(begfield(a, k, tab), k.eword === undefined ? a.length : Math.max(begfield(a, k, tab), limfield(a, k, tab)));
      const kb = b.slice(begfield(b, k, tab), k.eword === undefined ? b.length : Math.max(begfield(b, k, tab), limfield(b, k, tab)));
      let d = k.numeric ? numCompare(ka, kb) : textCompare(ka, kb, k.fold);
      if (k.reverse) d = -d;
      if (d) return d;
    }
    if (!lastResort) return 0;
    const d = byteCompare(a, b);
    return reverse ? -d : d;
  };
}

export const sort = command('sort', '[-bfnrsu] [-t c] [-k pos1[,pos2]] [-o file] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'bfnrsu', values: 'kto' });
  const t = f.value('t');
  const tab = t === undefined ? undefined : t === '\\t' ? '\t' : bytestr(t);
  if (tab !== undefined && tab.length !== 1) throw new UsageError('multi-character tab');
  const global: KeyOpts = { blanksStart: f.has('b'), blanksEnd: f.has('b'), fold: f.has('f'), numeric: f.has('n'), reverse: f.has('r') };
  const keys = f.values('k').map((k) => parseKey(k, global));
  // As GNU: global options with no -k make the whole line a key (so -n ties still fall back to bytes).
  if (keys.length === 0 && (global.blanksStart || global.fold || global.numeric || global.reverse)) {
    keys.push({ ...global, sword: 0, schar: 0, eword: undefined, echar: 0 });
  }
  const unique = f.has('u');
  const cmp = comparator(keys, tab, !(unique || f.has('s')) || keys.length === 0, global.reverse);

  const lines: string[] = [];
  await c.eachLine(f.args, (l) => { lines.push(l.text); });
  // Plain byte order needs no comparator: code unit order is byte order for byte strings.
  if (keys.length === 0) { lines.sort(); if (global.reverse) lines.reverse(); } else lines.sort(cmp);

  const dest = f.value('o');
  const fd = dest === undefined ? 1 : await openOutput(c.sys, dest);
  const out = fd === 1 ? c.out : new Out(c.sys, fd);
  let prev: string | undefined;
  for (const l of lines) {
    if (unique && prev !== undefined && cmp(prev, l) === 0) continue;
    prev = l;
    const w = out.bytes(l + '\n');
    if (w) await w;
  }
  await out.flush();
  if (fd !== 1) await c.sys.close(fd);
});
