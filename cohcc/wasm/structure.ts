// From a control-flow graph to WebAssembly's structured control flow, by Ramsey's
// "Beyond Relooper" (ICFP 2022): walk the dominator tree; a block's dominated children
// that are merge points (two or more forward edges in) follow it, each after a wasm
// `block` that branches to it end; a loop header wraps its code in a `loop` that back edges
// continue; a branch to any other child is that child's code, inline. Irreducible graphs
// (a back edge to a block that does not dominate its source) fall back to a dispatch loop:
// a state variable and a br_table over every block.

import type { Cfg } from '../cfg.ts';
import type { Func } from '../ir.ts';
import type { WInst } from './code.ts';

export interface BlockCode {
  /** The block's instructions, without the terminator. */
  body(b: number): WInst[];
  /** Push a condbr's condition (an i32). */
  cond(b: number): WInst[];
  /** A ret: push the value, end the frame, return. */
  ret(b: number): WInst[];
}

type Frame = { k: 'if' } | { k: 'loop'; b: number } | { k: 'block'; b: number };

export function isReducible(cfg: Cfg): boolean {
  for (const u of cfg.rpo) for (const s of cfg.succ[u]!) {
    if (cfg.rpoNum[s]! <= cfg.rpoNum[u]! && !cfg.dominates(s, u)) return false;
  }
  return true;
}

export function structure(f: Func, cfg: Cfg, code: BlockCode, stateLocal: () => number): WInst[] {
  if (!isReducible(cfg)) return dispatch(f, cfg, code, stateLocal());
  const rpo = cfg.rpoNum;
  const forwardIn = (b: number): number => cfg.pred[b]!.filter((p) => cfg.reachable(p) && rpo[p]! < rpo[b]!).length;
  const isMerge = (b: number): boolean => forwardIn(b) >= 2;
  const isLoop = (b: number): boolean => cfg.pred[b]!.some((p) => cfg.reachable(p) && rpo[p]! >= rpo[b]!);
  const out: WInst[] = [];

  const depth = (ctx: Frame[], k: 'loop' | 'block', b: number): number => {
    for (let d = 0; d < ctx.length; d++) {
      const fr = ctx[ctx.length - 1 - d]!;
      if (fr.k === k && fr.b === b) return d;
    }
    throw new Error(`wasm structure: no frame for ${k} ${f.blocks[b]!.label}`);
  };
  const doTree = (x: number, ctx: Frame[]): void => {
    const merges = cfg.children[x]!.filter(isMerge).sort((a, b) => rpo[b]! - rpo[a]!);
    if (isLoop(x)) {
      out.push(['loop']);
      nodeWithin(x, merges, [...ctx, { k: 'loop', b: x }]);
      out.push(['end']);
    } else nodeWithin(x, merges, ctx);
  };
  const nodeWithin = (x: number, ys: number[], ctx: Frame[]): void => {
    if (ys.length) {
      const [y, ...rest] = ys;
      out.push(['block']);
      nodeWithin(x, rest, [...ctx, { k: 'block', b: y! }]);
      out.push(['end']);
      doTree(y!, ctx);
      return;
    }
    out.push(...code.body(x));
    const t = f.blocks[x]!.insts[f.blocks[x]!.insts.length - 1]!;
    const to = (l: string): number => cfg.index.get(l)!;
    if (t.op === 'ret') out.push(...code.ret(x));
    else if (t.op === 'br') doBranch(x, to(t.labels![0]!), ctx);
    else {
      out.push(...code.cond(x), ['if']);
      const inner: Frame[] = [...ctx, { k: 'if' }];
      doBranch(x, to(t.labels![0]!), inner);
      out.push(['else']);
      doBranch(x, to(t.labels![1]!), inner);
      out.push(['end']);
    }
  };
  const doBranch = (x: number, l: number, ctx: Frame[]): void => {
    if (rpo[l]! <= rpo[x]!) out.push(['br', depth(ctx, 'loop', l)]);
    else if (isMerge(l)) out.push(['br', depth(ctx, 'block', l)]);
    else doTree(l, ctx);
  };
  doTree(0, []);
  out.push(['unreachable']);
  return out;
}

/** Any graph: loop { block*N { br_table state } code0 ... } with each branch setting the state. */
function dispatch(f: Func, cfg: Cfg, code: BlockCode, state: number): WInst[] {
  const blocks = cfg.rpo;
  const slot = new Map(blocks.map((b, k) => [b, k]));
  const n = blocks.length;
  const out: WInst[] = [['loop']];
  for (let k = 0; k < n; k++) out.push(['block']);
  out.push(['local.get', state], ['br_table' as string, ...blocks.map((_, k) => k), 0]);
  blocks.forEach((b, k) => {
    out.push(['end']);
    const toLoop = n - 1 - k; // blocks still open inside the loop
    const go = (l: string, extra: number): WInst[] => [['i32.const', slot.get(cfg.index.get(l)!)!], ['local.set', state], ['br', toLoop + extra]];
    out.push(...code.body(b));
    const t = f.blocks[b]!.insts[f.blocks[b]!.insts.length - 1]!;
    if (t.op === 'ret') out.push(...code.ret(b));
    else if (t.op === 'br') out.push(...go(t.labels![0]!, 0));
    else out.push(...code.cond(b), ['if'], ...go(t.labels![0]!, 1), ['else'], ...go(t.labels![1]!, 1), ['end']);
  });
  out.push(['end'], ['unreachable']);
  return out;
}
