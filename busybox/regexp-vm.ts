// Plan 9's matching rule for a parsed expression (regexp-parse.ts): the leftmost match, then
// the longest, with the submatches Plan 9's regexec(2) reports. The program has the shape
// libregexp's regcomp gives it and runs as its rregexec does (a Thompson NFA over bytes, two
// thread lists, one step per byte), because which submatches win a tie depends on that shape:
//
//   x|y   OR: y is followed at once, x waits at the end of the current list
//   x*    OR: what follows is followed at once, another x waits   (so (x*)(y|xy)* on xy
//   x+ x? likewise                                                  gives \1 empty, \2 xy)
//
// A thread that reaches an instruction already waiting in a list gives way unless it started
// earlier; an END replaces the match so far only if it started earlier or ends later.
// Linear in the input: a list holds each instruction a bounded number of times (libregexp
// would give up on such lists and report no match: its lists hold 48 threads).

import type { Node, Parsed } from './regexp-parse.ts';

const SET = 0, LBRA = 1, RBRA = 2, OR = 3, BOL = 4, EOL = 5, END = 6, NOP = 7;

/** How often an instruction may come back to one list in one step (empty loops). */
const REVISITS = 8;

export interface Program {
  readonly type: Uint8Array;
  readonly next: Int32Array;
  readonly right: Int32Array;
  /** The group of LBRA and RBRA. */
  readonly sub: Int32Array;
  /** The byte table of each SET: 256 entries an instruction. */
  readonly sets: Uint8Array;
  readonly start: number;
  /** Two slots (start, end) per group and for the whole match. */
  readonly ncap: number;
  /** The bytes a match can start with, or undefined when it may be empty (then any place can start one). */
  readonly first: Uint8Array | undefined;
  /** Whether a match can start with ^ or $ (so at the start or end of the subject, whatever its bytes). */
  readonly anchored: boolean;
  /** The lists of the last run, kept for the next (execute is not reentrant: it calls nothing). */
  scratch?: Scratch;
}

interface Scratch {
  a: List;
  b: List;
  cur: Int32Array;
  best: Int32Array;
  fresh: Int32Array;
  /** Steps so far: list marks from earlier runs never equal a new step. */
  step: number;
}

/** A match: caps[2k], caps[2k+1] are where group k (0: the whole match) starts and ends, -1 if unset. */
export interface Match {
  start: number;
  end: number;
  caps: Int32Array;
}

interface Frag { first: number; last: number }

/** Compile as regcomp does; NOPs (the joins of | and ?) are skipped once all is linked. */
export function compile(p: Parsed): Program {
  const type: number[] = [], next: number[] = [], right: number[] = [], sub: number[] = [];
  const sets: Array<Uint8Array | undefined> = [];
  const inst = (t: number, arg = 0, set?: Uint8Array): number => {
    type.push(t); next.push(-1); right.push(-1); sub.push(arg); sets.push(set);
    return type.length - 1;
  };
  const one = (i: number): Frag => ({ first: i, last: i });
  const orOf = (body: Frag, follow: number): number => {
    const o = inst(OR);
    right[o] = body.first;
    next[o] = follow;
    return o;
  };
  const build = (n: Node): Frag => {
    switch (n.t) {
      case 'set': return one(inst(SET, 0, n.bytes));
      case 'bol': return one(inst(BOL));
      case 'eol': return one(inst(EOL));
      case 'cat': {
        if (n.items.length === 0) return one(inst(NOP));
        const fs = n.items.map(build);
        for (let k = 1; k < fs.length; k++) next[fs[k - 1]!.last] = fs[k]!.first;
        return { first: fs[0]!.first, last: fs[fs.length - 1]!.last };
      }
      case 'alt': {
        // Left-associative, as regcomp's operator stack: a|b|c is (a|b)|c.
        let acc = build(n.alts[0]!);
        for (const a of n.alts.slice(1)) {
          const b = build(a);
          const join = inst(NOP);
          next[acc.last] = join;
          next[b.last] = join;
          acc = { first: orOf(acc, b.first), last: join };
        }
        return acc;
      }
      case 'group': {
        const body = build(n.body);
        const l = inst(LBRA, n.n), r = inst(RBRA, n.n);
        next[l] = body.first;
        next[body.last] = r;
        return { first: l, last: r };
      }
      case 'close': return closure(n.op, build(n.body));
      case 'repeat': {
        // A GNU interval: min copies, then a star, or max-min nested optional copies.
        const parts: Frag[] = [];
        for (let k = 0; k < n.min; k++) parts.push(build(n.body));
        if (n.max === undefined) parts.push(closure('*', build(n.body)));
        else {
          let opt: Frag | undefined;
          for (let k = n.min; k < n.max; k++) {
            const b = build(n.body);
            if (opt) next[b.last] = opt.first;
            opt = closure('?', opt ? { first: b.first, last: opt.last } : b);
          }
          if (opt) parts.push(opt);
        }
        if (parts.length === 0) return one(inst(NOP));
        for (let k = 1; k < parts.length; k++) next[parts[k - 1]!.last] = parts[k]!.first;
        return { first: parts[0]!.first, last: parts[parts.length - 1]!.last };
      }
    }
  };
  const closure = (op: '*' | '+' | '?', body: Frag): Frag => {
    if (op === '?') {
      const join = inst(NOP);
      next[body.last] = join;
      return { first: orOf(body, join), last: join };
    }
    const o = orOf(body, -1);
    next[body.last] = o;
    return op === '*' ? one(o) : { first: body.first, last: o };
  };
  const whole = build(p.root);
  const end = inst(END);
  next[whole.last] = end;
  const skip = (i: number): number => {
    while (type[i] === NOP) i = next[i]!;
    return i;
  };
  for (let i = 0; i < type.length; i++) {
    if (next[i]! >= 0) next[i] = skip(next[i]!);
    if (right[i]! >= 0) right[i] = skip(right[i]!);
  }
  const start = skip(whole.first);
  const tables = new Uint8Array(type.length * 256);
  sets.forEach((t, i) => { if (t) tables.set(t, i * 256); });
  return {
    type: Uint8Array.from(type), next: Int32Array.from(next), right: Int32Array.from(right),
    sub: Int32Array.from(sub), sets: tables, start, ncap: 2 * (p.groups + 1), ...firstBytes(type, next, right, sets, start),
  };
}

/** What a thread just started can do before it consumes a byte: which bytes it takes, whether it may end or meet an anchor. */
function firstBytes(type: number[], next: number[], right: number[], sets: Array<Uint8Array | undefined>, start: number): { first: Uint8Array | undefined; anchored: boolean } {
  const first = new Uint8Array(256);
  const seen = new Set<number>();
  const todo = [start];
  let anchored = false;
  while (todo.length) {
    const pc = todo.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    switch (type[pc]) {
      case SET: for (let c = 0; c < 256; c++) if (sets[pc]![c]) first[c] = 1; break;
      case END: return { first: undefined, anchored: true };
      case BOL: case EOL: anchored = true; break;
      case OR: todo.push(right[pc]!, next[pc]!); break;
      default: todo.push(next[pc]!);
    }
  }
  return { first, anchored };
}

/** A thread list: each entry an instruction and its submatch slots. */
class List {
  pc: Int32Array;
  caps: Int32Array;
  /** The entry before this one with the same instruction in this step, or -1. */
  prev: Int32Array;
  len = 0;
  /** The last entry of each instruction in this step (valid where mark is this list's step). */
  readonly last: Int32Array;
  readonly mark: Int32Array;
  step = 0;
  readonly ncap: number;
  constructor(ninst: number, ncap: number) {
    const n = Math.max(8, ninst);
    this.ncap = ncap;
    this.pc = new Int32Array(n);
    this.caps = new Int32Array(n * ncap);
    this.prev = new Int32Array(n);
    this.last = new Int32Array(ninst);
    this.mark = new Int32Array(ninst);
  }

  reset(step: number): void { this.len = 0; this.step = step; }

  find(pc: number): number { return this.mark[pc] === this.step ? this.last[pc]! : -1; }

  /** Append an entry for pc with caps copied from src at off. */
  push(pc: number, src: Int32Array, off: number): number {
    if (this.len === this.pc.length) {
      const grow = (a: Int32Array, n: number): Int32Array => { const b = new Int32Array(n); b.set(a); return b; };
      this.pc = grow(this.pc, this.len * 2);
      this.prev = grow(this.prev, this.len * 2);
      this.caps = grow(this.caps, this.len * 2 * this.ncap);
    }
    const k = this.len++;
    this.pc[k] = pc;
    this.prev[k] = this.find(pc);
    this.last[pc] = k;
    this.mark[pc] = this.step;
    const base = k * this.ncap;
    for (let j = 0; j < this.ncap; j++) this.caps[base + j] = src[off + j]!;
    return k;
  }

  /** _renewthread on a list not yet run: an entry for pc keeps the earlier start. */
  add(pc: number, cur: Int32Array): void {
    const k = this.find(pc);
    if (k < 0) this.push(pc, cur, 0);
    else if (cur[0]! < this.caps[k * this.ncap]!) this.caps.set(cur, k * this.ncap);
  }

  /** _renewthread on the running list from entry t on (the OR's other branch, run later in this step). */
  defer(t: number, pc: number, cur: Int32Array): void {
    const { ncap } = this;
    const k = this.find(pc);
    if (k >= t) {
      if (cur[0]! < this.caps[k * ncap]!) this.caps.set(cur, k * ncap);
      return;
    }
    // Already run in this step: again only with other submatches, and a bounded number of times.
    let times = 0;
    for (let j = k; j >= 0; j = this.prev[j]!) {
      let same = true;
      for (let x = 0; x < ncap && same; x++) same = this.caps[j * ncap + x] === cur[x];
      if (same || ++times >= REVISITS) return;
    }
    this.push(pc, cur, 0);
  }
}

/**
 * Plan 9's match in s at or after from, or null: ^ matches only at 0 and $ only at the end
 * (sed's pattern space as one line, as GNU's).
 */
export function execute(p: Program, s: string, from: number): Match | null {
  const { type, next, right, sub, sets, ncap } = p;
  const ninst = type.length;
  const sc = p.scratch ??= {
    a: new List(ninst, ncap), b: new List(ninst, ncap),
    cur: new Int32Array(ncap), best: new Int32Array(ncap), fresh: new Int32Array(ncap).fill(-1), step: 0,
  };
  if (sc.step > 0x3fffffff) { sc.a.mark.fill(0); sc.b.mark.fill(0); sc.step = 0; }
  let tl = sc.a, nl = sc.b;
  const { cur, best, fresh } = sc;
  best.fill(-1);
  let matched = false;
  let step = sc.step + 1;
  tl.reset(step);
  const n = s.length;
  const { first, anchored } = p;
  for (let i = from; ; i++) {
    // With no thread running, a new one can only get anywhere where its first byte is (rregexec's
    // checkstart), or at the ends if it begins with an anchor.
    if (tl.len === 0 && first) {
      while (i < n && !first[s.charCodeAt(i)] && !(anchored && i === 0)) i++;
    }
    const r = i < n ? s.charCodeAt(i) : -1;
    nl.reset(++step);
    // A new thread starts here, unless one that started earlier waits at the first instruction.
    if (tl.find(p.start) < 0) { fresh[0] = i; tl.push(p.start, fresh, 0); }
    for (let t = 0; t < tl.len; t++) {
      for (let k = 0; k < ncap; k++) cur[k] = tl.caps[t * ncap + k]!;
      let pc = tl.pc[t]!;
      for (let run = true; run;) {
        switch (type[pc]) {
          case SET:
            if (r >= 0 && sets[(pc << 8) | r]) nl.add(next[pc]!, cur);
            run = false;
            break;
          case LBRA: cur[2 * sub[pc]!] = i; pc = next[pc]!; break;
          case RBRA: cur[2 * sub[pc]! + 1] = i; pc = next[pc]!; break;
          case BOL: if (i === 0) pc = next[pc]!; else run = false; break;
          case EOL: if (i === n) pc = next[pc]!; else run = false; break;
          case OR: tl.defer(t, right[pc]!, cur); pc = next[pc]!; break;
          case END:
            cur[1] = i;
            if (!matched || cur[0]! < best[0]! || (cur[0] === best[0] && i > best[1]!)) best.set(cur);
            matched = true;
            run = false;
            break;
          default: run = false; // NOP: skipped at compile time
        }
      }
    }
    if (i >= n) break;
    // Done when no thread left could start at or before the match.
    if (matched) {
      let live = false;
      for (let t = 0; t < nl.len && !live; t++) live = nl.caps[t * ncap]! <= best[0]!;
      if (!live) break;
    }
    const t = tl;
    tl = nl;
    nl = t;
  }
  sc.step = step;
  return matched ? { start: best[0]!, end: best[1]!, caps: best.slice() } : null;
}
