// A WebAssembly module as data, and its binary encoding (the MVP sections plus the
// bulk-memory and non-trapping float-to-int instructions Node 20 runs). One memory, of
// fixed size, exported as "memory"; imports are functions from module "cohesix".

import type { ValType, WInst } from './code.ts';
import { encodeInst, VALTYPE, Writer } from './code.ts';

export interface FuncType { params: ValType[]; results: ValType[] }
export interface WImport { module: string; name: string; type: number }
export interface WFunc { name: string; type: number; locals: ValType[]; body: WInst[]; exported?: boolean }
export interface WGlobal { type: ValType; mutable: boolean; init: number }
export interface WModule {
  types: FuncType[];
  imports: WImport[];
  funcs: WFunc[];
  memoryPages: number;
  globals: WGlobal[];
  /** Active segments (copied to offset at instantiation), or passive ones (for memory.init). */
  data: Array<{ offset: number; bytes: Uint8Array; passive?: boolean }>;
}

/** The index of a function type, added when new. */
export function typeIndex(m: WModule, t: FuncType): number {
  const key = JSON.stringify(t);
  const k = m.types.findIndex((x) => JSON.stringify(x) === key);
  if (k >= 0) return k;
  m.types.push(t);
  return m.types.length - 1;
}

export function encodeModule(m: WModule): Uint8Array {
  const w = new Writer();
  w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, f: (s: Writer) => void): void => { w.u8(id); w.sized(f); };
  const vec = <T>(s: Writer, xs: readonly T[], f: (x: T) => void): void => { s.uleb(xs.length); xs.forEach(f); };
  section(1, (s) => vec(s, m.types, (t) => {
    s.u8(0x60);
    vec(s, t.params, (p) => s.u8(VALTYPE[p]));
    vec(s, t.results, (r) => s.u8(VALTYPE[r]));
  }));
  if (m.imports.length) section(2, (s) => vec(s, m.imports, (i) => { s.name(i.module); s.name(i.name); s.u8(0x00); s.uleb(i.type); }));
  section(3, (s) => vec(s, m.funcs, (f) => s.uleb(f.type)));
  section(5, (s) => { s.uleb(1); s.u8(0x01); s.uleb(m.memoryPages); s.uleb(m.memoryPages); });
  if (m.globals.length) section(6, (s) => vec(s, m.globals, (g) => {
    s.u8(VALTYPE[g.type]); s.u8(g.mutable ? 1 : 0);
    encodeInst(s, [`${g.type}.const`, g.init]); s.u8(0x0b);
  }));
  const exps: Array<[string, number, number]> = [['memory', 0x02, 0]];
  m.funcs.forEach((f, k) => { if (f.exported) exps.push([f.name, 0x00, m.imports.length + k]); });
  section(7, (s) => vec(s, exps, ([name, kind, idx]) => { s.name(name); s.u8(kind); s.uleb(idx); }));
  // memory.init needs the data count ahead of the code.
  if (m.data.some((d) => d.passive)) section(12, (s) => s.uleb(m.data.length));
  section(10, (s) => vec(s, m.funcs, (f) => s.sized((b) => {
    // Locals in runs of one type.
    const runs: Array<[number, ValType]> = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++; else runs.push([1, t]);
    }
    vec(b, runs, ([n, t]) => { b.uleb(n); b.u8(VALTYPE[t]); });
    for (const i of f.body) encodeInst(b, i);
    b.u8(0x0b);
  })));
  if (m.data.length) section(11, (s) => vec(s, m.data, (d) => {
    if (d.passive) s.u8(0x01);
    else { s.u8(0x00); encodeInst(s, ['i32.const', d.offset]); s.u8(0x0b); }
    s.uleb(d.bytes.length); s.bytes(d.bytes);
  }));
  return w.done();
}
