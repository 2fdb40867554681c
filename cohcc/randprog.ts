// Random IR programs for differential tests: each a function of straight-line code, ifs and
// bounded loops over i32, i64 and f64 variables kept in allocas (so mem2reg, sccp and the
// rest all have work), printing its variables as it goes. Division is by a value made
// positive and non-zero, so the programs never trap; the same seed gives the same program.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class Rng {
  private s: number;
  constructor(seed: number) { this.s = (seed >>> 0) || 1; }
  next(): number { this.s ^= this.s << 13; this.s ^= this.s >>> 17; this.s ^= this.s << 5; return (this.s >>> 0) / 2 ** 32; }
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
}

const I32 = ['a', 'b', 'c', 'd'], I64 = ['x', 'y'], F64 = ['f', 'g'];
const INT_OPS = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr', 'shru', 'div', 'divu', 'rem', 'remu'];
const CMP_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ltu', 'leu', 'gtu', 'geu'];

/** One function @NAME() that prints its work through @print (an i64 printer the caller supplies). */
export function randomFunction(name: string, seed: number): string {
  const r = new Rng(seed);
  const out: string[] = [];
  let t = 0, l = 0;
  const tmp = (): string => `%t${t++}`;
  const label = (s: string): string => `${s}${l++}`;
  const emit = (s: string): void => { out.push(`  ${s}`); };
  const intConst = (ty: string): string => ty === 'i32' ? String(r.pick([0, 1, 2, 3, 7, -1, -5, 100, 2147483647, -2147483648, r.int(1000) - 500])) : String(r.pick([0n, 1n, -3n, 9223372036854775807n, -9223372036854775808n, BigInt(r.int(1 << 30)) * 12345n]));
  const expr = (ty: 'i32' | 'i64' | 'f64', depth: number): string => {
    const vars = ty === 'i32' ? I32 : ty === 'i64' ? I64 : F64;
    const k = depth <= 0 ? r.int(2) : r.int(6);
    if (k === 0) { const d = tmp(); emit(`${d} = load ${ty} %${r.pick(vars)}`); return d; }
    if (k === 1) return ty === 'f64' ? r.pick(['0.5', '-2.25', '3.0', '1e10', '0.1']) : intConst(ty);
    const d = tmp();
    if (ty === 'f64') {
      if (k === 5) { const s = expr('i32', depth - 1); emit(`${d} = itof f64 ${s}`); return d; }
      const a = expr('f64', depth - 1), b = expr('f64', depth - 1);
      emit(`${d} = ${r.pick(['add', 'sub', 'mul'])} f64 ${a}, ${b}`);
      return d;
    }
    if (k === 5) return convert(ty, d, depth); // from another type
    if (k === 4) {
      const ct = r.pick(['i32', 'i64'] as const);
      const a = expr(ct, depth - 1), b = expr(ct, depth - 1);
      const c = tmp();
      emit(`${c} = ${r.pick(CMP_OPS)} ${ct} ${a}, ${b}`);
      if (ty === 'i32') return c;
      emit(`${d} = zext i64 ${c}`);
      return d;
    }
    const op = r.pick(INT_OPS);
    const a = expr(ty, depth - 1);
    let b = expr(ty, depth - 1);
    if (op.startsWith('div') || op.startsWith('rem')) {
      // b & 0x7fff | 1: positive and non-zero, so neither divide by zero nor overflow.
      const m = tmp(), n = tmp();
      emit(`${m} = and ${ty} ${b}, 32767`);
      emit(`${n} = or ${ty} ${m}, 1`);
      b = n;
    }
    emit(`${d} = ${op} ${ty} ${a}, ${b}`);
    return d;
  };
  const convert = (ty: 'i32' | 'i64', d: string, depth: number): string => {
    if (ty === 'i32') {
      if (r.int(2)) { const s = expr('i64', depth - 1); emit(`${d} = trunc i32 ${s}`); } else { const s = expr('f64', depth - 1); emit(`${d} = ftoi i32 ${s}`); }
    } else {
      const k = r.int(3);
      if (k === 0) { const s = expr('i32', depth - 1); emit(`${d} = sext i64 ${s}`); }
      else if (k === 1) { const s = expr('i32', depth - 1); emit(`${d} = zext i64 ${s}`); }
      else { const s = expr('f64', depth - 1); emit(`${d} = ftoi i64 ${s}`); }
    }
    return d;
  };
  const print = (): void => {
    const ty = r.pick(['i32', 'i64', 'f64'] as const);
    const v = r.pick(ty === 'i32' ? I32 : ty === 'i64' ? I64 : F64);
    const a = tmp();
    emit(`${a} = load ${ty} %${v}`);
    if (ty === 'i64') { emit(`call @print(${a})`); return; }
    const b = tmp();
    emit(ty === 'i32' ? `${b} = sext i64 ${a}` : `${b} = ftoi i64 ${a}`);
    emit(`call @print(${b})`);
  };
  const stmts = (n: number, depth: number): void => {
    for (let k = 0; k < n; k++) {
      const kind = r.int(depth > 0 ? 6 : 4);
      if (kind <= 1) {
        const ty = r.pick(['i32', 'i32', 'i64', 'f64'] as const);
        const v = r.pick(ty === 'i32' ? I32 : ty === 'i64' ? I64 : F64);
        const e = expr(ty, 2);
        emit(`store ${ty} ${e}, %${v}`);
      } else if (kind === 2) print();
      else if (kind === 3) emit('nop');
      else if (kind === 4) {
        const c = expr('i32', 1);
        const yes = label('then'), no = label('else'), join = label('join');
        emit(`condbr ${c}, ${yes}, ${no}`);
        out.push(`${yes}:`); stmts(1 + r.int(3), depth - 1); emit(`br ${join}`);
        out.push(`${no}:`); stmts(r.int(3), depth - 1); emit(`br ${join}`);
        out.push(`${join}:`);
      } else {
        const i = `%i${l}`, head = label('head'), body = label('body'), exit = label('exit');
        emit(`${i} = alloca i32`);
        emit(`br ${head}`);
        out.push(`${head}:`);
        const iv = tmp(), go = tmp();
        emit(`${iv} = load i32 ${i}`);
        emit(`${go} = lt i32 ${iv}, ${1 + r.int(4)}`);
        emit(`condbr ${go}, ${body}, ${exit}`);
        out.push(`${body}:`);
        stmts(1 + r.int(3), depth - 1);
        const i2 = tmp(), i3 = tmp();
        emit(`${i2} = load i32 ${i}`);
        emit(`${i3} = add i32 ${i2}, 1`);
        emit(`store i32 ${i3}, ${i}`);
        emit(`br ${head}`);
        out.push(`${exit}:`);
      }
    }
  };
  const head = [`func @${name}() {`, 'entry:'];
  for (const v of I32) head.push(`  %${v} = alloca i32`);
  for (const v of I64) head.push(`  %${v} = alloca i64`);
  for (const v of F64) head.push(`  %${v} = alloca f64`);
  head.push(`  store i32 ${r.int(100)}, %a`, `  store i64 ${r.int(1000)}, %x`, '  store f64 1.5, %f');
  stmts(4 + r.int(6), 2);
  for (const v of [...I32.slice(0, 2), ...I64.slice(0, 1)]) {
    const a = tmp();
    const ty = I64.includes(v) ? 'i64' : 'i32';
    emit(`${a} = load ${ty} %${v}`);
    if (ty === 'i64') emit(`call @print(${a})`); else { const b = tmp(); emit(`${b} = sext i64 ${a}`); emit(`call @print(${b})`); }
  }
  emit('ret');
  return [...head, ...out, '}'].join('\n');
}

/** Many random functions in one module, called in turn by @main; @print is the corpus's (corpus/sieve.ir). */
export function randomModuleText(seeds: number[]): string {
  const src = readFileSync(join(import.meta.dirname, 'corpus', 'sieve.ir'), 'utf8');
  const print = src.slice(src.indexOf('; print %n'), src.indexOf('func @main'));
  const fns = seeds.map((s, k) => randomFunction(`p${k}`, s));
  const calls = seeds.map((_, k) => `  call @p${k}()`).join('\n');
  return `${print}\n${fns.join('\n\n')}\n\nfunc @main() -> i32 {\nentry:\n${calls}\n  ret i32 0\n}\n`;
}
