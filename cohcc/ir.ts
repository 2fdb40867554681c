// The Coh_CC IR: a module of data and functions; a function of basic blocks; a block of
// instructions ending in one terminator. Values are SSA variables (%name) or immediates.
// The same shapes carry the IR before mem2reg (allocas and loads/stores), in SSA (phis)
// and after out-of-SSA (copies; a variable may then be assigned in several places).

export const TYPES = ['i32', 'i64', 'f64', 'ptr'] as const;
export type Type = (typeof TYPES)[number];
export type RetType = Type | 'void';

/** Where a thing was written: 1-based line and column (0 when made by a pass). */
export interface Pos { line: number; col: number }
export const NOPOS: Pos = Object.freeze({ line: 0, col: 0 });

export type Operand =
  | { k: 'var'; name: string }
  | { k: 'const'; type: Type; v: number | bigint }
  | { k: 'data'; name: string };

/** Binary arithmetic: both operands and the result of the instruction's type. */
export const BINOPS = ['add', 'sub', 'mul', 'div', 'divu', 'rem', 'remu', 'and', 'or', 'xor', 'shl', 'shr', 'shru'] as const;
/** Comparisons: operands of the instruction's type, result i32 0 or 1 (u: unsigned). */
export const CMPOPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ltu', 'leu', 'gtu', 'geu'] as const;
/** Conversions: the instruction's type is the result's; sext/zext i32->i64, trunc i64->i32, itof int->f64, ftoi f64->int (saturating). */
export const CONVOPS = ['sext', 'zext', 'trunc', 'itof', 'ftoi'] as const;
export const OTHEROPS = ['copy', 'load', 'load8', 'store', 'store8', 'alloca', 'offset', 'call', 'phi', 'nop', 'br', 'condbr', 'ret'] as const;

export type BinOp = (typeof BINOPS)[number];
export type CmpOp = (typeof CMPOPS)[number];
export type ConvOp = (typeof CONVOPS)[number];
export type Op = BinOp | CmpOp | ConvOp | (typeof OTHEROPS)[number];

export const OPS: ReadonlySet<string> = new Set<string>([...BINOPS, ...CMPOPS, ...CONVOPS, ...OTHEROPS]);
export const TERMINATORS: ReadonlySet<string> = new Set(['br', 'condbr', 'ret']);
export const isBinop = (op: string): op is BinOp => (BINOPS as readonly string[]).includes(op);
export const isCmp = (op: string): op is CmpOp => (CMPOPS as readonly string[]).includes(op);
export const isConv = (op: string): op is ConvOp => (CONVOPS as readonly string[]).includes(op);

/**
 * One instruction. type: the result type (store: the stored type; alloca: the element type;
 * ret: the returned type or void). args: operands in text order (store: value, address;
 * condbr: the condition; phi: incoming values, paired with labels). labels: branch targets
 * or phi predecessors. callee for call; count (elements) for alloca; opType for comparisons.
 */
export interface Inst {
  op: Op;
  dst?: string;
  type: RetType;
  args: Operand[];
  labels?: string[];
  callee?: string;
  count?: number;
  /** cmp: the operands' type (the result is i32). */
  opType?: Type;
  pos: Pos;
}

export interface Block { label: string; insts: Inst[]; pos: Pos }
export interface Param { name: string; type: Type }
export interface Func { name: string; params: Param[]; ret: RetType; blocks: Block[]; pos: Pos }
/** A global byte string (or zero-filled buffer); its name is a ptr operand. */
export interface Data { name: string; bytes: Uint8Array; pos: Pos }
export interface Module { data: Data[]; funcs: Func[] }

export const v = (name: string): Operand => ({ k: 'var', name });
export const c32 = (n: number): Operand => ({ k: 'const', type: 'i32', v: n | 0 });

/** Does the instruction change anything but its destination (so it cannot be removed unused)? */
export function hasEffect(i: Inst): boolean {
  return i.op === 'store' || i.op === 'store8' || i.op === 'call' || TERMINATORS.has(i.op) ||
    // A division may trap: removing it would change what the program does.
    ((i.op === 'div' || i.op === 'divu' || i.op === 'rem' || i.op === 'remu') && i.type !== 'f64') ||
    i.op === 'load' || i.op === 'load8';
}

export function terminator(b: Block): Inst | undefined {
  const t = b.insts[b.insts.length - 1];
  return t && TERMINATORS.has(t.op) ? t : undefined;
}

/** Successor labels of a block (in order, duplicates kept). */
export function succs(b: Block): string[] {
  const t = terminator(b);
  return t && t.op !== 'ret' ? t.labels ?? [] : [];
}

export function cloneInst(i: Inst): Inst {
  return { ...i, args: i.args.map((a) => ({ ...a })), ...(i.labels ? { labels: [...i.labels] } : {}) };
}

export function cloneModule(m: Module): Module {
  return {
    data: m.data.map((d) => ({ ...d })),
    funcs: m.funcs.map((f) => ({ ...f, params: f.params.map((p) => ({ ...p })), blocks: f.blocks.map((b) => ({ ...b, insts: b.insts.map(cloneInst) })) })),
  };
}

export function sameOperand(a: Operand, b: Operand): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'const' && b.k === 'const') return a.type === b.type && Object.is(a.v, b.v);
  return (a as { name: string }).name === (b as { name: string }).name;
}

/** How many instructions the module has (the unit of compile speed and code size per pass). */
export function instCount(m: Module): number {
  let n = 0;
  for (const f of m.funcs) for (const b of f.blocks) n += b.insts.length;
  return n;
}

export const sizeOf = (t: Type): number => (t === 'i32' || t === 'ptr' ? 4 : 8);
