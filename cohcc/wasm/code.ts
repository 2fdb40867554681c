// WebAssembly instructions as data: a mnemonic and its immediates. The encoder turns them
// into bytes and the WAT printer into text, from the one table of opcodes below.

/** Immediate kinds: none, a u32 index or depth, a block type, memarg (align log2), constants. */
type Imm = '' | 'idx' | 'bt' | 'mem' | 'i32' | 'i64' | 'f64' | 'fill' | 'init' | 'table';

const T: Record<string, [number[], Imm]> = {};
const def = (name: string, bytes: number[], imm: Imm = ''): void => { T[name] = [bytes, imm]; };
def('unreachable', [0x00]); def('nop', [0x01]); def('block', [0x02], 'bt'); def('loop', [0x03], 'bt');
def('if', [0x04], 'bt'); def('else', [0x05]); def('end', [0x0b]); def('br', [0x0c], 'idx'); def('br_if', [0x0d], 'idx');
def('br_table', [0x0e], 'table'); def('return', [0x0f]); def('call', [0x10], 'idx'); def('drop', [0x1a]);
def('local.get', [0x20], 'idx'); def('local.set', [0x21], 'idx'); def('local.tee', [0x22], 'idx');
def('global.get', [0x23], 'idx'); def('global.set', [0x24], 'idx');
def('i32.load', [0x28], 'mem'); def('i64.load', [0x29], 'mem'); def('f64.load', [0x2b], 'mem'); def('i32.load8_u', [0x2d], 'mem');
def('i32.store', [0x36], 'mem'); def('i64.store', [0x37], 'mem'); def('f64.store', [0x39], 'mem'); def('i32.store8', [0x3a], 'mem');
def('i32.const', [0x41], 'i32'); def('i64.const', [0x42], 'i64'); def('f64.const', [0x44], 'f64');
def('i32.eqz', [0x45]);
const cmps = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
cmps.forEach((c, k) => { def(`i32.${c}`, [0x46 + k]); def(`i64.${c}`, [0x51 + k]); });
['eq', 'ne', 'lt', 'gt', 'le', 'ge'].forEach((c, k) => def(`f64.${c}`, [0x61 + k]));
const arith = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u'];
arith.forEach((a, k) => { def(`i32.${a}`, [0x6a + k]); def(`i64.${a}`, [0x7c + k]); });
['add', 'sub', 'mul', 'div'].forEach((a, k) => def(`f64.${a}`, [0xa0 + k]));
def('i32.wrap_i64', [0xa7]); def('i64.extend_i32_s', [0xac]); def('i64.extend_i32_u', [0xad]);
def('f64.convert_i32_s', [0xb7]); def('f64.convert_i64_s', [0xb9]);
def('i32.trunc_sat_f64_s', [0xfc, 0x02]); def('i64.trunc_sat_f64_s', [0xfc, 0x06]);
def('memory.fill', [0xfc, 0x0b], 'fill'); def('memory.init', [0xfc, 0x08], 'init');

export type WInst = [string, ...Array<number | bigint>];

export const OPCODES: Readonly<Record<string, readonly [number[], Imm]>> = T;

export const VALTYPE = { i32: 0x7f, i64: 0x7e, f64: 0x7c } as const;
export type ValType = keyof typeof VALTYPE;

/** Bytes of a growing binary. */
export class Writer {
  private buf = new Uint8Array(1024);
  len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const nb = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  u8(b: number): void { this.room(1); this.buf[this.len++] = b & 255; }
  bytes(b: Uint8Array | number[]): void { this.room(b.length); this.buf.set(b, this.len); this.len += b.length; }
  uleb(n: number): void {
    do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; this.u8(b); } while (n);
  }
  sleb(x: number | bigint): void {
    let n = BigInt(x);
    for (;;) {
      const b = Number(n & 0x7fn);
      n >>= 7n;
      if ((n === 0n && !(b & 0x40)) || (n === -1n && b & 0x40)) { this.u8(b); return; }
      this.u8(b | 0x80);
    }
  }
  f64(x: number): void { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, x, true); this.bytes(b); }
  name(s: string): void { const b = Buffer.from(s, 'utf8'); this.uleb(b.length); this.bytes(b); }
  /** A length-prefixed piece written by f. */
  sized(f: (w: Writer) => void): void { const w = new Writer(); f(w); this.uleb(w.len); this.bytes(w.done()); }
  done(): Uint8Array { return this.buf.slice(0, this.len); }
}

export function encodeInst(w: Writer, i: WInst): void {
  const e = OPCODES[i[0]];
  if (!e) throw new Error(`wasm: no opcode ${i[0]}`);
  w.bytes(e[0]);
  switch (e[1]) {
    case 'idx': w.uleb(Number(i[1])); break;
    case 'bt': w.u8(i[1] === undefined ? 0x40 : Number(i[1])); break;
    case 'mem': w.uleb(Number(i[1] ?? 0)); w.uleb(Number(i[2] ?? 0)); break;
    case 'i32': case 'i64': w.sleb(i[1]!); break;
    case 'f64': w.f64(Number(i[1])); break;
    case 'fill': w.u8(0); break;
    case 'init': w.uleb(Number(i[1])); w.u8(0); break;
    case 'table': w.uleb(i.length - 2); for (const d of i.slice(1)) w.uleb(Number(d)); break;
  }
}
