// The IR interpreter: the reference the backends are tested against. It runs any valid
// module, in SSA form (phis take their values in parallel on the edge taken) or lowered,
// with the memory layout and the syscall ABI of the backends. Each function is prepared
// once: variables become slots, operands become slot numbers or constants.

import { syscallGlue } from './abi.ts';
import type { SyscallFn } from './abi.ts';
import { Trap } from './error.ts';
import { binop, cmp, conv } from './eval.ts';
import type { Value } from './eval.ts';
import type { Func, Inst, Module, Operand, Type } from './ir.ts';
import { isBinop, isCmp, isConv } from './ir.ts';
import { dataLayout, frameLayout, MEMORY_BYTES } from './layout.ts';
import type { SyncHost } from './syscalls.ts';
import { Exit } from './syscalls.ts';

/** How a run ended: the exit code (main's result or exits' argument), or a trap. */
export type RunStatus = { code: number } | { trap: string };

interface Arg { slot: number; c: Value }
interface Step { i: Inst; dst: number; args: Arg[]; target?: number[]; callee?: Prepared | string; frameOff?: number }
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
      const steps = b.insts.map((i): Step => ({
        i, dst: i.dst !== undefined ? slotOf(i.dst) : -1, args: i.args.map(arg),
        ...(i.labels ? { target: i.labels.map((l) => index.get(l)!) } : {}),
        ...(i.op === 'call' ? { callee: this.funcs.get(i.callee!) ?? i.callee! } : {}),
        ...(i.op === 'alloca' ? { frameOff: frame.offset.get(i.dst!)! } : {}),
      }));
      return { index: k, phis: steps.filter((s) => s.i.op === 'phi'), steps: steps.filter((s) => s.i.op !== 'phi') };
    });
    p.slots = slot.size;
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
    const v = this.view;
    let b = p.blocks[0]!;
    try {
      for (;;) {
        let next = -1;
        for (const s of b.steps) {
          this.steps++;
          const i = s.i, op = i.op;
          if (isBinop(op)) regs[s.dst] = binop(op, i.type as Type, val(s.args[0]!), val(s.args[1]!));
          else if (isCmp(op)) regs[s.dst] = cmp(op, i.opType!, val(s.args[0]!), val(s.args[1]!));
          else if (isConv(op)) regs[s.dst] = conv(op, i.type as Type, val(s.args[0]!));
          else switch (op) {
            case 'copy': regs[s.dst] = val(s.args[0]!); break;
            case 'load': {
              const t = i.type as Type;
              const a = this.addr(val(s.args[0]!), t === 'i32' || t === 'ptr' ? 4 : 8);
              regs[s.dst] = t === 'i32' ? v.getInt32(a, true) : t === 'ptr' ? v.getUint32(a, true) : t === 'i64' ? v.getBigInt64(a, true) : v.getFloat64(a, true);
              break;
            }
            case 'load8': regs[s.dst] = this.mem[this.addr(val(s.args[0]!), 1)]!; break;
            case 'store': {
              const t = i.type as Type, x = val(s.args[0]!);
              const a = this.addr(val(s.args[1]!), t === 'i32' || t === 'ptr' ? 4 : 8);
              if (t === 'i32' || t === 'ptr') v.setUint32(a, (x as number) >>> 0, true);
              else if (t === 'i64') v.setBigInt64(a, x as bigint, true);
              else v.setFloat64(a, x as number, true);
              break;
            }
            case 'store8': this.mem[this.addr(val(s.args[1]!), 1)] = (val(s.args[0]!) as number) & 255; break;
            case 'alloca': regs[s.dst] = base + s.frameOff!; break;
            case 'offset': regs[s.dst] = ((val(s.args[0]!) as number) + (val(s.args[1]!) as number)) >>> 0; break;
            case 'call': {
              const argv = s.args.map(val);
              const r = typeof s.callee === 'string' ? this.sys[s.callee]!(...argv) : this.call(s.callee!, argv);
              if (s.dst >= 0) regs[s.dst] = r as Value;
              break;
            }
            case 'nop': break;
            case 'br': next = s.target![0]!; break;
            case 'condbr': next = s.target![val(s.args[0]!) !== 0 ? 0 : 1]!; break;
            case 'ret': return i.type === 'void' ? undefined : val(s.args[0]!);
            default: throw new Error(`interpreter: ${op} out of place`);
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

