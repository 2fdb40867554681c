// The benchmark's repetition harnesses (wasm/bench.ts and cProgram's bench option) repeat
// @main with its state reset each time: N repetitions write N times the program's output,
// the same count on both sides, and a program that exits fails both.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syscallGlue } from '../abi.ts';
import { cProgram } from '../c/codegen.ts';
import { optimize, readModule } from '../compile.ts';
import type { Module } from '../ir.ts';
import { MemHost } from '../memhost.ts';
import { CBuilds } from '../testkit.ts';
import { withBenchEntry } from './bench.ts';
import { wasmModule } from './codegen.ts';
import { encodeModule } from './module.ts';

const corpus = (f: string): Module => optimize(readModule(readFileSync(join(import.meta.dirname, '..', 'corpus', f), 'utf8'), f), 2).module;

function wasmBench(m: Module, reps: number): MemHost {
  const bytes = encodeModule(withBenchEntry(wasmModule(m), m)) as Uint8Array<ArrayBuffer>;
  expect(WebAssembly.validate(bytes)).toBe(true);
  const host = new MemHost();
  let mem: WebAssembly.Memory | undefined;
  const glue = syscallGlue(() => new Uint8Array(mem!.buffer), host, () => { throw new Error('exits'); });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { cohesix: glue as unknown as WebAssembly.ModuleImports });
  mem = inst.exports['memory'] as WebAssembly.Memory;
  (inst.exports['bench'] as (n: number) => void)(reps);
  return host;
}

describe('the benchmark harnesses', () => {
  const c = new CBuilds();
  afterAll(() => c.remove());

  it('repeat main with its data reset: strings.ir (which changes its data) prints its output each time, in both', async () => {
    const m = corpus('strings.ir');
    const want = readFileSync(join(import.meta.dirname, '..', 'corpus', 'strings.out'), 'latin1');
    expect(wasmBench(m, 3).stdout()).toBe(want.repeat(3));
    const exe = await c.build(cProgram(m, { bench: true }), '-O2');
    const [ns, written] = execFileSync(exe, ['3'], { encoding: 'utf8' }).trim().split(' ').map(Number);
    expect(ns).toBeGreaterThan(0);
    expect(written).toBe(3 * want.length);
  });

  it('a program that calls exits cannot be repeated: both fail', async () => {
    const m = optimize(readModule('func @main() -> i32 {\nentry:\n  call @exits(3)\n  ret i32 0\n}\n'), 2).module;
    expect(() => wasmBench(m, 2)).toThrow('exits');
    const exe = await c.build(cProgram(m, { bench: true }), '-O2');
    expect(() => execFileSync(exe, ['2'], { stdio: 'pipe' })).toThrow(/exits in a benchmark repetition/);
  });
});
