// The validator: what every backend and pass may assume. Types of every operand, one
// terminator ending every block, branch targets that exist, an entry block nobody branches
// to, phis first in their block with one value per predecessor, calls that match their
// callee, and (in SSA form) one definition per variable that dominates every use. After
// out-of-SSA (lowered form) a variable may be assigned in several places, always with one
// type, and there are no phis. The first problem is thrown as a CohccError naming function,
// block and instruction, with the source position.

import { Cfg } from './cfg.ts';
import { CohccError } from './error.ts';
import type { Func, Inst, Module, Operand, RetType, Type } from './ir.ts';
import { isBinop, isCmp, isConv, TERMINATORS } from './ir.ts';
import { instText } from './print.ts';
import { SYSCALLS } from './syscalls.ts';

export interface Signature { params: readonly Type[]; ret: RetType }

/** The type of the variable an instruction defines. */
export function defType(i: Inst): Type {
  if (i.op === 'alloca' || i.op === 'offset') return 'ptr';
  if (isCmp(i.op) || i.op === 'load8') return 'i32';
  return i.type as Type;
}

export function signatures(m: Module): Map<string, Signature> {
  const sigs = new Map<string, Signature>(Object.entries(SYSCALLS));
  for (const f of m.funcs) sigs.set(f.name, { params: f.params.map((p) => p.type), ret: f.ret });
  return sigs;
}

export function validateModule(m: Module, form: 'ssa' | 'lowered' = 'ssa'): void {
  const names = new Set<string>();
  for (const d of m.data) {
    if (names.has(d.name)) throw new CohccError(`data @${d.name} defined twice`, d.pos);
    names.add(d.name);
  }
  const fnames = new Set<string>();
  for (const f of m.funcs) {
    if (fnames.has(f.name)) throw new CohccError(`function @${f.name} defined twice`, f.pos);
    if (f.name in SYSCALLS) throw new CohccError(`@${f.name} is a syscall and cannot be redefined`, f.pos);
    fnames.add(f.name);
  }
  const sigs = signatures(m);
  for (const f of m.funcs) validateFunc(f, m, sigs, form);
}

function validateFunc(f: Func, m: Module, sigs: Map<string, Signature>, form: 'ssa' | 'lowered'): void {
  const fail = (msg: string, block?: string, i?: Inst): never => {
    throw new CohccError(msg, i?.pos ?? f.blocks.find((b) => b.label === block)?.pos ?? f.pos, { func: f.name, ...(block ? { block } : {}), ...(i ? { inst: instText(i) } : {}) });
  };
  if (!f.blocks.length) fail('function has no blocks');
  const types = new Map<string, Type>();
  const defAt = new Map<string, [number, number]>(); // block, index (-1: parameter)
  for (const p of f.params) {
    if (types.has(p.name)) fail(`parameter %${p.name} named twice`);
    types.set(p.name, p.type);
    defAt.set(p.name, [0, -1]);
  }
  const labels = new Set<string>();
  f.blocks.forEach((b, bi) => {
    if (labels.has(b.label)) fail(`block label ${b.label} used twice`, b.label);
    labels.add(b.label);
    if (!b.insts.length) fail('empty block (it needs a terminator)', b.label);
    b.insts.forEach((i, k) => {
      const last = k === b.insts.length - 1;
      if (TERMINATORS.has(i.op) && !last) fail(`${i.op} in the middle of a block`, b.label, i);
      if (last && !TERMINATORS.has(i.op)) fail('block does not end in a terminator (br, condbr or ret)', b.label, i);
      if (i.op === 'phi' && k > 0 && b.insts[k - 1]!.op !== 'phi') fail('phi after a non-phi instruction', b.label, i);
      if (i.op === 'phi' && form === 'lowered') fail('phi in lowered (out-of-SSA) code', b.label, i);
      if (i.dst === undefined) return;
      const t = defType(i);
      const old = types.get(i.dst);
      if (old !== undefined && (form === 'ssa' || defAt.get(i.dst)![1] < 0)) fail(`%${i.dst} defined twice`, b.label, i);
      if (old !== undefined && old !== t) fail(`%${i.dst} assigned as ${t} and as ${old}`, b.label, i);
      types.set(i.dst, t);
      if (!defAt.has(i.dst)) defAt.set(i.dst, [bi, k]);
    });
  });
  for (const b of f.blocks) for (const i of b.insts) for (const l of i.labels ?? []) if (!labels.has(l)) fail(`no block named ${l}`, b.label, i);
  const cfg = new Cfg(f);
  if (cfg.pred[0]!.length) fail(`the entry block ${f.blocks[0]!.label} cannot be a branch target`, f.blocks[0]!.label);

  const typeOf = (o: Operand, b: string, i: Inst): Type => {
    if (o.k === 'const') return o.type;
    if (o.k === 'data') {
      if (!m.data.some((d) => d.name === o.name)) fail(`no data named @${o.name}`, b, i);
      return 'ptr';
    }
    const t = types.get(o.name);
    if (t === undefined) fail(`use of undefined %${o.name}`, b, i);
    return t!;
  };

  f.blocks.forEach((b, bi) => {
    b.insts.forEach((i, k) => {
      const bad = (msg: string): never => fail(msg, b.label, i);
      const ts = i.args.map((a) => typeOf(a, b.label, i));
      const want = (...w: Type[]): void => {
        if (ts.length !== w.length) bad(`${i.op} takes ${w.length} operand${w.length === 1 ? '' : 's'}`);
        ts.forEach((t, n) => { if (t !== w[n]) bad(`operand ${n + 1} is ${t}, ${i.op} wants ${w[n]}`); });
      };
      if (isBinop(i.op)) {
        if (i.type === 'ptr' || i.type === 'void') bad(`${i.op} is not defined on ${i.type} (use offset for pointers)`);
        if (i.type === 'f64' && !['add', 'sub', 'mul', 'div'].includes(i.op)) bad(`${i.op} is not defined on f64`);
        want(i.type as Type, i.type as Type);
      } else if (isCmp(i.op)) {
        const t = i.opType ?? 'i32';
        if (t === 'f64' && i.op.endsWith('u')) bad(`${i.op} is not defined on f64`);
        if (t === 'ptr' && !['eq', 'ne', 'ltu', 'leu', 'gtu', 'geu'].includes(i.op)) bad(`${i.op} is not defined on ptr (pointers compare unsigned)`);
        want(t, t);
      } else if (isConv(i.op)) {
        const from = ts[0];
        if (ts.length !== 1) bad(`${i.op} takes one operand`);
        const ok = { sext: from === 'i32' && i.type === 'i64', zext: from === 'i32' && i.type === 'i64', trunc: from === 'i64' && i.type === 'i32',
          itof: (from === 'i32' || from === 'i64') && i.type === 'f64', ftoi: from === 'f64' && (i.type === 'i32' || i.type === 'i64') }[i.op];
        if (!ok) bad(`${i.op} cannot convert ${from} to ${i.type}`);
      } else switch (i.op) {
        case 'copy': want(i.type as Type); break;
        case 'load': case 'load8': want('ptr'); break;
        case 'store': want(i.type as Type, 'ptr'); break;
        case 'store8': want('i32', 'ptr'); break;
        case 'offset': want('ptr', 'i32'); break;
        case 'alloca': want(); if (!Number.isInteger(i.count) || i.count! < 1) bad('alloca needs a positive element count'); break;
        case 'condbr': want('i32'); if (i.labels?.length !== 2) bad('condbr needs two labels'); break;
        case 'br': want(); if (i.labels?.length !== 1) bad('br needs one label'); break;
        case 'nop': want(); break;
        case 'ret':
          if (i.type !== f.ret) bad(`returns ${i.type} from a function returning ${f.ret}`);
          if (i.type === 'void') want(); else want(i.type);
          break;
        case 'call': {
          const s = sigs.get(i.callee ?? '');
          if (!s) bad(`call of unknown function @${i.callee}`);
          want(...s!.params);
          if (i.dst !== undefined && s!.ret === 'void') bad(`@${i.callee} returns nothing`);
          if (i.dst !== undefined && i.type !== s!.ret) bad(`@${i.callee} returns ${s!.ret}, not ${i.type}`);
          break;
        }
        case 'phi': {
          ts.forEach((t, n) => { if (t !== i.type) bad(`phi value ${n + 1} is ${t}, not ${i.type}`); });
          const ls = i.labels ?? [];
          if (ls.length !== i.args.length) bad('phi needs one label per value');
          const preds = new Set(cfg.pred[bi]!.map((p) => f.blocks[p]!.label));
          if (new Set(ls).size !== ls.length) bad('phi names a predecessor twice');
          for (const l of ls) if (!preds.has(l)) bad(`phi names ${l}, which is not a predecessor of ${b.label}`);
          for (const p of preds) if (!ls.includes(p)) bad(`phi has no value for predecessor ${p}`);
          break;
        }
      }
      if (form === 'ssa' && cfg.reachable(bi)) checkDominance(i, bi, k);
    });
  });

  function checkDominance(i: Inst, bi: number, k: number): void {
    i.args.forEach((a, n) => {
      if (a.k !== 'var') return;
      const [db, dk] = defAt.get(a.name)!;
      const fail1 = (): never => fail(`%${a.name} is used where its definition does not dominate`, f.blocks[bi]!.label, i);
      if (i.op === 'phi') {
        const p = cfg.index.get(i.labels![n]!)!;
        if (cfg.reachable(p) && !cfg.dominates(db, p)) fail1();
        return;
      }
      if (db === bi ? dk >= k : !cfg.reachable(db) || !cfg.dominates(db, bi)) fail1();
    });
  }
}
