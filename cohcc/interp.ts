// The IR interpreter: the reference the backends are tested against. It runs any valid
// module, in SSA form (phis take their values in parallel on the edge taken) or lowered,
// with the memory layout and the syscall ABI of the backends. Each function is prepared
// once: variables become slots, operands become slot numbers or constants.

import { syscallGlue } from './abi.ts';
import type { SyscallFn } from './abi.ts';
import { Trap } from './error.ts';
import { binopFn, cmpFn, conv } from './eval.ts';
import type { Value } from './eval.ts';
import type { Func, Inst, Module, Operand, Type } from './ir.ts';
import { isBinop, isCmp, isConv } from './ir.ts';
import { dataLayout, frameLayout, MEMORY_BYTES } from './layout.ts';
import type { SyncHost } from './syscalls.ts';
import { Exit } from './syscalls.ts';

/** How a run ended: the exit code (main's result or exits' argument), or a trap. */
export type RunStatus = { code: number } | { trap: string };

interface Arg { slot: number; c: Value }
/** An instruction made ready: exec for the plain ones; kind 1 br, 2 condbr, 3 ret. */
interface Step { i: Inst; kind: number; exec: (r: Value[]) => void; dst: number; args: Arg[]; target?: number[] }
interface PBlock { steps: Step[]; phis: Step[]; index: number }
interface Prepared { f: Func; slots: number; params: number[]; blocks: PBlock[]; frame: number }

const MAX_DEPTH = 2000;

export class Interpreter {
  private mem = new Uint8Array(MEMORY_BYTES);
  private view = new DataView(this.mem.buffer);
  private sp = MEMORY_BYTES;
  private depth = 0;
  private readonly dataEnd: number;
  private readonly funcs = new Map<string, Prepared>();
  private readonly sys: Record<string, SyscallFn>;
  private readonly dataAddr: Map<string, number>;
  /** Instructions executed (a measure for tests and the benchmark). */
  steps = 0;

  constructor(m: Module, host: SyncHost) {
    const dl = dataLayout(m);
    this.dataAddr = dl.addr;
    this.dataEnd = dl.end;
    for (const d of m.data) this.mem.set(d.bytes, dl.addr.get(d.name)!);
    this.sys = syscallGlue(() => this.mem, host, (code) => { throw new Exit(code); });
    for (const f of m.funcs) this.funcs.set(f.name, { f, slots: 0, params: [], blocks: [], frame: 0 });
    for (const p of this.funcs.values()) this.prepare(p);
  }

  private prepare(p: Prepared): void {
    const slot = new Map<string, number>();
    const slotOf = (n: string): number => { let s = slot.get(n); if (s === undefined) { s = slot.size; slot.set(n, s); } return s; };
    p.params = p.f.params.map((x) => slotOf(x.name));
    const frame = frameLayout(p.f);
    p.frame = frame.size;
    const index = new Map(p.f.blocks.map((b, k) => [b.label, k]));
    const arg = (o: Operand): Arg => o.k === 'var' ? { slot: slotOf(o.name), c: 0 } : o.k === 'data' ? { slot: -1, c: this.dataAddr.get(o.name)! } : { slot: -1, c: o.v };
    p.blocks = p.f.blocks.map((b, k) => {
      const steps = b.insts.map((i): Step => {
        const dst = i.dst !== undefined ? slotOf(i.dst) : -1, args = i.args.map(arg);
        const kind = i.op === 'br' ? 1 : i.op === 'condbr' ? 2 : i.op === 'ret' ? 3 : 0;
        return { i, kind, dst, args, exec: kind ? () => {} : this.stepFn(i, dst, args, frame.offset.get(i.dst ?? '') ?? 0),
          ...(i.labels ? { target: i.labels.map((l) => index.get(l)!) } : {}) };
      });
      return { index: k, phis: steps.filter((s) => s.i.op === 'phi'), steps: steps.filter((s) => s.i.op !== 'phi') };
    });
    p.slots = slot.size;
  }

  /** The work of one plain instruction, as a closure over its slots and constants. */
  private stepFn(i: Inst, d: number, args: Arg[], frameOff: number): (r: Value[]) => void {
    const rd = (a: Arg | undefined): ((r: Value[]) => Value) => {
      if (!a) return () => 0;
      const s = a.slot, c = a.c;
      return s >= 0 ? (r) => r[s]! : () => c;
    };
    const x = rd(args[0]), y = rd(args[1]);
    const op = i.op, v = this.view, mem = this.mem;
    if (isBinop(op)) { const f = binopFn(op, i.type as Type); return (r) => { r[d] = f(x(r), y(r)); }; }
    if (isCmp(op)) { const f = cmpFn(op, i.opType!); return (r) => { r[d] = f(x(r), y(r)); }; }
    if (isConv(op)) { const t = i.type as Type; return (r) => { r[d] = conv(op, t, x(r)); }; }
    const t = i.type as Type;
    switch (op) {
      case 'copy': return (r) => { r[d] = x(r); };
      case 'load':
        if (t === 'i32') return (r) => { r[d] = v.getInt32(this.addr(x(r), 4), true); };
        if (t === 'ptr') return (r) => { r[d] = v.getUint32(this.addr(x(r), 4), true); };
        if (t === 'i64') return (r) => { r[d] = v.getBigInt64(this.addr(x(r), 8), true); };
        return (r) => { r[d] = v.getFloat64(this.addr(x(r), 8), true); };
      case 'load8': return (r) => { r[d] = mem[this.addr(x(r), 1)]!; };
      case 'store':
        if (t === 'i32' || t === 'ptr') return (r) => { v.setUint32(this.addr(y(r), 4), (x(r) as number) >>> 0, true); };
        if (t === 'i64') return (r) => { v.setBigInt64(this.addr(y(r), 8), x(r) as bigint, true); };
        return (r) => { v.setFloat64(this.addr(y(r), 8), x(r) as number, true); };
      case 'store8': return (r) => { mem[this.addr(y(r), 1)] = (x(r) as number) & 255; };
      case 'alloca': return (r) => { r[d] = this.sp + frameOff; };
      case 'offset': return (r) => { r[d] = ((x(r) as number) + (y(r) as number)) >>> 0; };
      case 'call': {
        const rs = args.map(rd);
        const callee = this.funcs.get(i.callee!);
        const sys = this.sys[i.callee!];
        return (r) => {
          const argv = rs.map((g) => g(r));
          const res = callee ? this.call(callee, argv) : sys!(...argv);
          if (d >= 0) r[d] = res as Value;
        };
      }
      default: return () => {};
    }
  }

  /** Run @main; the exit status or the trap. */
  run(): RunStatus {
    const main = this.funcs.get('main');
    if (!main) return { trap: 'no function @main' };
    try {
      const r = this.call(main, []);
      return { code: typeof r === 'number' ? r : 0 };
    } catch (e) {
      if (e instanceof Exit) return { code: e.code };
      if (e instanceof Trap) return { trap: e.message.replace(/^trap: /, '') };
      if (e instanceof RangeError) return { trap: 'call stack exhausted' };
      if (e instanceof Error && e.message.startsWith('trap: ')) return { trap: e.message.slice(6) };
      throw e;
    }
  }

  private addr(a: Value, size: number): number {
    const p = a as number;
    if (p < 0 || p + size > MEMORY_BYTES) throw new Trap('out of bounds memory access');
    return p;
  }

  call(p: Prepared, args: Value[]): Value | undefined {
    if (++this.depth > MAX_DEPTH) throw new Trap('call stack exhausted');
    const regs: Value[] = new Array<Value>(p.slots).fill(0);
    p.params.forEach((s, k) => { regs[s] = args[k]!; });
    const base = this.sp - p.frame;
    if (base < this.dataEnd) throw new Trap('stack overflow');
    this.sp = base;
    this.mem.fill(0, base, base + p.frame);
    const val = (a: Arg): Value => (a.slot >= 0 ? regs[a.slot]! : a.c);
    let b = p.blocks[0]!;
    try {
      for (;;) {
        let next = -1;
        const steps = b.steps;
        this.steps += steps.length;
        for (let n = 0; n < steps.length; n++) {
          const s = steps[n]!;
          switch (s.kind) {
            case 0: s.exec(regs); break;
            case 1: next = s.target![0]!; break;
            case 2: next = s.target![val(s.args[0]!) !== 0 ? 0 : 1]!; break;
            default: return s.i.type === 'void' ? undefined : val(s.args[0]!);
          }
        }
        const from = b.index;
        b = p.blocks[next]!;
        if (b.phis.length) {
          const vals = b.phis.map((s) => val(s.args[s.target!.indexOf(from)]!));
          b.phis.forEach((s, k) => { regs[s.dst] = vals[k]!; });
          this.steps += b.phis.length;
        }
      }
    } finally {
      this.sp = base + p.frame;
      this.depth--;
    }
  }
}

/** Run a module's @main against a host. */
export function interpret(m: Module, host: SyncHost): RunStatus {
  return new Interpreter(m, host).run();
}

