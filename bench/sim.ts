// Benchmark sim: what the file interface costs a physics world. 1,000 balls scattered above
// the ground fall, land and pile up; we count steps per second
//
//   ours    a 9P client writing `step 10` (and, for information, `step 1`) to /sim/ctl of a
//           SimServer over an in-process pair, the ctl fid kept open;
//   rapier  world.step() called directly on a world set up by the same code, with the same
//           event queue drained (what the service has to do too).
//
// Rapier is deterministic, so both contenders do exactly the same physics: a trial builds a
// fresh world (not timed), then times STEPS steps; trials alternate, medians are reported,
// and every trial checks that both worlds ended in the same state. Target: ours >= 0.95x.

import { performance } from 'node:perf_hooks';
import { OWRITE } from '../fs/9p/constants.ts';
import type { CFid, Client } from '../fs/client/index.ts';
import { parseCommand } from '../srv/sim/parse.ts';
import { rapier } from '../srv/sim/rapier.ts';
import type { Rapier } from '../srv/sim/rapier.ts';
import { startSim } from '../srv/sim/sim.ts';
import type { SimServer } from '../srv/sim/sim.ts';
import { mountSim } from '../srv/sim/testkit.ts';
import { SimWorld } from '../srv/sim/world.ts';
import { envNumber, trials } from './measure.ts';
import { printReport } from './report.ts';
import type { Row } from './report.ts';

const BODIES = 1000;

/** The scene as ctl lines: ground, then BODIES balls on a jittered 10x10x10 grid from y=3 up (a fixed LCG: same every run). */
export function scene(n = BODIES): string[] {
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  const lines = ['add ground'];
  for (let i = 0; i < n; i++) {
    const gx = i % 10, gz = Math.floor(i / 10) % 10, gy = Math.floor(i / 100);
    const x = (gx - 4.5) * 1.3 + (rnd() - 0.5) * 0.2, z = (gz - 4.5) * 1.3 + (rnd() - 0.5) * 0.2, y = 3 + gy * 1.3 + rnd() * 0.2;
    lines.push(`add ball ${r3(0.3 + rnd() * 0.2)} ${r3(x)} ${r3(y)} ${r3(z)}`);
  }
  return lines;
}

/** Sum of every body's position: equal sums after equal steps mean the two worlds agree. */
function checksum(w: SimWorld): number {
  let s = 0;
  for (const id of w.ids()) { const t = w.rb(id).translation(); s += t.x * 1.1 + t.y * 1.3 + t.z * 1.7; }
  return s;
}

interface Ours { server: SimServer; client: Client; ctl: CFid }

async function ours(): Promise<Ours> {
  const server = await startSim({ timers: false });
  const { fs, client } = await mountSim(server);
  return { server, client, ctl: await fs.open('/ctl', OWRITE) };
}

/** One trial through the files: set up (untimed), then `step batch` writes until steps are done; steps/s. */
async function oursTrial(o: Ours, steps: number, batch: number, sums: number[]): Promise<number> {
  await o.ctl.pwrite(Buffer.from(['reset', ...scene()].join('\n') + '\n'), 0);
  const cmd = Buffer.from(`step ${batch}\n`);
  const t0 = performance.now();
  for (let done = 0; done < steps; done += batch) await o.ctl.pwrite(cmd, 0);
  const secs = (performance.now() - t0) / 1000;
  sums.push(checksum(o.server.sim.world));
  return steps / secs;
}

/** One trial straight on Rapier: the same scene built by the same code, world.step() in a loop. */
function rapierTrial(R: Rapier, steps: number, sums: number[]): number {
  const w = new SimWorld(R);
  for (const l of scene()) {
    const c = parseCommand(l.split(' '));
    if (c.op === 'add') w.add(c.shape, c.at, c.mass);
  }
  const eq = new R.EventQueue(true);
  let events = 0;
  const count = (): void => { events++; };
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    w.world.step(eq);
    eq.drainCollisionEvents(count);
  }
  const secs = (performance.now() - t0) / 1000;
  sums.push(checksum(w));
  eq.free();
  w.free();
  return steps / secs;
}

/** The rows: steps/s through /sim/ctl (`step 10`, and `step 1` for information) against world.step(). */
export async function simBench(): Promise<Row[]> {
  const n = Math.round(envNumber('COHESIX_BENCH_TRIALS', 7));
  const steps = Math.round(envNumber('COHESIX_BENCH_SIM_STEPS', 300));
  const R = await rapier();
  const o = await ours();
  const rows: Row[] = [];
  try {
    for (const batch of [10, 1]) {
      const a: number[] = [], b: number[] = [];
      const r = await trials(`${batch === 10 ? 1 : 2}. ${BODIES} balls, ${steps} steps as 'step ${batch}' writes vs world.step()`, [
        { name: 'ours', run: () => oursTrial(o, steps, batch, a) },
        { name: 'rapier', run: async () => rapierTrial(R, steps, b) },
      ], n);
      a.forEach((s, i) => { if (s !== b[i]) throw new Error(`trial ${i}: the worlds differ after ${steps} steps (${s} vs ${b[i]})`); });
      rows.push({
        line: `${batch === 10 ? 1 : 2}. ${BODIES} balls, /sim/ctl 'step ${batch}'`, unit: 'steps/s', ours: r.get('ours')!, peer: r.get('rapier')!,
        peerName: 'rapier', ...(batch === 10 ? { target: 0.95 } : {}),
      });
    }
  } finally {
    await o.ctl.clunk().catch(() => undefined);
    o.client.close();
    o.server.close();
  }
  return rows;
}

/** The benchmark as bench/run.ts runs it: facts, the table, notes, every run. */
export async function simBenchReport(): Promise<void> {
  await printReport({
    method: '1 warm-up, then COHESIX_BENCH_TRIALS (default 7) alternating trials of COHESIX_BENCH_SIM_STEPS (default 300) steps from a fresh world; medians reported',
    measure: simBench,
    legend: [
      '(ratio = ours / peer from the medians; PASS/MISS is a report, not a test)',
      `  1  a 9P client (fs/client over the in-process pair) writes 'step 10' to /sim/ctl, fid kept open; the service steps, drains`,
      '     contact events into the events feed and records the command in the trace. Peer: world.step(eventQueue) and a drain',
      '     on a world the same code built (the same scene, ground + 1,000 balls of r 0.3-0.5 falling from y=3..16, dt 1/60).',
      '     Both worlds are checked equal after every trial.',
      "  2  the same with 'step 1': one 9P round trip per step, the worst case; information only",
    ],
  });
}
