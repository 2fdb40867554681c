// Benchmark kernel: the Cohesix kernel against the host, every figure a ratio against a
// peer measured in the same run (no absolute thresholds):
//
//   1. syscalls  open / read 8 KiB / close of /dev/zero through Sys in a booted QueenPrimary
//                node, against Node's fs.openSync / readSync / closeSync of the real /dev/zero;
//   2. pipes     16 MiB through 4 kernel processes joined by kernel pipes (sys.pipe, spawn
//                with opts.fds: write, copy, copy, count), against `cat | cat | cat | cat`
//                as real OS processes under /bin/sh, fed and drained by Node;
//   3. boot      boot({ role: 'QueenPrimary' }) in-process, and its shutdown, against
//                `node -e 0` (spawn to exit); target: boot + shutdown <= 2x node -e 0.
//
// Rates (1) are taken like bench 9p's: a warm-up, then COHESIX_BENCH_REPS measurements of
// COHESIX_BENCH_SECONDS each, contenders taking turns in short slices; (2) and (3) are
// COHESIX_BENCH_TRIALS (default 11) alternating trials of each. Medians are reported.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import type { Program } from '../kernel/kernel.ts';
import { OREAD, ORDWR } from '../kernel/sys.ts';
import type { Sys } from '../kernel/sys.ts';
import { compare, configFromEnv, envNumber, SLICE, trials } from './measure.ts';
import type { Config, Op } from './measure.ts';
import { machineFacts, runsText, table } from './report.ts';
import type { Row } from './report.ts';

const ROLE = 'QueenPrimary';
const READ = 8 << 10;
const PIPE_BYTES = 16 << 20;
const PIPE_CHUNK = 64 << 10;
/** Node's synchronous cycles are run this many to a turn, so the await per turn is noise. */
const SYNC_BATCH = 64;

interface KernelConfig extends Config { trials: number }

// ---------------------------------------------------------------------------------------
// 1. Syscalls.

function cohesixCycle(sys: Sys): Op {
  return async () => {
    const fd = await sys.open('/dev/zero', OREAD);
    const d = await sys.read(fd, READ);
    await sys.close(fd);
    if (d.length !== READ) throw new Error(`/dev/zero: short read ${d.length}`);
    return 1;
  };
}

function nodeCycle(): Op {
  const buf = Buffer.alloc(READ);
  return () => {
    for (let i = 0; i < SYNC_BATCH; i++) {
      const fd = fs.openSync('/dev/zero', 'r');
      const n = fs.readSync(fd, buf, 0, READ, null);
      fs.closeSync(fd);
      if (n !== READ) throw new Error(`/dev/zero: short read ${n}`);
    }
    return SYNC_BATCH;
  };
}

/** Reads alone, the file kept open: the per-read cost without walk, open and clunk. */
async function cohesixReads(sys: Sys): Promise<{ op: Op; close: () => Promise<void> }> {
  const fd = await sys.open('/dev/zero', OREAD);
  return {
    op: async () => {
      const d = await sys.read(fd, READ);
      if (d.length !== READ) throw new Error(`/dev/zero: short read ${d.length}`);
      return 1;
    },
    close: () => sys.close(fd),
  };
}

function nodeReads(): { op: Op; close: () => void } {
  const buf = Buffer.alloc(READ);
  const fd = fs.openSync('/dev/zero', 'r');
  return {
    op: () => {
      for (let i = 0; i < SYNC_BATCH; i++) if (fs.readSync(fd, buf, 0, READ, null) !== READ) throw new Error('/dev/zero: short read');
      return SYNC_BATCH;
    },
    close: () => fs.closeSync(fd),
  };
}

// ---------------------------------------------------------------------------------------
// 2. Pipes.

/** bench-src BYTES CHUNK: write BYTES to fd 1 in CHUNK writes. */
const benchSrc: Program = async (sys) => {
  const total = Number(sys.args[1]), chunk = Number(sys.args[2]);
  const buf = Buffer.alloc(chunk, 0x61);
  for (let left = total; left > 0;) {
    const n = Math.min(chunk, left);
    const w = await sys.write(1, n === chunk ? buf : buf.subarray(0, n));
    if (w !== n) return `short write ${w} of ${n}`;
    left -= n;
  }
  return '';
};

/** bench-cat CHUNK: copy fd 0 to fd 1 until end of file. */
const benchCat: Program = async (sys) => {
  const chunk = Number(sys.args[1]);
  for (;;) {
    const d = await sys.read(0, chunk);
    if (d.length === 0) return '';
    const w = await sys.write(1, d);
    if (w !== d.length) return `short write ${w} of ${d.length}`;
  }
};

/** bench-sink BYTES CHUNK: read fd 0 to end of file; fails unless it saw BYTES. */
const benchSink: Program = async (sys) => {
  const want = Number(sys.args[1]), chunk = Number(sys.args[2]);
  let got = 0;
  for (;;) {
    const d = await sys.read(0, chunk);
    if (d.length === 0) break;
    got += d.length;
  }
  return got === want ? '' : `counted ${got} bytes, want ${want}`;
};

const PROGRAMS: Record<string, Program> = { 'bench-src': benchSrc, 'bench-cat': benchCat, 'bench-sink': benchSink };

/** One run of the 4-stage kernel pipeline; its wall time in seconds (pipes, spawns and all). */
async function kernelPipeline(sys: Sys, bytes: number): Promise<number> {
  const t0 = performance.now();
  const pipes: Array<[number, number]> = [];
  for (let i = 0; i < 3; i++) pipes.push(await sys.pipe());
  const nul = await sys.open('/dev/null', ORDWR);
  const a = [String(bytes), String(PIPE_CHUNK)];
  const stages: Array<{ prog: string; argv: string[]; fds: number[] }> = [
    { prog: 'bench-src', argv: a, fds: [nul, pipes[0]![0], nul] },
    { prog: 'bench-cat', argv: [String(PIPE_CHUNK)], fds: [pipes[0]![1], pipes[1]![0], nul] },
    { prog: 'bench-cat', argv: [String(PIPE_CHUNK)], fds: [pipes[1]![1], pipes[2]![0], nul] },
    { prog: 'bench-sink', argv: a, fds: [pipes[2]![1], nul, nul] },
  ];
  for (const s of stages) await sys.spawn(`/bin/${s.prog}`, [s.prog, ...s.argv], { fds: s.fds });
  // Only the children hold the ends now, so each reader sees end of file when its writer exits.
  for (const [x, y] of pipes) { await sys.close(x); await sys.close(y); }
  await sys.close(nul);
  const bad: string[] = [];
  for (let i = 0; i < stages.length; i++) {
    const w = await sys.await();
    if (!w) throw new Error('kernel pipeline: a stage was not waited for');
    if (w.status) bad.push(w.status);
  }
  if (bad.length) throw new Error(`kernel pipeline: ${bad.join('; ')}`);
  return (performance.now() - t0) / 1000;
}

/** One run of `cat | cat | cat | cat` under /bin/sh, fed and drained by Node; seconds. */
async function osPipeline(bytes: number): Promise<number> {
  const buf = Buffer.alloc(PIPE_CHUNK, 0x61);
  const t0 = performance.now();
  const p = spawn('/bin/sh', ['-c', 'cat | cat | cat | cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(p, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  let got = 0;
  p.stdout!.on('data', (b: Buffer) => { got += b.length; });
  const stdin = p.stdin!;
  for (let left = bytes; left > 0;) {
    const n = Math.min(PIPE_CHUNK, left);
    left -= n;
    if (!stdin.write(n === PIPE_CHUNK ? buf : buf.subarray(0, n))) await once(stdin, 'drain');
  }
  stdin.end();
  const [code, sig] = await exited;
  const secs = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`sh -c 'cat | cat | cat | cat' ${sig ? `killed by ${sig}` : `exited ${code}`}`);
  if (got !== bytes) throw new Error(`os pipeline: counted ${got} bytes, want ${bytes}`);
  return secs;
}

// ---------------------------------------------------------------------------------------
// 3. Boot.

interface BootTimes { boot: number; shutdown: number }

async function bootOnce(): Promise<BootTimes> {
  const t0 = performance.now();
  const node = await boot({ role: ROLE, env: {} });
  const t1 = performance.now();
  await node.kernel.shutdown();
  const t2 = performance.now();
  return { boot: t1 - t0, shutdown: t2 - t1 };
}

async function nodeE0(): Promise<number> {
  const t0 = performance.now();
  const p = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const [code, sig] = (await once(p, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`node -e 0 ${sig ? `killed by ${sig}` : `exited ${code}`}`);
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------
// The benchmark.

export async function kernelBench(): Promise<void> {
  const cfg: KernelConfig = { ...configFromEnv(), trials: Math.round(envNumber('COHESIX_BENCH_TRIALS', 11)) };
  process.stdout.write(machineFacts());
  process.stdout.write(`method    rates: ${cfg.warmup} s warm-up, then ${cfg.reps} x ${cfg.seconds} s per contender in turns of <= ${SLICE} s; pipes and boot: 1 warm-up, then ${cfg.trials} alternating trials; medians reported\n\n`);
  process.stdout.write('measuring\n');
  const rows: Row[] = [];
  let node: BootResult | undefined;
  let cold: BootTimes | undefined;
  try {
    // The first boot in this process (cold code), for information; it serves 1 and 2.
    cold = await bootOnce();
    node = await boot({ role: ROLE, env: {} });
    const sys = node.sys;
    for (const [name, prog] of Object.entries(PROGRAMS)) node.kernel.programs.set(name, prog);

    const sc = await compare('1. open/read/close /dev/zero', [
      { name: 'ours', op: cohesixCycle(sys) },
      { name: 'node', op: nodeCycle() },
    ], cfg);
    rows.push({ line: `1. open/read ${READ >> 10} KiB/close /dev/zero`, unit: 'cycles/s', ours: sc.get('ours')!, peer: sc.get('node')!, peerName: 'node' });

    const cr = await cohesixReads(sys), nr = nodeReads();
    try {
      const rd = await compare('1r. read 8 KiB, fd kept open', [{ name: 'ours', op: cr.op }, { name: 'node', op: nr.op }], cfg);
      rows.push({ line: `1r. read ${READ >> 10} KiB only, fd kept open`, unit: 'reads/s', ours: rd.get('ours')!, peer: rd.get('node')!, peerName: 'node' });
    } finally { await cr.close(); nr.close(); }

    const pp = await trials(`2. 4-stage pipe, ${PIPE_BYTES >> 20} MiB`, [
      { name: 'ours', run: async () => PIPE_BYTES / 1e6 / await kernelPipeline(sys, PIPE_BYTES) },
      { name: 'os', run: async () => PIPE_BYTES / 1e6 / await osPipeline(PIPE_BYTES) },
    ], cfg.trials);
    rows.push({ line: `2. 4-stage pipe, ${PIPE_BYTES >> 20} MiB`, unit: 'MB/s', ours: pp.get('ours')!, peer: pp.get('os')!, peerName: 'sh-cat' });

    // The fixed cost in the figure above: the same pipelines carrying nothing.
    const p0 = await trials('2z. 4-stage pipe, 0 bytes', [
      { name: 'ours', run: async () => 1000 * await kernelPipeline(sys, 0) },
      { name: 'os', run: async () => 1000 * await osPipeline(0) },
    ], cfg.trials);
    rows.push({ line: '2z. same pipe set up and torn down, 0 bytes', unit: 'ms', ours: p0.get('ours')!, peer: p0.get('os')!, peerName: 'sh-cat', lower: true });

    await node.kernel.shutdown();
    node = undefined;

    const bootRuns: BootTimes[] = [];
    const bt = await trials('3. boot QueenPrimary vs node -e 0', [
      { name: 'ours', run: async () => { const t = await bootOnce(); bootRuns.push(t); return t.boot + t.shutdown; } },
      { name: 'node', run: nodeE0 },
    ], cfg.trials);
    const counted = bootRuns.slice(1); // the warm-up run is not reported
    rows.push({ line: `3. boot ${ROLE} + shutdown, in-process`, unit: 'ms', ours: bt.get('ours')!, peer: bt.get('node')!, peerName: 'node-e0', lower: true, target: 2 });
    rows.push({ line: '3b. boot() alone', unit: 'ms', ours: counted.map((t) => t.boot), peer: bt.get('node')!, peerName: 'node-e0', lower: true });
  } finally {
    await node?.kernel.shutdown();
  }

  process.stdout.write('\n' + table(rows));
  process.stdout.write([
    '(MB = 10^6 bytes; ratio = ours / peer from the medians; PASS/MISS is a report, not a test)',
    `  1   Sys.open + Sys.read ${READ} + Sys.close of /dev/zero in init of a booted ${ROLE} node (namespace walk, 9P walk/open/read/clunk`,
    `      through the in-process pair) vs fs.openSync/readSync/closeSync of the host's /dev/zero (${SYNC_BATCH} cycles a turn)`,
    '  1r  the read alone on an fd kept open: what a call costs without walk, open and clunk',
    `  2   3 sys.pipe()s, 4 programs spawned from /bin with opts.fds: bench-src writes ${PIPE_BYTES >> 20} MiB in ${PIPE_CHUNK >> 10} KiB writes,`,
    `      2 bench-cats copy, bench-sink counts; vs /bin/sh -c 'cat | cat | cat | cat' with Node writing ${PIPE_CHUNK >> 10} KiB chunks to its`,
    '      stdin and counting its stdout (so 5 pipe hops there, 3 here). Wall time from creating the pipes (or spawning sh) to',
    '      the last exit, setup included',
    '  2z  the same with 0 bytes: the fixed cost inside figure 2',
    '  3   boot() until it returns plus kernel.shutdown(), vs spawn(node, [-e, 0]) until exit; target ours <= 2x node -e 0',
    `  3b  boot() alone; the first (cold) boot in this process took ${cold ? `${cold.boot.toFixed(2)} ms (+ ${cold.shutdown.toFixed(2)} ms shutdown)` : '?'}`,
  ].join('\n') + '\n');
  process.stdout.write('all runs:\n' + runsText(rows));
  process.stdout.write(`load      ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end (other work on this machine moves these figures)\n`);
}
