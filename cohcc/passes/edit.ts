// Edits several passes share: dropping unreachable blocks (and their phi entries),
// substituting operands for variables everywhere, retargeting a branch.

import { Cfg } from '../cfg.ts';
import type { Block, Func, Inst, Operand } from '../ir.ts';
import { terminator } from '../ir.ts';

/** Remove the phi entries of block b that come from label. */
export function dropPhiEntries(b: Block, from: string): void {
  for (const i of b.insts) {
    if (i.op !== 'phi') break;
    const k = i.labels!.indexOf(from);
    if (k < 0) continue;
    i.labels!.splice(k, 1);
    i.args.splice(k, 1);
  }
}

/** Remove blocks the entry cannot reach; how many. */
export function removeUnreachable(f: Func): number {
  const cfg = new Cfg(f);
  const dead = f.blocks.filter((_, k) => !cfg.reachable(k));
  if (!dead.length) return 0;
  const gone = new Set(dead.map((b) => b.label));
  f.blocks = f.blocks.filter((b) => !gone.has(b.label));
  for (const b of f.blocks) for (const l of gone) dropPhiEntries(b, l);
  return dead.length;
}

/** Replace every use of the variables in subst (followed through chains). */
export function substitute(f: Func, subst: Map<string, Operand>): void {
  if (!subst.size) return;
  const resolve = (o: Operand): Operand => {
    let x = o;
    for (let n = 0; x.k === 'var' && subst.has(x.name) && n < 1e6; n++) x = subst.get(x.name)!;
    return x;
  };
  for (const b of f.blocks) for (const i of b.insts) i.args = i.args.map(resolve);
}

export function retarget(t: Inst, from: string, to: string): void {
  t.labels = t.labels!.map((l) => (l === from ? to : l));
}

/** Labels of the blocks that branch to each block (each once). */
export function predLabels(f: Func): Map<string, string[]> {
  const preds = new Map<string, string[]>(f.blocks.map((b) => [b.label, []]));
  for (const b of f.blocks) {
    const t = terminator(b);
    if (!t || t.op === 'ret') continue;
    for (const l of new Set(t.labels)) preds.get(l)?.push(b.label);
  }
  return preds;
}
