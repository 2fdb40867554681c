// Sparse conditional constant propagation (Wegman and Zadeck): every variable starts
// unknown (top), edges start unexecuted; from the entry, instructions are evaluated over the
// lattice top > constant > varying, only along edges that can run, so a branch on a constant
// never makes its other side's values varying. Then: constants replace their variables,
// branches on constants become jumps (simplify-cfg and dce clean up what went dead).
// Folding uses eval.ts, the interpreter's arithmetic; an operation that would trap is left
// to trap at run time.

import { Cfg } from '../cfg.ts';
import { binop, cmp, conv } from '../eval.ts';
import type { Value } from '../eval.ts';
import type { Func, Inst, Operand, Type } from '../ir.ts';
import { isBinop, isCmp, isConv } from '../ir.ts';
import { defType } from '../validate.ts';
import { dropPhiEntries, substitute } from './edit.ts';
import type { Pass } from './pass.ts';

const TOP = Symbol('top');
const VARYING = Symbol('varying');
type Lat = typeof TOP | typeof VARYING | { c: Value };

function evalInst(i: Inst, get: (o: Operand) => Lat): Lat {
  const vals = i.args.map(get);
  if (vals.some((x) => x === VARYING)) return VARYING;
  if (vals.some((x) => x === TOP)) return TOP;
  const c = vals.map((x) => (x as { c: Value }).c);
  try {
    if (isBinop(i.op)) return { c: binop(i.op, i.type as Type, c[0]!, c[1]!) };
    if (isCmp(i.op)) return { c: cmp(i.op, i.opType!, c[0]!, c[1]!) };
    if (isConv(i.op)) return { c: conv(i.op, i.type as Type, c[0]!) };
    if (i.op === 'copy') return { c: c[0]! };
  } catch { /* a trap: not a constant */ }
  return VARYING;
}

export const sccp: Pass = {
  name: 'sccp',
  about: 'sparse conditional constant propagation and folding',
  run(f: Func): number {
    const cfg = new Cfg(f);
    const lat = new Map<string, Lat>();
    const users = new Map<string, Array<[Inst, number]>>();
    const blockOf = new Map<Inst, number>();
    f.blocks.forEach((b, k) => b.insts.forEach((i) => {
      blockOf.set(i, k);
      for (const a of i.args) if (a.k === 'var') { const u = users.get(a.name) ?? []; u.push([i, k]); users.set(a.name, u); }
    }));
    for (const p of f.params) lat.set(p.name, VARYING);
    const get = (o: Operand): Lat => (o.k === 'const' ? { c: o.v } : o.k === 'data' ? VARYING : lat.get(o.name) ?? TOP);
    const execEdge = new Set<string>();
    const execBlock = new Set<number>();
    const flow: Array<[number, number]> = [[-1, 0]];
    const ssa: Inst[] = [];

    const lower = (name: string, v: Lat): void => {
      const old = lat.get(name) ?? TOP;
      if (old === VARYING || v === TOP) return;
      let nv: Lat = v;
      if (old !== TOP && v !== VARYING && !Object.is(old.c, v.c)) nv = VARYING;
      if (old !== TOP && nv !== VARYING) return;
      lat.set(name, nv);
      for (const [u] of users.get(name) ?? []) ssa.push(u);
    };
    const visit = (i: Inst, k: number): void => {
      if (i.op === 'phi') {
        let v: Lat = TOP;
        i.args.forEach((a, n) => {
          const from = cfg.index.get(i.labels![n]!)!;
          if (!execEdge.has(`${from}>${k}`)) return;
          const x = get(a);
          if (x === TOP || v === VARYING) return;
          if (x === VARYING) v = VARYING;
          else if (v === TOP) v = x;
          else if (!Object.is(v.c, x.c)) v = VARYING;
        });
        lower(i.dst!, v);
      } else if (i.op === 'condbr') {
        const c = get(i.args[0]!);
        const [yes, no] = i.labels!.map((l) => cfg.index.get(l)!) as [number, number];
        if (c === VARYING) flow.push([k, yes], [k, no]);
        else if (c !== TOP) flow.push([k, c.c !== 0 ? yes : no]);
      } else if (i.op === 'br') flow.push([k, cfg.index.get(i.labels![0]!)!]);
      else if (i.dst !== undefined) {
        const t = defType(i);
        const foldable = isBinop(i.op) || isCmp(i.op) || isConv(i.op) || i.op === 'copy';
        lower(i.dst, foldable && t !== 'ptr' ? evalInst(i, get) : VARYING);
      }
    };
    while (flow.length || ssa.length) {
      while (flow.length) {
        const [from, to] = flow.pop()!;
        const key = `${from}>${to}`;
        if (execEdge.has(key)) continue;
        execEdge.add(key);
        const first = !execBlock.has(to);
        execBlock.add(to);
        for (const i of f.blocks[to]!.insts) if (first || i.op === 'phi') visit(i, to);
      }
      while (ssa.length) {
        const i = ssa.pop()!;
        const k = blockOf.get(i)!;
        if (execBlock.has(k)) visit(i, k);
      }
    }

    // Rewrite: constants for variables, jumps for decided branches.
    let n = 0;
    const subst = new Map<string, Operand>();
    const typeOfDst = new Map<string, Type>();
    for (const b of f.blocks) for (const i of b.insts) if (i.dst !== undefined) typeOfDst.set(i.dst, defType(i));
    for (const [name, v] of lat) {
      if (v === TOP || v === VARYING) continue;
      const t = typeOfDst.get(name);
      if (!t) continue;
      subst.set(name, { k: 'const', type: t, v: v.c });
    }
    substitute(f, subst);
    for (const b of f.blocks) {
      const before = b.insts.length;
      b.insts = b.insts.filter((i) => i.dst === undefined || !subst.has(i.dst) || i.op === 'call' || i.op === 'load' || i.op === 'load8');
      n += before - b.insts.length;
    }
    const byLabel = new Map(f.blocks.map((b) => [b.label, b]));
    f.blocks.forEach((b) => {
      const t = b.insts[b.insts.length - 1]!;
      if (t.op !== 'condbr' || t.args[0]!.k !== 'const') return;
      const [yes, no] = t.labels as [string, string];
      const keep = t.args[0]!.v !== 0 ? yes : no;
      if (yes !== no) dropPhiEntries(byLabel.get(keep === yes ? no : yes)!, b.label);
      b.insts[b.insts.length - 1] = { op: 'br', type: 'void', args: [], labels: [keep], pos: t.pos };
      n++;
    });
    return n + subst.size;
  },
};
