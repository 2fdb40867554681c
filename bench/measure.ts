// Measuring, shared by the benchmarks: configuration from the environment, rates over a
// fixed duration with contenders taking turns in short slices, alternating trials, medians.

import { performance } from 'node:perf_hooks';

/** Slices of one measurement are at most this long; contenders take turns slice by slice. */
export const SLICE = 0.25;

/** One operation; returns the units it did (operations, MB, ...). */
export type Op = () => Promise<number> | number;

export interface Contender {
  name: string;
  op: Op;
  /** Called after every slice, and when one fails: throws if what the contender needs has died. */
  check?: () => void;
}

export interface Config { seconds: number; reps: number; warmup: number }

/** A positive number from the environment, else dflt. */
export function envNumber(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v} is not a positive number`);
  return n;
}

/** COHESIX_BENCH_SECONDS, COHESIX_BENCH_REPS and COHESIX_BENCH_WARMUP, with their defaults. */
export function configFromEnv(): Config {
  return {
    seconds: envNumber('COHESIX_BENCH_SECONDS', 2),
    reps: Math.round(envNumber('COHESIX_BENCH_REPS', 3)),
    warmup: envNumber('COHESIX_BENCH_WARMUP', 1),
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Whole operations for at least `secs`: the units they did and the seconds they took. */
export async function slice(op: Op, secs: number): Promise<{ units: number; secs: number }> {
  const t0 = performance.now(), end = t0 + secs * 1000;
  let units = 0, t: number;
  do {
    units += await op();
    t = performance.now();
  } while (t < end);
  return { units, secs: (t - t0) / 1000 };
}

/**
 * Warm each contender up, then measure them reps times. Within one measurement the
 * contenders take turns in slices of SLICE seconds until each has had cfg.seconds, so a
 * change in what else the machine is doing hits them all alike.
 */
export async function compare(label: string, cs: Contender[], cfg: Config): Promise<Map<string, number[]>> {
  process.stdout.write(`   ${label}:`);
  const out = new Map<string, number[]>(cs.map((c) => [c.name, []]));
  const run = async (c: Contender, secs: number): Promise<{ units: number; secs: number }> => {
    try { const r = await slice(c.op, secs); c.check?.(); return r; } catch (e) { c.check?.(); throw e; }
  };
  for (const c of cs) await run(c, cfg.warmup);
  const slices = Math.max(1, Math.round(cfg.seconds / SLICE)), each = cfg.seconds / slices;
  for (let i = 0; i < cfg.reps; i++) {
    const sums = cs.map(() => ({ units: 0, secs: 0 }));
    for (let k = 0; k < slices; k++) {
      for (let j = 0; j < cs.length; j++) {
        const r = await run(cs[j]!, each);
        sums[j]!.units += r.units;
        sums[j]!.secs += r.secs;
      }
    }
    cs.forEach((c, j) => out.get(c.name)!.push(sums[j]!.units / sums[j]!.secs));
    process.stdout.write(' .');
  }
  process.stdout.write('\n');
  return out;
}

/** Alternating trials: each function returns one figure; trial i runs every contender once. */
export async function trials(label: string, cs: Array<{ name: string; run: () => Promise<number> }>, n: number): Promise<Map<string, number[]>> {
  process.stdout.write(`   ${label}:`);
  const out = new Map<string, number[]>(cs.map((c) => [c.name, []]));
  for (const c of cs) await c.run(); // warm-up, not counted
  for (let i = 0; i < n; i++) {
    for (const c of cs) out.get(c.name)!.push(await c.run());
    if (i % 2 === 1 || i === n - 1) process.stdout.write(' .');
  }
  process.stdout.write('\n');
  return out;
}
