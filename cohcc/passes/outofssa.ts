// Out of SSA, for the backends: every phi becomes copies at the end of its predecessors.
// A critical edge (a predecessor with several successors) is split first, so the copies run
// only on the edge they belong to. Phis of one block take their values in parallel: when
// one phi reads another's destination, all values go through temporaries first.

import type { Func, Inst } from '../ir.ts';
import { NOPOS, succs, terminator, v } from '../ir.ts';
import type { Pass } from './pass.ts';
import { freshLabeler, freshNamer } from './pass.ts';

export const outOfSsa: Pass = {
  name: 'out-of-ssa',
  about: 'replace phis by copies in the predecessors, splitting critical edges',
  run(f: Func): number {
    const phiBlocks = f.blocks.filter((b) => b.insts[0]?.op === 'phi');
    if (!phiBlocks.length) return 0;
    const fresh = freshNamer(f), label = freshLabeler(f);
    const byLabel = new Map(f.blocks.map((b) => [b.label, b]));
    let changed = 0;
    for (const b of phiBlocks) {
      const phis = b.insts.filter((i) => i.op === 'phi');
      b.insts = b.insts.filter((i) => i.op !== 'phi');
      const dsts = new Set(phis.map((p) => p.dst!));
      const clash = phis.some((p) => p.args.some((a) => a.k === 'var' && dsts.has(a.name)));
      const temps = clash ? phis.map((p) => fresh(`${p.dst}.phi`)) : [];
      const preds = [...new Set(phis[0]!.labels!)];
      for (const pl of preds) {
        const copies: Inst[] = [];
        const mk = (dst: string, type: Inst['type'], a: Inst['args'][number]): Inst => ({ op: 'copy', dst, type, args: [a], pos: NOPOS });
        phis.forEach((p, k) => {
          const a = p.args[p.labels!.indexOf(pl)]!;
          copies.push(mk(clash ? temps[k]! : p.dst!, p.type, a));
        });
        if (clash) phis.forEach((p, k) => copies.push(mk(p.dst!, p.type, v(temps[k]!))));
        let pred = byLabel.get(pl)!;
        if (new Set(succs(pred)).size > 1) {
          // Split the critical edge pred -> b with a block of its own.
          const nl = label(`${pl}.${b.label}`);
          const split = { label: nl, insts: [{ op: 'br', type: 'void', args: [], labels: [b.label], pos: NOPOS } as Inst], pos: NOPOS };
          const t = terminator(pred)!;
          t.labels = t.labels!.map((l) => (l === b.label ? nl : l));
          f.blocks.splice(f.blocks.indexOf(b), 0, split);
          byLabel.set(nl, split);
          pred = split;
        }
        pred.insts.splice(pred.insts.length - 1, 0, ...copies);
        changed += copies.length;
      }
      changed += phis.length;
    }
    return changed;
  },
};
