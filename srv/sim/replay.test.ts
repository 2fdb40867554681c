// Record and replay: /sim/trace fed to a fresh world, by replay() or through /sim/ctl,
// reproduces world.json byte for byte.

import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../fs/client/index.ts';
import { replay, startSim } from './sim.ts';
import type { Sim, SimServer } from './sim.ts';
import { ctl, mountSim, readText } from './testkit.ts';

const servers: SimServer[] = [];
const sims: Sim[] = [];
const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) s.close();
  for (const s of sims.splice(0)) s.close();
});

async function sim(): Promise<{ s: SimServer; fs: Awaited<ReturnType<typeof mountSim>>['fs'] }> {
  const s = await startSim();
  servers.push(s);
  const m = await mountSim(s);
  clients.push(m.client);
  return { s, fs: m.fs };
}

/** A busy session: shapes, masses, impulses, teleports, removes, gravity and dt changes, real-time running. */
async function session(fs: Awaited<ReturnType<typeof mountSim>>['fs']): Promise<void> {
  await ctl(fs, 'add ground');
  for (let i = 0; i < 12; i++) await ctl(fs, `add ball ${0.2 + i * 0.03} ${(i % 4) - 1.5} ${2 + i * 0.7} ${(i % 3) * 0.4 - 0.4}`);
  await ctl(fs, 'add box 0.5 0.25 0.3 0.1 9 0.2 mass 4', 'step 30');
  await fs.writeFile('/bodies/3/ctl', 'impulse 0.3 2 -0.1\n');
  await ctl(fs, 'impulse 14 1 0 0.5', 'step 17', 'gravity 0.5 -9.81 0');
  await ctl(fs, 'remove 5', 'dt 0.01', 'step 45');
  await fs.writeFile('/bodies/7/ctl', 'pos 0 6 0\nvel 1 0 -1\n');
  await ctl(fs, 'run 250');
  await new Promise((r) => setTimeout(r, 120));
  await ctl(fs, 'pause');
  await ctl(fs, 'add ball 0.4 0 8 0 mass 0.5', 'step 100');
}

describe('sim(4) record and replay', () => {
  it('the trace lists every accepted command at its step', async () => {
    const { fs } = await sim();
    await ctl(fs, 'add ground', 'add ball 0.5 0 5 0', 'step 10');
    await expect(ctl(fs, 'bogus')).rejects.toThrow();
    await fs.writeFile('/bodies/2/ctl', 'impulse 1 0 0\n');
    await ctl(fs, 'dt 0.02', 'step 2', 'remove 2');
    expect(await readText(fs, '/trace')).toBe([
      '0 add ground', '0 add ball 0.5 0 5 0', '0 step 10', '10 impulse 2 1 0 0', '10 dt 0.02', '10 step 2', '12 remove 2', '',
    ].join('\n'));
    await ctl(fs, 'reset');
    expect(await readText(fs, '/trace')).toBe('');
  });

  it('replay(trace) reproduces world.json exactly, real-time steps included', async () => {
    const { fs } = await sim();
    await session(fs);
    const trace = await readText(fs, '/trace');
    expect(trace).toMatch(/^\d+ run 250\n\d+ pause\n/m);
    const want = await readText(fs, '/world.json');
    const r = await replay(trace);
    sims.push(r);
    expect(r.worldJson()).toBe(want);
    expect(r.traceText()).toBe(trace);
    // and once more: the engine is deterministic run to run
    const again = await replay(trace);
    sims.push(again);
    expect(again.worldJson()).toBe(want);
  });

  it('the trace written into a fresh /sim/ctl reproduces world.json and the trace', async () => {
    const a = await sim(), b = await sim();
    await session(a.fs);
    const trace = await readText(a.fs, '/trace');
    await b.fs.writeFile('/ctl', trace);
    expect(await readText(b.fs, '/world.json')).toBe(await readText(a.fs, '/world.json'));
    expect(await readText(b.fs, '/trace')).toBe(trace);
  });

  it('a running sim\'s trace replays up to a given step; a restored world\'s trace replays from its world.json', async () => {
    const { s, fs } = await sim();
    await ctl(fs, 'add ground', 'add ball 0.5 0 3 0', 'run 300');
    await new Promise((r) => setTimeout(r, 60));
    await ctl(fs, 'pause');
    const step = s.sim.world.step;
    const r1 = await replay(await readText(fs, '/trace'), { until: step });
    sims.push(r1);
    expect(r1.worldJson()).toBe(await readText(fs, '/world.json'));

    const base = await readText(fs, '/world.json');
    await fs.writeFile('/world.json', base);
    await ctl(fs, 'add box 0.2 0.2 0.2 0 2 0', 'step 30');
    const trace = await readText(fs, '/trace');
    expect(trace.split('\n')[0]).toBe(`${step} add box 0.2 0.2 0.2 0 2 0`);
    const r2 = await replay(trace, { from: base });
    sims.push(r2);
    expect(r2.worldJson()).toBe(await readText(fs, '/world.json'));
  });

  it('replay refuses a line without its step, and a step gone back', async () => {
    await expect(replay('add ground\n')).rejects.toThrow('bad control message: a trace line starts with its step');
    await expect(replay('5 add ground\n3 step 1\n')).rejects.toThrow('bad control message: step 3 is already past (the world is at step 5)');
  });
});
