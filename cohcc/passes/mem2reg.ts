// SSA construction from memory form (Cytron et al.): an alloca of one element whose address
// is only ever loaded from and stored to, with its own type, becomes SSA variables. Phis go
// at the iterated dominance frontier of the blocks that store to it; a walk of the dominator
// tree then renames: a store pushes the value, a load becomes the value on top, and each
// successor's phi takes the value at the end of the block. Before any store the value is
// zero (allocas are zero-filled, in every backend).

import { Cfg } from '../cfg.ts';
import { zeroOf } from '../eval.ts';
import type { Func, Inst, Operand, Type } from '../ir.ts';
import { NOPOS } from '../ir.ts';
import { removeUnreachable, substitute } from './edit.ts';
import type { Pass } from './pass.ts';
import { freshNamer } from './pass.ts';

function promotable(f: Func): Map<string, Type> {
  const cand = new Map<string, Type>();
  for (const b of f.blocks) for (const i of b.insts) if (i.op === 'alloca' && (i.count ?? 1) === 1) cand.set(i.dst!, i.type as Type);
  for (const b of f.blocks) for (const i of b.insts) {
    i.args.forEach((a, n) => {
      if (a.k !== 'var' || !cand.has(a.name)) return;
      const t = cand.get(a.name);
      const ok = (i.op === 'load' && n === 0 && i.type === t) || (i.op === 'store' && n === 1 && i.type === t);
      if (!ok) cand.delete(a.name);
    });
  }
  return cand;
}

export const mem2reg: Pass = {
  name: 'mem2reg',
  about: 'promote allocas to SSA variables: dominance frontiers, phi insertion, renaming',
  run(f: Func): number {
    removeUnreachable(f);
    const vars = promotable(f);
    if (!vars.size) return 0;
    const cfg = new Cfg(f);
    const df = cfg.frontiers();
    const fresh = freshNamer(f);
    const phiVar = new Map<Inst, string>();
    // Phi insertion at the iterated dominance frontier of the stores.
    for (const [a, t] of vars) {
      const work: number[] = [];
      f.blocks.forEach((b, k) => { if (b.insts.some((i) => i.op === 'store' && i.args[1]!.k === 'var' && i.args[1]!.name === a)) work.push(k); });
      const has = new Set<number>();
      const queued = new Set(work);
      while (work.length) {
        const x = work.pop()!;
        for (const y of df[x]!) {
          if (has.has(y)) continue;
          has.add(y);
          const blk = f.blocks[y]!;
          const phi: Inst = { op: 'phi', dst: fresh(`${a}.${blk.label}`), type: t, args: [], labels: [], pos: NOPOS };
          blk.insts.unshift(phi);
          phiVar.set(phi, a);
          if (!queued.has(y)) { queued.add(y); work.push(y); }
        }
      }
    }
    // Renaming along the dominator tree.
    const subst = new Map<string, Operand>();
    const resolve = (o: Operand): Operand => {
      let x = o;
      while (x.k === 'var' && subst.has(x.name)) x = subst.get(x.name)!;
      return x;
    };
    const stacks = new Map<string, Operand[]>([...vars].map(([a, t]) => [a, [{ k: 'const', type: t, v: zeroOf(t) }]]));
    const top = (a: string): Operand => { const s = stacks.get(a)!; return s[s.length - 1]!; };
    const addr = (i: Inst): string | undefined => {
      const o = i.op === 'load' ? i.args[0] : i.op === 'store' ? i.args[1] : undefined;
      return o?.k === 'var' && vars.has(o.name) ? o.name : undefined;
    };
    let removed = 0;
    const walk = (k: number): void => {
      const b = f.blocks[k]!;
      const pushed: string[] = [];
      const kept: Inst[] = [];
      for (const i of b.insts) {
        const pv = phiVar.get(i);
        if (pv) { stacks.get(pv)!.push({ k: 'var', name: i.dst! }); pushed.push(pv); kept.push(i); continue; }
        if (i.op !== 'phi') i.args = i.args.map(resolve);
        const a = addr(i);
        if (i.op === 'alloca' && vars.has(i.dst!)) { removed++; continue; }
        if (a && i.op === 'load') { subst.set(i.dst!, top(a)); removed++; continue; }
        if (a && i.op === 'store') { stacks.get(a)!.push(i.args[0]!); pushed.push(a); removed++; continue; }
        kept.push(i);
      }
      b.insts = kept;
      for (const s of new Set(cfg.succ[k])) {
        for (const i of f.blocks[s]!.insts) {
          const pv = phiVar.get(i);
          if (!pv) continue;
          i.args.push(resolve(top(pv)));
          i.labels!.push(b.label);
        }
      }
      for (const c of cfg.children[k]!) walk(c);
      for (const a of pushed) stacks.get(a)!.pop();
    };
    walk(0);
    substitute(f, subst);
    return removed + phiVar.size;
  },
};
