// The control-flow graph of a function: predecessors, reverse postorder, the dominator tree
// (Cooper, Harvey and Kennedy's iterative algorithm) and dominance frontiers (their
// two-finger walk up from each join). Blocks are numbered by their index in f.blocks.

import type { Func } from './ir.ts';
import { succs } from './ir.ts';

export class Cfg {
  readonly n: number;
  readonly index: Map<string, number>;
  readonly succ: number[][];
  readonly pred: number[][];
  /** Reachable blocks from the entry in reverse postorder. */
  readonly rpo: number[];
  /** Position of each block in rpo; -1 when unreachable. */
  readonly rpoNum: number[];
  /** Immediate dominator (the entry's is itself; -1 when unreachable). */
  readonly idom: number[];
  readonly children: number[][];

  constructor(f: Func) {
    this.n = f.blocks.length;
    this.index = new Map(f.blocks.map((b, i) => [b.label, i]));
    this.succ = f.blocks.map((b) => succs(b).map((l) => this.index.get(l) ?? -1).filter((x) => x >= 0));
    this.pred = f.blocks.map(() => []);
    this.succ.forEach((ss, i) => { for (const s of ss) this.pred[s]!.push(i); });
    this.rpoNum = new Array<number>(this.n).fill(-1);
    const post: number[] = [];
    if (this.n) {
      // Iterative DFS (deep CFGs must not overflow the JS stack).
      const seen = new Uint8Array(this.n);
      const stack: Array<[number, number]> = [[0, 0]];
      seen[0] = 1;
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        const ss = this.succ[top[0]]!;
        if (top[1] < ss.length) {
          const s = ss[top[1]++]!;
          if (!seen[s]) { seen[s] = 1; stack.push([s, 0]); }
        } else { post.push(top[0]); stack.pop(); }
      }
    }
    this.rpo = post.reverse();
    this.rpo.forEach((b, k) => { this.rpoNum[b] = k; });
    this.idom = this.dominators();
    this.children = f.blocks.map(() => []);
    for (const b of this.rpo) if (b !== 0) this.children[this.idom[b]!]!.push(b);
  }

  reachable(b: number): boolean { return this.rpoNum[b]! >= 0; }

  private dominators(): number[] {
    const idom = new Array<number>(this.n).fill(-1);
    if (!this.n) return idom;
    idom[0] = 0;
    const intersect = (a: number, b: number): number => {
      while (a !== b) {
        while (this.rpoNum[a]! > this.rpoNum[b]!) a = idom[a]!;
        while (this.rpoNum[b]! > this.rpoNum[a]!) b = idom[b]!;
      }
      return a;
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const b of this.rpo) {
        if (b === 0) continue;
        let nd = -1;
        for (const p of this.pred[b]!) {
          if (idom[p] === -1) continue;
          nd = nd === -1 ? p : intersect(p, nd);
        }
        if (nd !== idom[b]) { idom[b] = nd; changed = true; }
      }
    }
    return idom;
  }

  /** Does a dominate b? (Both reachable.) */
  dominates(a: number, b: number): boolean {
    for (let x = b; ; x = this.idom[x]!) {
      if (x === a) return true;
      if (x === 0 || x < 0) return false;
    }
  }

  /** Dominance frontier of every block. */
  frontiers(): Set<number>[] {
    const df = Array.from({ length: this.n }, () => new Set<number>());
    for (const b of this.rpo) {
      const ps = this.pred[b]!.filter((p) => this.reachable(p));
      if (ps.length < 2) continue;
      for (const p of ps) {
        for (let r = p; r !== this.idom[b]; r = this.idom[r]!) df[r]!.add(b);
      }
    }
    return df;
  }
}
