// Benchmark cohcc: what Coh_CC's output costs against gcc's, on the corpus (cohcc/corpus).
//
//   1. run time: each program compiled at -O2 to WebAssembly and run in Node, against the C
//      the same -O2 IR becomes, built by gcc -O2. Both sides do the same work: one instance
//      (ours) or one process (gcc's) per trial, set up outside the timing; inside it, a loop
//      compiled with the program (wasm/bench.ts; cProgram's bench option) of REPS
//      repetitions, each resetting the program's state the same way (the data region as
//      new, the stack pointer at the top) and then calling main; a null console on both
//      (standard input empty, output counted in the program's own process, no system call;
//      the byte counts must agree; our calls into it cross from WebAssembly to JavaScript,
//      which is counted as ours). Each side times its loop with its own monotonic clock.
//      REPS is set per program so gcc's loop takes about LOOP_MS (tiny programs are scaled
//      up, not measured by their setup). Lower is better; the target, ours <= 2x gcc's, is
//      on the corpus's geometric mean of the per-program ratios (the per-program rows are
//      information).
//   2. code size: the -O2 WebAssembly module's bytes against the -O0 module's (information).
//   3. compile speed: IR instructions per second through parse, validate, the -O2 pipeline
//      and the WebAssembly encoder, against gcc -O2 compiling the C of the same programs
//      (information: gcc does far more, but it is the compiler the C backend feeds).

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
import { withBenchEntry } from '../cohcc/wasm/bench.ts';
import { wasmModule } from '../cohcc/wasm/codegen.ts';
import { encodeModule } from '../cohcc/wasm/module.ts';
import { repoRoot } from '../kernel/role.ts';
import { envNumber, median, trials } from './measure.ts';
import { printReport } from './report.ts';
import type { Row } from './report.ts';

const CORPUS = join(repoRoot(), 'cohcc', 'corpus');
/** gcc's timed loop is calibrated to about this long. */
const LOOP_MS = 40;

/** The null console of the C harness (COHCC_BENCH): stdin is at its end, output is counted. */
class NullHost extends MemHost {
  written = 0;
  override read(fd: number, n: number): Uint8Array | number { return fd === 0 ? 0 : super.read(fd, n); }
  override write(fd: number, data: Uint8Array): number {
    if (fd !== 1 && fd !== 2) return super.write(fd, data);
    this.written += data.length;
    return data.length;
  }
}

interface Timed { ms: number; written: number }

/** One instance; its bench(reps) export runs the repetitions (wasm/bench.ts). */
function wasmLoop(mod: WebAssembly.Module, reps: number): Timed {
  const host = new NullHost();
  let mem: WebAssembly.Memory | undefined;
  const glue = syscallGlue(() => new Uint8Array(mem!.buffer), host, () => { throw new Error('bench cohcc: exits in a benchmark repetition'); });
  const inst = new WebAssembly.Instance(mod, { cohesix: glue as unknown as WebAssembly.ModuleImports });
  mem = inst.exports['memory'] as WebAssembly.Memory;
  const bench = inst.exports['bench'] as (reps: number) => void;
  const t0 = performance.now();
  bench(reps);
  return { ms: performance.now() - t0, written: host.written };
}

/** One process of the C harness: it times its own loop and prints "NS BYTES". */
function cLoop(exe: string, reps: number): Timed {
  const r = spawnSync(exe, [String(reps)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) throw r.error;
  const m = /^(\d+) (\d+)\n$/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`bench cohcc: ${exe} ${reps}: status ${r.status}, output ${JSON.stringify(r.stdout)}`);
  return { ms: Number(m[1]) / 1e6, written: Number(m[2]) };
}

/** Repetitions for gcc's loop to take about LOOP_MS, from a probe that runs at least 5 ms. */
function calibrate(exe: string): number {
  let reps = 1;
  for (;;) {
    const t = cLoop(exe, reps);
    if (t.ms >= 5 || reps >= 1 << 24) return Math.max(1, Math.round(reps * LOOP_MS / t.ms));
    reps *= t.ms > 0.05 ? Math.ceil(5 / t.ms) : 100;
  }
}

const geomean = (xs: readonly number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

export async function cohccBench(): Promise<Row[]> {
  const n = Math.round(envNumber('COHESIX_BENCH_TRIALS', 5));
  const dir = mkdtempSync(join(tmpdir(), 'cohcc-bench-'));
  const rows: Row[] = [];
  const files = readdirSync(CORPUS).filter((f) => /\.(ir|json)$/.test(f)).sort();
  try {
    const sources = files.map((f) => ({ f, src: readFileSync(join(CORPUS, f), 'utf8') }));
    const runs: Row[] = [];
    for (const { f, src } of sources) {
      const m = optimize(readModule(src, f), 2).module;
      const mod = new WebAssembly.Module(encodeModule(withBenchEntry(wasmModule(m), m)) as Uint8Array<ArrayBuffer>);
      const c = join(dir, `${f}.c`), exe = join(dir, f.replace(/\W/g, '_'));
      writeFileSync(c, cProgram(m, { bench: true }));
      execFileSync('gcc', ['-std=c11', '-Wall', '-Werror', '-O2', '-o', exe, c]);
      const reps = calibrate(exe);
      const written = new Set<number>();
      const r = await trials(`1. ${f} x${reps}`, [
        { name: 'ours', run: async () => { const t = wasmLoop(mod, reps); written.add(t.written); return t.ms; } },
        { name: 'gcc', run: async () => { const t = cLoop(exe, reps); written.add(t.written); return t.ms; } },
      ], n);
      if (written.size !== 1) throw new Error(`bench cohcc: ${f}: the two sides wrote different byte counts (${[...written].join(', ')})`);
      runs.push({ line: `1. ${f} -O2 run x${reps}`, unit: 'ms', ours: r.get('ours')!, peer: r.get('gcc')!, peerName: 'gcc -O2 of our C', lower: true });
    }
    rows.push(...runs);
    // Trial k of the aggregate: the geometric mean over the programs of their trial k, so its
    // ratio of medians is (about) the geometric mean of the programs' ratios.
    const across = (side: 'ours' | 'peer'): number[] => runs[0]!.ours.map((_, k) => geomean(runs.map((x) => x[side][k]!)));
    const ratios = runs.map((x) => median(x.ours) / median(x.peer));
    rows.push({
      line: `1. corpus geometric mean (${runs.length} programs)`, unit: 'ms', ours: across('ours'), peer: across('peer'), peerName: 'gcc -O2 of our C', lower: true, target: 2,
      note: `per-program ratios: geometric mean ${geomean(ratios).toFixed(2)}x, worst ${Math.max(...ratios).toFixed(2)}x`,
    });
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
      '  1  WebAssembly from cohcc -O2 in Node (V8) vs the C backend\'s output of the same -O2 IR built by gcc -O2.',
      '     Same work on both sides: one instance / one process per trial (setup not timed); in it a loop compiled with',
      '     the program runs xN repetitions, each resetting the data region and the stack pointer, then calling main;',
      '     timed in-process by each side\'s own clock. Null console on both: stdin empty, output counted without a system',
      '     call (byte counts checked equal); ours reaches it through the JavaScript syscall glue, and that is counted.',
      '     N is chosen so gcc\'s loop takes ~40 ms. Both check every memory access (V8 by guard pages, the C by compare).',
      '     Per-program rows are information; the target (<= 2x) is on the corpus row: the geometric mean over the',
      '     programs (its note gives the geometric mean of the per-program ratios and the worst one).',
      '  2  sum over the corpus of the module sizes.',
      '  3  parse + validate + -O2 pipeline + WebAssembly encoding, vs gcc -O2 -c of the C of the same programs.',
    ],
  });
}
