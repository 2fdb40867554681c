// Benchmark cohcc: what Coh_CC's output costs against gcc's, on the corpus (cohcc/corpus).
//
//   1. run time: each program compiled at -O2 to WebAssembly, run REPEAT times in Node (a
//      fresh instance each time: memory and data as new), against the C the same -O2 IR
//      becomes, built by gcc -O2, whose main runs @main REPEAT times (memory reset each
//      time), as one process. Lower is better; target ours <= 2x gcc's.
//   2. code size: the -O2 WebAssembly module's bytes against the -O0 module's (information).
//   3. compile speed: IR instructions per second through parse, validate, the -O2 pipeline
//      and the WebAssembly encoder, against gcc -O2 compiling the C of the same programs
//      (information: gcc does far more, but it is the compiler the C backend feeds).
//
// Output of the programs is discarded in both (a host whose write only counts).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { syscallGlue } from '../cohcc/abi.ts';
import { cProgram } from '../cohcc/c/codegen.ts';
import { compile, optimize, readModule } from '../cohcc/compile.ts';
import { instCount } from '../cohcc/ir.ts';
import { MemHost } from '../cohcc/memhost.ts';
import { Exit } from '../cohcc/syscalls.ts';
import { repoRoot } from '../kernel/role.ts';
import { envNumber, trials } from './measure.ts';
import { printReport } from './report.ts';
import type { Row } from './report.ts';

const CORPUS = join(repoRoot(), 'cohcc', 'corpus');
/** Repetitions per timed run, so each takes tens of milliseconds (the process start of the C is then small). */
const REPEAT: Record<string, number> = { 'fib.ir': 20, 'sieve.ir': 40, 'matmul.ir': 20, 'sort.ir': 30, 'strings.ir': 2000, 'collatz.ir': 20, 'wc.ir': 2000, 'gcd.json': 20000 };

/** A host that throws output away: the run time is the program's, not the pipe's. */
class NullHost extends MemHost {
  override write(fd: number, data: Uint8Array): number { return fd === 1 || fd === 2 ? data.length : super.write(fd, data); }
}

function wasmRun(mod: WebAssembly.Module, repeat: number): number {
  const t0 = performance.now();
  for (let r = 0; r < repeat; r++) {
    let mem: WebAssembly.Memory | undefined;
    const glue = syscallGlue(() => new Uint8Array(mem!.buffer), new NullHost(), (code) => { throw new Exit(code); });
    const inst = new WebAssembly.Instance(mod, { cohesix: glue as unknown as WebAssembly.ModuleImports });
    mem = inst.exports['memory'] as WebAssembly.Memory;
    try { (inst.exports['main'] as () => unknown)(); } catch (e) { if (!(e instanceof Exit)) throw e; }
  }
  return performance.now() - t0;
}

function cRun(exe: string): number {
  const t0 = performance.now();
  const r = spawnSync(exe, [], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.error) throw r.error;
  return performance.now() - t0;
}

export async function cohccBench(): Promise<Row[]> {
  const n = Math.round(envNumber('COHESIX_BENCH_TRIALS', 5));
  const dir = mkdtempSync(join(tmpdir(), 'cohcc-bench-'));
  const rows: Row[] = [];
  const files = readdirSync(CORPUS).filter((f) => /\.(ir|json)$/.test(f)).sort();
  try {
    const sources = files.map((f) => ({ f, src: readFileSync(join(CORPUS, f), 'utf8') }));
    for (const { f, src } of sources) {
      const m = readModule(src, f);
      const repeat = REPEAT[f] ?? 10;
      const bytes = compile(m, { opt: 2, emit: 'wasm' }).output as Uint8Array;
      const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      const c = join(dir, `${f}.c`), exe = join(dir, f.replace(/\W/g, '_'));
      writeFileSync(c, cProgram(optimize(m, 2).module, repeat));
      execFileSync('gcc', ['-std=c11', '-Wall', '-Werror', '-O2', '-o', exe, c]);
      const r = await trials(`1. ${f} x${repeat}`, [
        { name: 'ours', run: async () => wasmRun(mod, repeat) },
        { name: 'gcc', run: async () => cRun(exe) },
      ], n);
      rows.push({ line: `1. ${f} -O2 run x${repeat}`, unit: 'ms', ours: r.get('ours')!, peer: r.get('gcc')!, peerName: 'gcc -O2 of our C', lower: true, target: 2 });
    }
    let o2 = 0, o0 = 0;
    for (const { f, src } of sources) {
      const m = readModule(src, f);
      o2 += (compile(m, { opt: 2, emit: 'wasm' }).output as Uint8Array).length;
      o0 += (compile(m, { opt: 0, emit: 'wasm' }).output as Uint8Array).length;
    }
    rows.push({ line: '2. corpus WebAssembly bytes, -O2 vs -O0', unit: 'bytes', ours: [o2], peer: [o0], peerName: '-O0', lower: true });
    const insts = sources.reduce((k, { f, src }) => k + instCount(readModule(src, f)), 0);
    const r = await trials('3. compile speed', [
      { name: 'ours', run: async () => {
        const t0 = performance.now();
        for (const { f, src } of sources) compile(src, { opt: 2, emit: 'wasm', file: f });
        return insts / ((performance.now() - t0) / 1000);
      } },
      { name: 'gcc', run: async () => {
        const t0 = performance.now();
        for (const { f } of sources) execFileSync('gcc', ['-std=c11', '-O2', '-c', '-o', join(dir, 'x.o'), join(dir, `${f}.c`)]);
        return insts / ((performance.now() - t0) / 1000);
      } },
    ], n);
    rows.push({ line: '3. compile speed, corpus -O2 (IR insts/s)', unit: 'insts/s', ours: r.get('ours')!, peer: r.get('gcc')!, peerName: 'gcc -O2 of our C' });
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return rows;
}

/** The benchmark as bench/run.ts runs it. */
export async function cohccBenchReport(): Promise<void> {
  await printReport({
    method: '1 warm-up, then COHESIX_BENCH_TRIALS (default 5) alternating trials; medians reported',
    measure: cohccBench,
    legend: [
      '(ratio = ours / peer from the medians; PASS/MISS is a report, not a test)',
      '  1  WebAssembly from cohcc -O2 in Node (V8), a fresh instance per repetition, vs the C backend\'s output of the',
      '     same -O2 IR built by gcc -O2, repetitions inside one process. Both check every memory access.',
      '  2  sum over the corpus of the module sizes.',
      '  3  parse + validate + -O2 pipeline + WebAssembly encoding, vs gcc -O2 -c of the C of the same programs.',
    ],
  });
}
