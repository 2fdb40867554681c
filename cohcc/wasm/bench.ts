// The benchmark's entry point for a compiled module: an exported bench(reps) that runs @main
// reps times, each after resetting the program's state (the data region as new, from
// passive copies of the data segments; the stack pointer at the top). The C backend's
// harness (cProgram's bench option) does the same with memset and memcpy, so both sides'
// repetition loops are compiled code and neither side crosses into its host per repetition.

import type { Module } from '../ir.ts';
import { dataLayout, MEMORY_BYTES } from '../layout.ts';
import type { WInst } from './code.ts';
import type { WModule } from './module.ts';
import { typeIndex } from './module.ts';

const SP = 0; // the stack pointer global, as codegen.ts has it

/** wm (from wasmModule(m)) with bench(i32) exported; its data segments stay active. */
export function withBenchEntry(wm: WModule, m: Module): WModule {
  const main = wm.funcs.findIndex((f) => f.name === 'main');
  const mainFunc = m.funcs.find((f) => f.name === 'main');
  if (main < 0 || !mainFunc || mainFunc.params.length) throw new Error('wasm bench: no function @main() to repeat');
  const dl = dataLayout(m);
  const data = [...wm.data, ...wm.data.map((d) => ({ ...d, passive: true }))];
  const passive = wm.data.length;
  const body: WInst[] = [
    ['block'], ['loop'],
    ['local.get', 0], ['i32.eqz'], ['br_if', 1],
    ['i32.const', 0], ['i32.const', 0], ['i32.const', dl.end], ['memory.fill'],
    ...wm.data.flatMap((d, k): WInst[] => [['i32.const', d.offset], ['i32.const', 0], ['i32.const', d.bytes.length], ['memory.init', passive + k]]),
    ['i32.const', MEMORY_BYTES], ['global.set', SP],
    ['call', wm.imports.length + main], ...(mainFunc.ret === 'void' ? [] : [['drop'] as WInst]),
    ['local.get', 0], ['i32.const', 1], ['i32.sub'], ['local.set', 0],
    ['br', 0],
    ['end'], ['end'],
  ];
  const out: WModule = { ...wm, types: [...wm.types], funcs: [...wm.funcs], data };
  out.funcs.push({ name: 'bench', type: typeIndex(out, { params: ['i32'], results: [] }), locals: [], body, exported: true });
  return out;
}
