// tr [-cds] set1 [set2]: copy standard input to standard output, translating bytes in set1
// to the byte at the same place in set2 (set2 is padded with its last byte), deleting them
// (-d), squeezing runs of a byte in the last set given into one (-s), with set1 complemented
// (-c). Sets are GNU's: ranges a-z, escapes \n \t \\ \NNN (octal), classes [:lower:] etc.,
// [c*n] and [c*] (fill) in set2. Bytes, not characters, as GNU tr.

import { parseFlags, UsageError } from '../flags.ts';
import { bytestr, command, Out } from '../io.ts';
import { classRanges } from '../regexp.ts';

const ESC: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/** One element of a set: a byte, or a [c*n] repeat (n undefined: fill). */
type Elem = { byte: number } | { repeat: number; n: number | undefined };

/** Parse a set into elements; classes and ranges are expanded here. */
export function parseSet(s: string, allowRepeat: boolean): Elem[] {
  const out: Elem[] = [];
  let i = 0;
  const one = (): number => {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1));
      if (oct) { i += 1 + oct[0].length; return parseInt(oct[0], 8) & 0xff; }
      const e = s[i + 1]!;
      i += 2;
      return ESC[e] ?? e.charCodeAt(0);
    }
    i++;
    return ch.charCodeAt(0);
  };
  while (i < s.length) {
    if (s[i] === '[') {
      const cls = /^\[:([a-z]+):\]/.exec(s.slice(i));
      const ranges = cls ? classRanges(cls[1]!) : undefined;
      if (cls && ranges) {
        for (const [lo, hi] of ranges) for (let b = lo; b <= hi; b++) out.push({ byte: b });
        i += cls[0].length;
        continue;
      }
      const eq = /^\[=(.)=\]/.exec(s.slice(i));
      if (eq) { out.push({ byte: eq[1]!.charCodeAt(0) }); i += eq[0].length; continue; }
      if (allowRepeat) {
        const save = i;
        i++;
        if (i < s.length) {
          const b = one();
          const rep = /^\*(\d*)\]/.exec(s.slice(i));
          if (rep) {
            const n = rep[1] === '' ? undefined : parseInt(rep[1]!, rep[1]!.startsWith('0') ? 8 : 10);
            out.push({ repeat: b, n: n === 0 ? undefined : n });
            i += rep[0].length;
            continue;
          }
        }
        i = save;
      }
    }
    const lo = one();
    if (s[i] === '-' && i + 1 < s.length) {
      i++;
      const hi = one();
      if (hi < lo) throw new UsageError(`range-endpoints of '${String.fromCharCode(lo)}-${String.fromCharCode(hi)}' are in reverse collating sequence order`);
      for (let b = lo; b <= hi; b++) out.push({ byte: b });
      continue;
    }
    out.push({ byte: lo });
  }
  return out;
}

/** The bytes of a set, with a fill repeat stretched to make it `want` long. */
export function expand(elems: Elem[], want = 0): number[] {
  const fixed = elems.reduce((n, e) => n + ('byte' in e ? 1 : e.n ?? 0), 0);
  const out: number[] = [];
  for (const e of elems) {
    if ('byte' in e) out.push(e.byte);
    else for (let k = 0, n = e.n ?? Math.max(0, want - fixed); k < n; k++) out.push(e.repeat);
  }
  return out;
}

function complement(bytes: number[]): number[] {
  const inSet = new Set(bytes);
  const out: number[] = [];
  for (let b = 0; b < 256; b++) if (!inSet.has(b)) out.push(b);
  return out;
}

export const tr = command('tr', '[-cds] set1 [set2]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'cdsC' });
  const del = f.has('d'), squeeze = f.has('s'), comp = f.has('c') || f.has('C');
  const [a1, a2] = f.args;
  if (a1 === undefined || f.args.length > 2) throw new UsageError();
  if (del && !squeeze && a2 !== undefined) throw new UsageError('extra operand');
  if (!del && !squeeze && a2 === undefined) throw new UsageError('missing operand');

  let set1 = expand(parseSet(bytestr(a1), false));
  if (comp) set1 = complement(set1);
  const set2 = a2 === undefined ? undefined : expand(parseSet(bytestr(a2), true), set1.length);

  // map[b] = what b becomes; -1 deletes it.
  const map = new Int16Array(256);
  for (let b = 0; b < 256; b++) map[b] = b;
  if (del) for (const b of set1) map[b] = -1;
  else if (set2 !== undefined) {
    if (set2.length === 0) throw new UsageError('when not truncating set1, string2 must be non-empty');
    set1.forEach((b, i) => { map[b] = set2[Math.min(i, set2.length - 1)]!; });
  }
  const squeezeSet = new Uint8Array(256);
  if (squeeze) for (const b of (del || set2 === undefined ? set2 ?? set1 : set2)) squeezeSet[b] = 1;

  let last = -1;
  const buf = new Uint8Array(Out.CHUNK);
  for (;;) {
    await c.out.flush(); // before a read that may wait: answer what came so far
    const d = await c.sys.read(0, Out.CHUNK);
    if (d.length === 0) break;
    let n = 0;
    for (let i = 0; i < d.length; i++) {
      const m = map[d[i]!]!;
      if (m < 0) continue;
      if (m === last && squeezeSet[m]) continue;
      buf[n++] = m;
      last = m;
    }
    await c.out.raw(buf.slice(0, n));
  }
});
