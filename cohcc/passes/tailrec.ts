// Tail recursion to a loop (SSA): a call of the function to itself whose result is returned
// (or, void, followed by the return) becomes a branch back to the entry, with the
// parameters as phis there. As gcc and LLVM do, `ret (add x, call self)` is a tail call
// too, with an accumulator: the loop carries the sum so far, and every other ret returns
// its value plus it (integer add wraps, so the order of the sum does not matter). Fib's
// second call and quicksort's second recursion are loops then, not calls.

import type { Block, Func, Inst, Operand, Type } from '../ir.ts';
import { NOPOS, succs, terminator } from '../ir.ts';
import { dropPhiEntries, substitute } from './edit.ts';
import type { Pass } from './pass.ts';
import { freshLabeler, freshNamer } from './pass.ts';

/** A tail call: its block, the call's index, and the add it is under (read after renaming). */
interface Site { b: Block; call: Inst; add?: Inst }

const uses = (f: Func, name: string): number => {
  let n = 0;
  for (const b of f.blocks) for (const i of b.insts) for (const a of i.args) if (a.k === 'var' && a.name === name) n++;
  return n;
};
const isVar = (o: Operand | undefined, name: string | undefined): boolean => o?.k === 'var' && o.name === name;

/** A block that only returns (void), after phis that are then dead. */
const onlyReturns = (b: Block): boolean => terminator(b)?.op === 'ret' && b.insts.slice(0, -1).every((i) => i.op === 'phi');

/** The other operand of add, when exactly one of its operands is the call's result. */
function addend(add: Inst, result: string): Operand | undefined {
  const [x, y] = add.args as [Operand, Operand];
  if (isVar(x, result) === isVar(y, result)) return undefined;
  return isVar(x, result) ? y : x;
}

/** The tail calls of f to itself, or undefined when a block's shape is not one this pass knows. */
function sites(f: Func): Site[] {
  const out: Site[] = [];
  const byLabel = new Map(f.blocks.map((b) => [b.label, b]));
  for (const b of f.blocks) {
    const n = b.insts.length, t = terminator(b);
    if (!t) continue;
    const at = (k: number): Inst | undefined => b.insts[n - k];
    const self = (i: Inst | undefined): i is Inst => i?.op === 'call' && i.callee === f.name;
    if (t.op === 'ret' && self(at(2)) && (f.ret === 'void' ? true : isVar(t.args[0], at(2)!.dst))) {
      out.push({ b, call: at(2)! });
    } else if (t.op === 'ret' && self(at(3)) && at(2)?.op === 'add' && (f.ret === 'i32' || f.ret === 'i64') &&
      isVar(t.args[0], at(2)!.dst) && at(3)!.dst !== undefined && uses(f, at(3)!.dst!) === 1 && uses(f, at(2)!.dst!) === 1) {
      if (addend(at(2)!, at(3)!.dst!)) out.push({ b, call: at(3)!, add: at(2)! });
    } else if (f.ret === 'void' && t.op === 'br' && self(at(2)) && onlyReturns(byLabel.get(t.labels![0]!)!)) {
      out.push({ b, call: at(2)! });
    }
  }
  return out;
}

export const tailrec: Pass = {
  name: 'tailrec',
  about: 'turn calls of a function to itself in tail position (also under an integer add) into a loop',
  run(f) {
    const entry = f.blocks[0]!;
    // A frame would be fresh (zeroed) in each call but not in each round of the loop; an
    // alloca mem2reg has left unused is no frame (dce removes it).
    if (f.blocks.some((b) => b.insts.some((i) => i.op === 'alloca' && uses(f, i.dst!) > 0))) return 0;
    if (f.blocks.some((b) => succs(b).includes(entry.label))) return 0;
    const found = sites(f);
    if (!found.length) return 0;
    const names = freshNamer(f), labels = freshLabeler(f);
    const start: Block = { label: labels('tailrec.entry'), insts: [{ op: 'br', type: 'void', args: [], labels: [entry.label], pos: NOPOS }], pos: entry.pos };
    // Inside the loop a parameter is its phi.
    const loopVar = new Map(f.params.map((p) => [p.name, names(`${p.name}.tail`)]));
    substitute(f, new Map([...loopVar].map(([p, x]) => [p, { k: 'var', name: x }] as const)));
    const accumulate = found.some((s) => s.add);
    const acc = accumulate ? names('acc.tail') : undefined;
    const type = f.ret as Type;
    const accIn: Operand[] = [{ k: 'const', type, v: type === 'i64' ? 0n : 0 }];
    for (const s of found) {
      const step: Inst[] = [];
      if (acc) {
        if (s.add) {
          const next = names('acc.next');
          step.push({ op: 'add', dst: next, type, args: [{ k: 'var', name: acc }, addend(s.add, s.call.dst!)!], pos: NOPOS });
          accIn.push({ k: 'var', name: next });
        } else accIn.push({ k: 'var', name: acc });
      }
      const was = terminator(s.b)!;
      if (was.op === 'br') dropPhiEntries(f.blocks.find((x) => x.label === was.labels![0])!, s.b.label);
      s.b.insts = [...s.b.insts.slice(0, s.b.insts.indexOf(s.call)), ...step, { op: 'br', type: 'void', args: [], labels: [entry.label], pos: NOPOS }];
    }
    if (acc) {
      for (const b of f.blocks) {
        const t = terminator(b);
        if (t?.op !== 'ret') continue;
        const sum = names('ret.tail');
        b.insts.splice(b.insts.length - 1, 0, { op: 'add', dst: sum, type, args: [{ k: 'var', name: acc }, t.args[0]!], pos: NOPOS });
        t.args = [{ k: 'var', name: sum }];
      }
    }
    const preds = [start.label, ...found.map((s) => s.b.label)];
    const phis: Inst[] = f.params.map((p, n) => ({
      op: 'phi', dst: loopVar.get(p.name)!, type: p.type, labels: preds,
      args: [{ k: 'var', name: p.name }, ...found.map((s) => s.call.args[n]!)], pos: NOPOS,
    }));
    if (acc) phis.push({ op: 'phi', dst: acc, type, labels: preds, args: accIn, pos: NOPOS });
    entry.insts.unshift(...phis);
    f.blocks.unshift(start);
    return found.length;
  },
};
