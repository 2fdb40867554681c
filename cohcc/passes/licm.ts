// Loop-invariant code motion (SSA): in a natural loop (a header and the blocks that reach
// a back edge to it without passing it), an instruction that cannot trap or touch memory and
// whose operands are all defined outside the loop moves to the block that enters the loop
// (a preheader made for it when that block branches elsewhere too; loops entered from two
// blocks outside are left alone). Innermost loops first, again
// until nothing moves, so a value invariant in two loops leaves both. V8 does not hoist
// for us: matmul's row = i * 48 was computed in every round of the innermost loop.

import { Cfg } from '../cfg.ts';
import type { Inst } from '../ir.ts';
import { isBinop, isCmp, isConv, NOPOS, succs, terminator } from '../ir.ts';
import { retarget } from './edit.ts';
import type { Pass } from './pass.ts';
import { freshLabeler } from './pass.ts';

const TRAPS = new Set(['div', 'divu', 'rem', 'remu']);
/** Pure: same operands, same value, nothing else happens (f64 division does not trap). */
const movable = (i: Inst): boolean => i.dst !== undefined &&
  ((isBinop(i.op) && !(TRAPS.has(i.op) && i.type !== 'f64')) || isCmp(i.op) || isConv(i.op) || i.op === 'offset' || i.op === 'copy');

export const licm: Pass = {
  name: 'licm',
  about: 'move instructions whose operands do not change in a loop out of it, to the block that enters it',
  run(f) {
    let moved = 0;
    const labels = freshLabeler(f);
    for (let round = 0; round < 32; round++) {
      const cfg = new Cfg(f);
      let changed = 0;
      // Headers by depth of their loops, innermost (latest in reverse postorder) first.
      const headers = cfg.rpo.filter((h) => cfg.pred[h]!.some((p) => cfg.reachable(p) && cfg.dominates(h, p))).reverse();
      for (const h of headers) {
        const body = new Set<number>([h]);
        const work = cfg.pred[h]!.filter((p) => cfg.reachable(p) && cfg.dominates(h, p));
        while (work.length) {
          const b = work.pop()!;
          if (body.has(b)) continue;
          body.add(b);
          for (const p of cfg.pred[b]!) if (cfg.reachable(p)) work.push(p);
        }
        const outside = cfg.pred[h]!.filter((p) => cfg.reachable(p) && !body.has(p));
        if (outside.length !== 1) continue;
        const from = f.blocks[outside[0]!]!;
        const defined = new Set<string>();
        for (const b of body) for (const i of f.blocks[b]!.insts) if (i.dst !== undefined) defined.add(i.dst);
        const hoist: Inst[] = [];
        // Blocks in reverse postorder, so an invariant that uses another hoisted one follows it.
        for (const b of cfg.rpo) {
          if (!body.has(b)) continue;
          const blk = f.blocks[b]!;
          blk.insts = blk.insts.filter((i) => {
            if (!movable(i) || i.args.some((a) => a.k === 'var' && defined.has(a.name))) return true;
            hoist.push(i);
            defined.delete(i.dst!);
            return false;
          });
        }
        if (!hoist.length) continue;
        const head = f.blocks[h]!;
        let pre = from;
        if (succs(from).length !== 1) {
          // A block of its own on the edge into the loop (a preheader) takes them.
          pre = { label: labels(`${head.label}.pre`), insts: [{ op: 'br', type: 'void', args: [], labels: [head.label], pos: NOPOS }], pos: head.pos };
          retarget(terminator(from)!, head.label, pre.label);
          for (const i of head.insts) if (i.op === 'phi') i.labels = i.labels!.map((l) => (l === from.label ? pre.label : l));
          f.blocks.splice(h, 0, pre);
        }
        pre.insts.splice(pre.insts.length - 1, 0, ...hoist);
        changed += hoist.length;
        break; // the graph's blocks changed contents only, but loops nest: look again
      }
      moved += changed;
      if (!changed) break;
    }
    return moved;
  },
};
