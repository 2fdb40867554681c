// Inlining (SSA): a call to a small leaf function of the module (one that calls no function
// of the module, has no alloca and whose entry no branch returns to) becomes a copy of its
// body. inline-self does the same for a small function's calls to itself, once (the copy's
// own calls stay calls), as gcc's recursive inlining does: after tailrec, fib's one call
// left is then half as many calls. The caller's block is split at the call: the first part branches to the copy's entry,
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

/** A leaf; or, when g is caller, a function whose only calls are to itself (inline-self). */
function inlinable(g: Func, caller: Func): boolean {
  let n = 0;
  for (const b of g.blocks) for (const i of b.insts) {
    n++;
    if (i.op === 'alloca' || (i.op === 'call' && !(i.callee! in SYSCALLS) && !(g === caller && i.callee === g.name))) return false;
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

/** Inline, in f, the calls to leaves (self false) or f's calls to itself, once (self true). */
function inlineCalls(f: Func, m: Module, selfOnly: boolean): number {
  const funcs = new Map(m.funcs.map((g) => [g.name, g]));
  // f's own body as it was: what a call of f to itself gets (the copy's calls stay calls).
  const self: Func = { ...f, blocks: f.blocks.map((b) => ({ ...b, insts: b.insts.map(cloneInst) })) };
  const copies = new Set<Block>();
  const names = freshNamer(f), labels = freshLabeler(f);
  const wanted = (i: Inst, b: Block): boolean => {
    if (i.op !== 'call' || !funcs.has(i.callee!)) return false;
    if (!selfOnly) return i.callee !== f.name && inlinable(funcs.get(i.callee!)!, f);
    return i.callee === f.name && !copies.has(b) && inlinable(self, self);
  };
  let n = 0;
  for (let at = 0; at < f.blocks.length; at++) {
    const b = f.blocks[at]!;
    const k = b.insts.findIndex((i) => wanted(i, b));
    if (k < 0) continue;
    const before = f.blocks.length;
    inlineAt(f, at, k, selfOnly ? self : funcs.get(b.insts[k]!.callee!)!, names, labels);
    if (selfOnly) for (const x of f.blocks.slice(at + 1, at + f.blocks.length - before)) copies.add(x);
    n++;
    // The rest of b is in cont, which the loop reaches in turn.
  }
  return n;
}

export const inline: Pass = {
  name: 'inline',
  about: `inline calls to leaf functions of at most ${INLINE_MAX_INSTS} instructions`,
  run: (f, m) => inlineCalls(f, m, false),
};

export const inlineSelf: Pass = {
  name: 'inline-self',
  about: `inline a function of at most ${INLINE_MAX_INSTS} instructions into its own calls to itself, once`,
  run: (f, m) => inlineCalls(f, m, true),
};
