// The edit script between two sequences of line classes, as GNU diff computes it, so our
// output agrees with theirs hunk for hunk: the common prefix and suffix are set aside (but
// for a horizon of context lines), lines without a match in the other file are discarded, the
// middle is compared with Myers' O(ND) algorithm in its linear-space form (bidirectional
// search for the middle snake, then each half recursively, as in Myers 1986, section 4.2),
// and runs of changes are then slid along runs of equal lines so that they merge with their
// neighbours and otherwise sit as late as possible (GNU's shift_boundaries).

/** One change: from 0-based line line0 of a, deleted lines go; from line1 of b, inserted come. */
export interface Change {
  line0: number;
  line1: number;
  deleted: number;
  inserted: number;
}

interface Snake {
  x: number;
  y: number;
}

/** Mark changed lines of a[xoff, xlim) and b[yoff, ylim); ca/cb are indexed from 1 (0 is a sentinel). */
class Comparer {
  readonly a: ArrayLike<number>;
  readonly b: ArrayLike<number>;
  readonly ca: Uint8Array;
  readonly cb: Uint8Array;
  readonly fd: Int32Array;
  readonly bd: Int32Array;
  /** Index of diagonal 0 in fd and bd. */
  readonly off: number;

  constructor(a: ArrayLike<number>, b: ArrayLike<number>) {
    this.a = a;
    this.b = b;
    this.ca = new Uint8Array(a.length + 2);
    this.cb = new Uint8Array(b.length + 2);
    const size = a.length + b.length + 3;
    this.fd = new Int32Array(size);
    this.bd = new Int32Array(size);
    this.off = b.length + 1;
  }

  /** The middle snake of the shortest edit script of the two portions (their ends differ). */
  middle(xoff: number, xlim: number, yoff: number, ylim: number): Snake {
    const { a, b, fd, bd, off } = this;
    const dmin = xoff - ylim, dmax = xlim - yoff;
    const fmid = xoff - yoff, bmid = xlim - ylim;
    let fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    const odd = ((fmid - bmid) & 1) !== 0;
    fd[fmid + off] = xoff;
    bd[bmid + off] = xlim;
    for (;;) {
      // One more edit forwards on every diagonal in reach.
      if (fmin > dmin) fd[--fmin - 1 + off] = -1; else ++fmin;
      if (fmax < dmax) fd[++fmax + 1 + off] = -1; else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const lo = fd[d - 1 + off]!, hi = fd[d + 1 + off]!;
        let x = lo < hi ? hi : lo + 1;
        let y = x - d;
        while (x < xlim && y < ylim && a[x] === b[y]) { x++; y++; }
        fd[d + off] = x;
        if (odd && bmin <= d && d <= bmax && bd[d + off]! <= x) return { x, y };
      }
      // And backwards.
      if (bmin > dmin) bd[--bmin - 1 + off] = 0x7fffffff; else ++bmin;
      if (bmax < dmax) bd[++bmax + 1 + off] = 0x7fffffff; else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const lo = bd[d - 1 + off]!, hi = bd[d + 1 + off]!;
        let x = lo < hi ? lo : hi - 1;
        let y = x - d;
        while (xoff < x && yoff < y && a[x - 1] === b[y - 1]) { x--; y--; }
        bd[d + off] = x;
        if (!odd && fmin <= d && d <= fmax && x <= fd[d + off]!) return { x, y };
      }
    }
  }

  compare(xoff: number, xlim: number, yoff: number, ylim: number): void {
    const { a, b } = this;
    while (xoff < xlim && yoff < ylim && a[xoff] === b[yoff]) { xoff++; yoff++; }
    while (xoff < xlim && yoff < ylim && a[xlim - 1] === b[ylim - 1]) { xlim--; ylim--; }
    if (xoff === xlim) { for (; yoff < ylim; yoff++) this.cb[yoff + 1] = 1; return; }
    if (yoff === ylim) { for (; xoff < xlim; xoff++) this.ca[xoff + 1] = 1; return; }
    const m = this.middle(xoff, xlim, yoff, ylim);
    this.compare(xoff, m.x, yoff, m.y);
    this.compare(m.x, xlim, m.y, ylim);
  }
}

/**
 * Slide each run of changes of one sequence over equal lines: back to merge with an earlier
 * run, forward as far as it goes, then back to line up with a run in the other sequence.
 * changed and other are indexed from 1, with zero sentinels at both ends.
 */
function shiftBoundaries(eq: ArrayLike<number>, changed: Uint8Array, other: Uint8Array): void {
  const end = eq.length;
  const ch = (k: number): number => changed[k + 1]!;
  const set = (k: number, v: number): void => { changed[k + 1] = v; };
  const oth = (k: number): number => other[k + 1]!;
  let i = 0, j = 0;
  for (;;) {
    while (i < end && !ch(i)) {
      while (oth(j++));
      i++;
    }
    if (i === end) return;
    let start = i;
    while (ch(++i));
    while (oth(j)) j++;
    let run: number;
    let corresponding: number;
    do {
      run = i - start;
      while (start && eq[start - 1] === eq[i - 1]) {
        set(--start, 1);
        set(--i, 0);
        while (ch(start - 1)) start--;
        while (oth(--j));
      }
      corresponding = oth(j - 1) ? i : end;
      while (i !== end && eq[start] === eq[i]) {
        set(start++, 0);
        set(i++, 1);
        while (ch(i)) i++;
        while (oth(++j)) corresponding = i;
      }
    } while (run !== i - start);
    while (corresponding < i) {
      set(--start, 1);
      set(--i, 0);
      while (oth(--j));
    }
  }
}

/** floor(log2(n)) for n >= 1. */
const log2 = (n: number): number => 31 - Math.clz32(n);

/**
 * GNU's discard_confusing_lines: which lines to leave out of the comparison. A line with no
 * match in the other sequence is certainly changed (1); one with very many matches is
 * provisionally so (2), and stays out only inside a run of certain ones.
 */
function discards(eq: number[], counts: Map<number, number>): Uint8Array {
  const end = eq.length;
  const d = new Uint8Array(end);
  const many = 5 << (end < 64 ? 0 : (log2(end) >> 1) - 3);
  for (let i = 0; i < end; i++) {
    const n = counts.get(eq[i]!) ?? 0;
    if (n === 0) d[i] = 1; else if (n > many) d[i] = 2;
  }
  for (let i = 0; i < end; i++) {
    if (d[i] === 2) { d[i] = 0; continue; }
    if (d[i] === 0) continue;
    let provisional = 0;
    let j = i;
    for (; j < end && d[j] !== 0; j++) if (d[j] === 2) provisional++;
    while (j > i && d[j - 1] === 2) { d[--j] = 0; provisional--; }
    const length = j - i;
    if (length >> 2 < provisional) {
      while (j > i) if (d[--j] === 2) d[j] = 0;
    } else {
      const minimum = length < 4 ? 2 : (1 << ((log2(length) >> 1) - 1)) + 1;
      let consec = 0;
      for (j = 0; j < length; j++) {
        if (d[i + j] !== 2) consec = 0;
        else if (minimum === ++consec) j -= consec;
        else if (minimum < consec) d[i + j] = 0;
      }
      consec = 0;
      for (j = 0; j < length; j++) {
        if (j >= 8 && d[i + j] === 1) break;
        if (d[i + j] === 2) { consec = 0; d[i + j] = 0; } else if (d[i + j] === 0) consec = 0; else consec++;
        if (consec === 3) break;
      }
      i += length - 1;
      consec = 0;
      for (j = 0; j < length; j++) {
        if (j >= 8 && d[i - j] === 1) break;
        if (d[i - j] === 2) { consec = 0; d[i - j] = 0; } else if (d[i - j] === 0) consec = 0; else consec++;
        if (consec === 3) break;
      }
    }
  }
  return d;
}

function tally(eq: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of eq) m.set(e, (m.get(e) ?? 0) + 1);
  return m;
}

/**
 * The changes that turn a into b, in order; elements are line classes (equal lines, equal
 * numbers). horizon is how many lines of the common prefix and suffix stay in the comparison
 * (GNU keeps the context size, so -u's hunks may slide into them; 0 for the normal format).
 */
export function editScript(a: ArrayLike<number>, b: ArrayLike<number>, horizon = 0): Change[] {
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  const pre = Math.max(0, same - horizon);
  let tail = 0;
  while (tail < a.length - pre && tail < b.length - pre && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const suf = Math.max(0, tail - horizon);
  const ma = Array.prototype.slice.call(a, pre, a.length - suf) as number[];
  const mb = Array.prototype.slice.call(b, pre, b.length - suf) as number[];
  // Compare only the lines not discarded; discarded ones are changes already.
  const da = discards(ma, tally(mb)), db = discards(mb, tally(ma));
  const ka: number[] = [], kb: number[] = [];
  const ia: number[] = [], ib: number[] = [];
  ma.forEach((e, i) => { if (!da[i]) { ka.push(e); ia.push(i); } });
  mb.forEach((e, i) => { if (!db[i]) { kb.push(e); ib.push(i); } });
  const cmp = new Comparer(ka, kb);
  cmp.compare(0, ka.length, 0, kb.length);
  const ca = new Uint8Array(ma.length + 2), cb = new Uint8Array(mb.length + 2);
  da.forEach((v, i) => { if (v) ca[i + 1] = 1; });
  db.forEach((v, i) => { if (v) cb[i + 1] = 1; });
  ia.forEach((r, k) => { if (cmp.ca[k + 1]) ca[r + 1] = 1; });
  ib.forEach((r, k) => { if (cmp.cb[k + 1]) cb[r + 1] = 1; });
  shiftBoundaries(ma, ca, cb);
  shiftBoundaries(mb, cb, ca);
  const out: Change[] = [];
  let i = 0, j = 0;
  while (i < ma.length || j < mb.length) {
    if (ca[i + 1] || cb[j + 1]) {
      const i0 = i, j0 = j;
      while (ca[i + 1]) i++;
      while (cb[j + 1]) j++;
      out.push({ line0: i0 + pre, line1: j0 + pre, deleted: i - i0, inserted: j - j0 });
    }
    i++;
    j++;
  }
  return out;
}
