// Inlining (SSA): a call to a small leaf function of the module (one that calls no function
// of the module, has no alloca and whose entry no branch returns to) becomes a copy of its
// body. The caller's block is split at the call: the first part branches to the copy's entry,
// the copy's rets branch to the second part, where a phi (or a copy, for one ret) takes the
// returned value. Small leaves are what a program calls in its inner loops (an address
// computation, a character test), and a call is what V8 will not remove for us.

import type { Block, Func, Inst, Module, Operand } from '../ir.ts';
import { cloneInst, NOPOS, succs } from '../ir.ts';
import { SYSCALLS } from '../syscalls.ts';
import type { Pass } from './pass.ts';
import { freshLabeler, freshNamer } from './pass.ts';

/** Instructions at most in a function to inline. */
export const INLINE_MAX_INSTS = 24;

function inlinable(g: Func, caller: Func): boolean {
  if (g === caller) return false;
  let n = 0;
  for (const b of g.blocks) for (const i of b.insts) {
    n++;
    if (i.op === 'alloca' || (i.op === 'call' && !(i.callee! in SYSCALLS))) return false;
  }
  const entry = g.blocks[0]?.label;
  return n <= INLINE_MAX_INSTS && !g.blocks.some((b) => succs(b).includes(entry!));
}

/** Replace the call at b.insts[k] by g's body; the block of the code after the call. */
function inlineAt(f: Func, at: number, k: number, g: Func, names: (s: string) => string, labels: (s: string) => string): Block {
  const b = f.blocks[at]!;
  const call = b.insts[k]!;
  const vars = new Map<string, Operand>(g.params.map((p, n) => [p.name, call.args[n]!]));
  for (const gb of g.blocks) for (const i of gb.insts) if (i.dst !== undefined) vars.set(i.dst, { k: 'var', name: names(`${g.name}.${i.dst}`) });
  const label = new Map(g.blocks.map((gb) => [gb.label, labels(`${g.name}.${gb.label}`)]));
  const cont: Block = { label: labels(`${b.label}.after`), insts: b.insts.slice(k + 1), pos: b.pos };
  b.insts = [...b.insts.slice(0, k), { op: 'br', type: 'void', args: [], labels: [label.get(g.blocks[0]!.label)!], pos: call.pos }];
  const rets: Array<{ v?: Operand; from: string }> = [];
  const body: Block[] = g.blocks.map((gb) => ({
    label: label.get(gb.label)!,
    pos: gb.pos,
    insts: gb.insts.map((i0): Inst => {
      const i = cloneInst(i0);
      i.args = i.args.map((a) => (a.k === 'var' ? { ...vars.get(a.name)! } : a));
      if (i.dst !== undefined) i.dst = (vars.get(i.dst) as { name: string }).name;
      if (i.labels) i.labels = i.labels.map((l) => label.get(l)!);
      if (i.op !== 'ret') return i;
      rets.push({ v: i.args[0], from: label.get(gb.label)! });
      return { op: 'br', type: 'void', args: [], labels: [cont.label], pos: i.pos };
    }),
  }));
  if (call.dst !== undefined) {
    const value: Inst = rets.length === 1
      ? { op: 'copy', dst: call.dst, type: call.type, args: [rets[0]!.v!], pos: NOPOS }
      : { op: 'phi', dst: call.dst, type: call.type, args: rets.map((r) => r.v!), labels: rets.map((r) => r.from), pos: NOPOS };
    cont.insts.unshift(value);
  }
  // The code after the call now ends in cont: its successors' phis name cont, not b.
  for (const s of new Set(succs(cont))) {
    for (const i of f.blocks.find((x) => x.label === s)!.insts) if (i.op === 'phi') i.labels = i.labels!.map((l) => (l === b.label ? cont.label : l));
  }
  f.blocks.splice(at + 1, 0, ...body, cont);
  return cont;
}

export const inline: Pass = {
  name: 'inline',
  about: `inline calls to leaf functions of at most ${INLINE_MAX_INSTS} instructions`,
  run(f, m: Module) {
    const funcs = new Map(m.funcs.map((g) => [g.name, g]));
    const names = freshNamer(f), labels = freshLabeler(f);
    let n = 0;
    for (let at = 0; at < f.blocks.length; at++) {
      const b = f.blocks[at]!;
      const k = b.insts.findIndex((i) => i.op === 'call' && funcs.has(i.callee!) && inlinable(funcs.get(i.callee!)!, f));
      if (k < 0) continue;
      inlineAt(f, at, k, funcs.get(b.insts[k]!.callee!)!, names, labels);
      n++;
      // The rest of b is in the block after the body, which the loop reaches in turn.
    }
    return n;
  },
};
