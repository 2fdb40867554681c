// The compiler as one call: read a module (text, or upstream's JSON), validate it, run a
// pipeline, lower it out of SSA, and emit IR text, WAT, a WebAssembly binary or C.

import { cProgram } from './c/codegen.ts';
import { CohccError } from './error.ts';
import type { Module } from './ir.ts';
import { cloneModule } from './ir.ts';
import { parseJsonModule } from './json.ts';
import { parseModule } from './parse.ts';
import { pipeline, runPasses, PIPELINES } from './passes/manager.ts';
import type { OptLevel, PassStat } from './passes/manager.ts';
import { printModule } from './print.ts';
import { validateModule } from './validate.ts';
import { wasmModule } from './wasm/codegen.ts';
import { encodeModule } from './wasm/module.ts';
import { watText } from './wasm/wat.ts';

export type Emit = 'ir' | 'wat' | 'wasm' | 'c';

export interface CompileOptions {
  opt?: OptLevel;
  emit?: Emit;
  /** Validate after every pass (debug mode). */
  verify?: boolean;
  /** The source's name, for error positions. */
  file?: string;
}

export interface Compiled { output: Uint8Array | string; stats: PassStat[]; module: Module; insts: number }

/** Text IR or upstream JSON (a source starting with '{'), parsed and validated. */
export function readModule(src: string, file = 'input'): Module {
  try {
    const m = /^\s*\{/.test(src) ? parseJsonModule(src) : parseModule(src);
    validateModule(m);
    return m;
  } catch (e) {
    if (e instanceof CohccError) throw e.inFile(file);
    throw e;
  }
}

/** Optimize a validated module at a level (in a copy); for --emit ir the SSA result. */
export function optimize(m: Module, opt: OptLevel, verify = false, lower = true): { module: Module; stats: PassStat[] } {
  const c = cloneModule(m);
  const stats = runPasses(c, lower ? pipeline(opt) : PIPELINES[opt], { verify });
  return { module: c, stats };
}

export function compile(src: string | Module, opts: CompileOptions = {}): Compiled {
  const file = opts.file ?? 'input';
  const m = typeof src === 'string' ? readModule(src, file) : src;
  const emit = opts.emit ?? 'wasm';
  const insts = m.funcs.reduce((n, f) => n + f.blocks.reduce((k, b) => k + b.insts.length, 0), 0);
  try {
    if (emit === 'ir') {
      const r = optimize(m, opts.opt ?? 0, opts.verify, false);
      return { output: printModule(r.module), stats: r.stats, module: r.module, insts };
    }
    if (!m.funcs.some((f) => f.name === 'main' && f.params.length === 0)) throw new CohccError('no function @main() to run', { line: 0, col: 0 });
    const r = optimize(m, opts.opt ?? 0, opts.verify, true);
    if (emit === 'c') return { output: cProgram(r.module), stats: r.stats, module: r.module, insts };
    const wm = wasmModule(r.module);
    return { output: emit === 'wat' ? watText(wm) : encodeModule(wm), stats: r.stats, module: r.module, insts };
  } catch (e) {
    if (e instanceof CohccError) throw e.inFile(file);
    throw e;
  }
}
