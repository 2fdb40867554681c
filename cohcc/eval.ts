// What each operation computes, in one place: the interpreter runs it and constant folding
// folds with it, so both agree with each other and with the backends (whose semantics are
// WebAssembly's: wrapping integers, shifts mod the width, traps on division by zero and on
// the signed overflow of div, rem of -1 is 0, ftoi saturates and makes NaN 0).

import { Trap } from './error.ts';
import type { BinOp, CmpOp, ConvOp, Type } from './ir.ts';

export type Value = number | bigint;

const I32_MIN = -2147483648;

function bin32(op: BinOp, a: number, b: number): number {
  switch (op) {
    case 'add': return (a + b) | 0;
    case 'sub': return (a - b) | 0;
    case 'mul': return Math.imul(a, b);
    case 'div':
      if (b === 0) throw new Trap('integer divide by zero');
      if (a === I32_MIN && b === -1) throw new Trap('integer overflow');
      return (a / b) | 0;
    case 'divu': if (b === 0) throw new Trap('integer divide by zero'); return ((a >>> 0) / (b >>> 0)) | 0;
    case 'rem': if (b === 0) throw new Trap('integer divide by zero'); return b === -1 ? 0 : (a % b) | 0;
    case 'remu': if (b === 0) throw new Trap('integer divide by zero'); return ((a >>> 0) % (b >>> 0)) | 0;
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'shl': return a << (b & 31);
    case 'shr': return a >> (b & 31);
    case 'shru': return (a >>> (b & 31)) | 0;
  }
}

const W = (x: bigint): bigint => BigInt.asIntN(64, x);
const U = (x: bigint): bigint => BigInt.asUintN(64, x);

function bin64(op: BinOp, a: bigint, b: bigint): bigint {
  switch (op) {
    case 'add': return W(a + b);
    case 'sub': return W(a - b);
    case 'mul': return W(a * b);
    case 'div':
      if (b === 0n) throw new Trap('integer divide by zero');
      if (a === -(2n ** 63n) && b === -1n) throw new Trap('integer overflow');
      return W(a / b);
    case 'divu': if (b === 0n) throw new Trap('integer divide by zero'); return W(U(a) / U(b));
    case 'rem': if (b === 0n) throw new Trap('integer divide by zero'); return W(a % b);
    case 'remu': if (b === 0n) throw new Trap('integer divide by zero'); return W(U(a) % U(b));
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'shl': return W(a << (b & 63n));
    case 'shr': return a >> (b & 63n);
    case 'shru': return W(U(a) >> (b & 63n));
  }
}

type Fn2 = (a: Value, b: Value) => Value;

/** The operation as a function specialised to its type (the interpreter prepares these once). */
export function binopFn(op: BinOp, t: Type): Fn2 {
  if (t === 'f64') {
    switch (op) {
      case 'add': return (a, b) => (a as number) + (b as number);
      case 'sub': return (a, b) => (a as number) - (b as number);
      case 'mul': return (a, b) => (a as number) * (b as number);
      default: return (a, b) => (a as number) / (b as number);
    }
  }
  if (t === 'i64') return (a, b) => bin64(op, a as bigint, b as bigint);
  switch (op) {
    case 'add': return (a, b) => ((a as number) + (b as number)) | 0;
    case 'sub': return (a, b) => ((a as number) - (b as number)) | 0;
    case 'mul': return (a, b) => Math.imul(a as number, b as number);
    case 'and': return (a, b) => (a as number) & (b as number);
    case 'or': return (a, b) => (a as number) | (b as number);
    case 'xor': return (a, b) => (a as number) ^ (b as number);
    case 'shl': return (a, b) => (a as number) << ((b as number) & 31);
    default: return (a, b) => bin32(op, a as number, b as number);
  }
}

export function cmpFn(op: CmpOp, t: Type): Fn2 {
  if (t === 'i64' || op.endsWith('u')) return (a, b) => cmp(op, t, a, b);
  switch (op) {
    case 'eq': return (a, b) => (a === b ? 1 : 0);
    case 'ne': return (a, b) => (a !== b ? 1 : 0);
    case 'lt': return (a, b) => (a < b ? 1 : 0);
    case 'le': return (a, b) => (a <= b ? 1 : 0);
    case 'gt': return (a, b) => (a > b ? 1 : 0);
    default: return (a, b) => (a >= b ? 1 : 0);
  }
}

export function binop(op: BinOp, t: Type, a: Value, b: Value): Value {
  if (t === 'i64') return bin64(op, a as bigint, b as bigint);
  if (t === 'f64') {
    const x = a as number, y = b as number;
    return op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y;
  }
  return bin32(op, a as number, b as number);
}

export function cmp(op: CmpOp, t: Type, a: Value, b: Value): number {
  let x = a, y = b;
  if (op.endsWith('u') && t !== 'f64') {
    if (t === 'i64') { x = U(a as bigint); y = U(b as bigint); } else { x = (a as number) >>> 0; y = (b as number) >>> 0; }
  }
  switch (op) {
    case 'eq': return x === y ? 1 : 0;
    case 'ne': return x !== y ? 1 : 0;
    case 'lt': case 'ltu': return x < y ? 1 : 0;
    case 'le': case 'leu': return x <= y ? 1 : 0;
    case 'gt': case 'gtu': return x > y ? 1 : 0;
    case 'ge': case 'geu': return x >= y ? 1 : 0;
  }
}

export function conv(op: ConvOp, to: Type, a: Value): Value {
  switch (op) {
    case 'sext': return BigInt(a as number);
    case 'zext': return BigInt((a as number) >>> 0);
    case 'trunc': return Number(BigInt.asIntN(32, a as bigint));
    case 'itof': return Number(a);
    case 'ftoi': {
      const x = a as number;
      if (Number.isNaN(x)) return to === 'i64' ? 0n : 0;
      const t = Math.trunc(x);
      if (to === 'i32') return t >= 2147483647 ? 2147483647 : t <= I32_MIN ? I32_MIN : t;
      return t >= 2 ** 63 ? 2n ** 63n - 1n : t <= -(2 ** 63) ? -(2n ** 63n) : BigInt(t);
    }
  }
}

export function zeroOf(t: Type): Value { return t === 'i64' ? 0n : 0; }
