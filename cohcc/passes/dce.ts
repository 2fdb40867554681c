// Dead code elimination: unreachable blocks go, then every instruction whose value nothing
// with an effect needs (mark from the effects through operands, sweep the rest: dead phi
// cycles go too). Effects: stores, calls, terminators, and what may trap (loads, integer
// division), which must stay.

import type { Inst } from '../ir.ts';
import { hasEffect } from '../ir.ts';
import { removeUnreachable } from './edit.ts';
import type { Pass } from './pass.ts';

export const dce: Pass = {
  name: 'dce',
  about: 'remove unreachable blocks and instructions whose results are not used',
  run(f) {
    let n = removeUnreachable(f);
    const def = new Map<string, Inst>();
    for (const b of f.blocks) for (const i of b.insts) if (i.dst !== undefined) def.set(i.dst, i);
    const live = new Set<Inst>();
    const work: Inst[] = [];
    const mark = (i: Inst): void => { if (!live.has(i)) { live.add(i); work.push(i); } };
    for (const b of f.blocks) for (const i of b.insts) if (hasEffect(i)) mark(i);
    while (work.length) {
      for (const a of work.pop()!.args) if (a.k === 'var') { const d = def.get(a.name); if (d) mark(d); }
    }
    for (const b of f.blocks) {
      const kept = b.insts.filter((i) => live.has(i));
      n += b.insts.length - kept.length;
      b.insts = kept;
    }
    return n;
  },
};
