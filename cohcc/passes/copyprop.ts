// Copy propagation (SSA): a variable that is a copy of an operand, or a phi whose incoming
// values are all one operand (besides itself), is replaced by that operand everywhere.

import type { Operand } from '../ir.ts';
import { sameOperand } from '../ir.ts';
import { substitute } from './edit.ts';
import type { Pass } from './pass.ts';

export const copyProp: Pass = {
  name: 'copy-prop',
  about: 'replace copies, and phis of a single value, by their operand',
  run(f) {
    let total = 0;
    for (;;) {
      const subst = new Map<string, Operand>();
      for (const b of f.blocks) for (const i of b.insts) {
        if (i.dst === undefined) continue;
        if (i.op === 'copy') subst.set(i.dst, i.args[0]!);
        else if (i.op === 'phi') {
          const others = i.args.filter((a) => !(a.k === 'var' && a.name === i.dst));
          if (others.length && others.every((a) => sameOperand(a, others[0]!))) subst.set(i.dst, others[0]!);
        }
        // A phi cycle with no value from outside (dead code) must not become a substitution loop.
        for (let x = subst.get(i.dst), n = 0; x?.k === 'var' && n <= subst.size; x = subst.get(x.name), n++) {
          if (x.name === i.dst) { subst.delete(i.dst); break; }
        }
      }
      if (!subst.size) return total;
      substitute(f, subst);
      for (const b of f.blocks) b.insts = b.insts.filter((i) => i.dst === undefined || !subst.has(i.dst));
      total += subst.size;
    }
  },
};
