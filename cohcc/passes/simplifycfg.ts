// Simplify the CFG: a condbr whose targets agree, or whose condition is a constant, becomes
// a br; a block that only jumps on is bypassed; a block whose only predecessor jumps only to
// it is merged into that predecessor; unreachable blocks go. Repeated until nothing changes.

import type { Block, Func, Inst } from '../ir.ts';
import { terminator } from '../ir.ts';
import { dropPhiEntries, predLabels, removeUnreachable, retarget } from './edit.ts';
import type { Pass } from './pass.ts';

function foldBranches(f: Func, byLabel: Map<string, Block>): number {
  let n = 0;
  for (const b of f.blocks) {
    const t = terminator(b)!;
    if (t.op !== 'condbr') continue;
    const c = t.args[0]!;
    const [yes, no] = t.labels as [string, string];
    let keep: string | undefined;
    if (yes === no) keep = yes;
    else if (c.k === 'const') {
      keep = c.v !== 0 ? yes : no;
      dropPhiEntries(byLabel.get(keep === yes ? no : yes)!, b.label);
    }
    if (keep === undefined) continue;
    b.insts[b.insts.length - 1] = { op: 'br', type: 'void', args: [], labels: [keep], pos: t.pos };
    n++;
  }
  return n;
}

/** Bypass a block E = `br T` (no phis): its predecessors branch to T directly. */
function bypass(f: Func, byLabel: Map<string, Block>): number {
  const preds = predLabels(f);
  for (const e of f.blocks.slice(1)) {
    if (e.insts.length !== 1 || e.insts[0]!.op !== 'br') continue;
    const to = e.insts[0]!.labels![0]!;
    if (to === e.label) continue;
    const target = byLabel.get(to)!;
    const tPreds = preds.get(to)!;
    const ePreds = preds.get(e.label)!;
    const phis = target.insts.filter((i) => i.op === 'phi');
    // A predecessor already branching to T would need two different phi values on one edge.
    if (!ePreds.length || (phis.length && ePreds.some((p) => tPreds.includes(p)))) continue;
    for (const p of ePreds) retarget(terminator(byLabel.get(p)!)!, e.label, to);
    for (const phi of phis) {
      const k = phi.labels!.indexOf(e.label);
      const val = phi.args[k]!;
      phi.labels!.splice(k, 1, ...ePreds);
      phi.args.splice(k, 1, ...ePreds.map(() => ({ ...val })));
    }
    f.blocks = f.blocks.filter((b) => b !== e);
    byLabel.delete(e.label);
    return 1;
  }
  return 0;
}

/** Merge S into B when B ends `br S` and S has no other predecessor. */
function merge(f: Func, byLabel: Map<string, Block>): number {
  const preds = predLabels(f);
  for (const b of f.blocks) {
    const t = terminator(b)!;
    if (t.op !== 'br') continue;
    const s = byLabel.get(t.labels![0]!)!;
    if (s === b || s === f.blocks[0] || preds.get(s.label)!.length !== 1) continue;
    const moved: Inst[] = s.insts.map((i) => (i.op === 'phi' ? { op: 'copy', dst: i.dst!, type: i.type, args: [i.args[0]!], pos: i.pos } : i));
    b.insts = [...b.insts.slice(0, -1), ...moved];
    // S's successors now come from B.
    for (const x of f.blocks) for (const i of x.insts) {
      if (i.op !== 'phi') break;
      i.labels = i.labels!.map((l) => (l === s.label ? b.label : l));
    }
    f.blocks = f.blocks.filter((x) => x !== s);
    byLabel.delete(s.label);
    return 1;
  }
  return 0;
}

export const simplifyCfg: Pass = {
  name: 'simplify-cfg',
  about: 'fold constant and trivial branches, bypass empty blocks, merge straight-line blocks',
  run(f) {
    let total = 0;
    for (;;) {
      const byLabel = new Map(f.blocks.map((b) => [b.label, b]));
      const n = foldBranches(f, byLabel) + removeUnreachable(f) + bypass(f, byLabel) + merge(f, byLabel);
      total += n;
      if (!n) return total;
    }
  },
};
