// The WebAssembly backend: lowered IR (out of SSA, validated) to a WModule. Every variable
// is a local (ptr is i32); the stack pointer is global 0; syscalls are imports from
// "cohesix"; data is an active data segment at its layout address; @main is exported.

import { Cfg } from '../cfg.ts';
import type { Func, Inst, Module, Operand, RetType, Type } from '../ir.ts';
import { isBinop, isCmp, isConv } from '../ir.ts';
import { dataLayout, frameLayout, MEMORY_BYTES, MEMORY_PAGES } from '../layout.ts';
import { SYSCALL_NAMES, SYSCALLS } from '../syscalls.ts';
import { defType } from '../validate.ts';
import type { ValType, WInst } from './code.ts';
import type { WFunc, WModule } from './module.ts';
import { typeIndex } from './module.ts';
import { structure } from './structure.ts';

const vt = (t: Type): ValType => (t === 'ptr' ? 'i32' : t);
const SP = 0; // global index of the stack pointer

const INT_OPS: Record<string, string> = { div: 'div_s', divu: 'div_u', rem: 'rem_s', remu: 'rem_u', shr: 'shr_s', shru: 'shr_u', lt: 'lt_s', le: 'le_s', gt: 'gt_s', ge: 'ge_s', ltu: 'lt_u', leu: 'le_u', gtu: 'gt_u', geu: 'ge_u' };

export function wasmModule(m: Module): WModule {
  const wm: WModule = { types: [], imports: [], funcs: [], memoryPages: MEMORY_PAGES, globals: [{ type: 'i32', mutable: true, init: MEMORY_BYTES }], data: [] };
  const used = new Set<string>();
  for (const f of m.funcs) for (const b of f.blocks) for (const i of b.insts) if (i.op === 'call' && i.callee! in SYSCALLS) used.add(i.callee!);
  const index = new Map<string, number>();
  for (const name of SYSCALL_NAMES.filter((n) => used.has(n))) {
    const s = SYSCALLS[name]!;
    index.set(name, wm.imports.length);
    wm.imports.push({ module: 'cohesix', name, type: typeIndex(wm, { params: s.params.map(vt), results: s.ret === 'void' ? [] : [vt(s.ret)] }) });
  }
  m.funcs.forEach((f, k) => index.set(f.name, wm.imports.length + k));
  const dl = dataLayout(m);
  for (const d of m.data) if (d.bytes.some((x) => x !== 0)) wm.data.push({ offset: dl.addr.get(d.name)!, bytes: d.bytes });
  const rets = new Map<string, RetType>([...Object.entries(SYSCALLS).map(([n, x]) => [n, x.ret] as const), ...m.funcs.map((f) => [f.name, f.ret] as const)]);
  for (const f of m.funcs) wm.funcs.push(funcCode(f, wm, index, rets, dl.addr, dl.end));
  return wm;
}

function funcCode(f: Func, wm: WModule, index: Map<string, number>, rets: Map<string, RetType>, dataAddr: Map<string, number>, dataEnd: number): WFunc {
  const locals: ValType[] = [];
  const local = new Map<string, number>();
  const ltype = new Map<string, Type>();
  f.params.forEach((p, k) => { local.set(p.name, k); ltype.set(p.name, p.type); });
  for (const b of f.blocks) for (const i of b.insts) {
    if (i.dst === undefined || local.has(i.dst)) continue;
    const t = defType(i);
    local.set(i.dst, f.params.length + locals.length);
    ltype.set(i.dst, t);
    locals.push(vt(t));
  }
  const newLocal = (t: ValType): number => { locals.push(t); return f.params.length + locals.length - 1; };
  const frame = frameLayout(f);
  const fp = frame.size ? newLocal('i32') : -1;

  const typeOf = (o: Operand): Type => (o.k === 'var' ? ltype.get(o.name)! : o.k === 'data' ? 'ptr' : o.type);
  const push = (o: Operand): WInst => {
    if (o.k === 'var') return ['local.get', local.get(o.name)!];
    if (o.k === 'data') return ['i32.const', dataAddr.get(o.name)! | 0];
    if (o.type === 'i64') return ['i64.const', o.v as bigint];
    if (o.type === 'f64') return ['f64.const', o.v as number];
    return ['i32.const', (o.v as number) | 0];
  };
  const memOp = (kind: 'load' | 'store', t: Type): WInst => [`${vt(t)}.${kind}`, t === 'i64' || t === 'f64' ? 3 : 2, 0];

  const inst = (i: Inst): WInst[] => {
    const a = i.args.map(push);
    const set: WInst[] = i.dst !== undefined ? [['local.set', local.get(i.dst)!]] : [];
    const op = i.op;
    if (isBinop(op)) {
      const t = vt(i.type as Type);
      return [...a, [`${t}.${t === 'f64' ? op : INT_OPS[op] ?? op}`], ...set];
    }
    if (isCmp(op)) {
      const t = vt(i.opType!);
      return [...a, [`${t}.${t === 'f64' ? op : INT_OPS[op] ?? op}`], ...set];
    }
    if (isConv(op)) {
      const from = typeOf(i.args[0]!);
      const name = op === 'sext' ? 'i64.extend_i32_s' : op === 'zext' ? 'i64.extend_i32_u' : op === 'trunc' ? 'i32.wrap_i64'
        : op === 'itof' ? `f64.convert_${vt(from)}_s` : `${vt(i.type as Type)}.trunc_sat_f64_s`;
      return [...a, [name], ...set];
    }
    switch (op) {
      case 'copy': return [...a, ...set];
      case 'load': return [...a, memOp('load', i.type as Type), ...set];
      case 'load8': return [...a, ['i32.load8_u', 0, 0], ...set];
      case 'store': return [a[1]!, a[0]!, memOp('store', i.type as Type)];
      case 'store8': return [a[1]!, a[0]!, ['i32.store8', 0, 0]];
      case 'offset': return [...a, ['i32.add'], ...set];
      case 'alloca': return [['local.get', fp], ['i32.const', frame.offset.get(i.dst!)!], ['i32.add'], ...set];
      case 'call': {
        const c: WInst[] = [...a, ['call', index.get(i.callee!)!]];
        if (set.length) return [...c, ...set];
        // A call whose result is unused still leaves it on the stack.
        return rets.get(i.callee!) !== 'void' ? [...c, ['drop']] : c;
      }
      case 'nop': return [];
      default: throw new Error(`wasm backend: unexpected ${op} (run out-of-ssa first)`);
    }
  };

  const cfg = new Cfg(f);
  const epilogue: WInst[] = frame.size ? [['local.get', fp], ['i32.const', frame.size], ['i32.add'], ['global.set', SP]] : [];
  const last = (b: number): Inst => f.blocks[b]!.insts[f.blocks[b]!.insts.length - 1]!;
  let state = -1;
  const body = structure(f, cfg, {
    body: (b) => f.blocks[b]!.insts.slice(0, -1).flatMap(inst),
    cond: (b) => [push(last(b).args[0]!)],
    ret: (b) => { const t = last(b); return [...(t.args.length ? [push(t.args[0]!)] : []), ...epilogue, ['return']]; },
  }, () => (state < 0 ? (state = newLocal('i32')) : state));
  const prologue: WInst[] = frame.size ? [
    ['global.get', SP], ['i32.const', frame.size], ['i32.sub'], ['local.tee', fp],
    ['i32.const', dataEnd], ['i32.lt_u'], ['if'], ['unreachable'], ['end'],
    ['local.get', fp], ['global.set', SP],
    ['local.get', fp], ['i32.const', 0], ['i32.const', frame.size], ['memory.fill'],
  ] : [];
  const type = typeIndex(wm, { params: f.params.map((p) => vt(p.type)), results: f.ret === 'void' ? [] : [vt(f.ret)] });
  return { name: f.name, type, locals, body: [...prologue, ...body], exported: f.name === 'main' };
}
