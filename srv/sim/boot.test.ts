// /sim in a booted node, end to end through rc: a DroneWorker drives it, a SimulatorTest
// sees only /sim/data, read-only.

import { afterEach, describe, expect, it } from 'vitest';
import { boot } from '../../kernel/boot.ts';
import type { BootResult } from '../../kernel/boot.ts';
import { ServiceRegistry } from '../../kernel/services.ts';
import { OWRITE } from '../../fs/9p/constants.ts';
import { runCollected } from '../../bin/hostio.ts';
import { userland } from '../../bin/userland.ts';
import { rcMain } from '../../rc/main.ts';
import { simService } from './sim.ts';
import type { SimServer } from './sim.ts';

const nodes: BootResult[] = [];
const servers: SimServer[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.kernel.shutdown();
  for (const s of servers.splice(0)) s.close();
});

async function node(role: string): Promise<BootResult> {
  const spec = simService();
  const services = new ServiceRegistry().register('sim', {
    ...spec,
    start: async (k, ctx) => { const s = (await spec.start(k, ctx)) as SimServer; servers.push(s); return s; },
  });
  const n = await boot({ role, programs: userland(), services });
  nodes.push(n);
  return n;
}

async function rc(n: BootResult, script: string): Promise<{ out: string; err: string; status: string }> {
  return runCollected(n, rcMain, ['rc', '-c', script]);
}

describe('sim(4) in a node', () => {
  it('a DroneWorker drops a ball from rc and reads where it is', async () => {
    const n = await node('DroneWorker');
    expect(n.present).toContain('sim');
    const r = await rc(n, "echo add ground > /sim/ctl; echo 'add ball 0.5 0 5 0' > /sim/ctl; echo step 120 > /sim/ctl; cat /sim/bodies/2/pos");
    expect(r.err).toBe('');
    expect(r.status).toBe('');
    const p = r.out.trim().split(' ').map(Number);
    expect(p).toHaveLength(7);
    expect(Math.abs(p[1]! - 0.5)).toBeLessThan(0.01);
    const s = await rc(n, 'cat /sim/clock; ls /sim; ls /sim/bodies; cat /sim/trace; echo fly > /sim/ctl; echo status $status');
    expect(s.out).toBe([
      'step 120 time 2', 'bodies', 'clock', 'ctl', 'data', 'events', 'trace', 'world.json',
      '1', '2', '0 add ground', '0 add ball 0.5 0 5 0', '0 step 120',
      "status bad control message: unknown command 'fly' (want gravity, dt, step, run, pause, reset, add, remove, impulse, pos or vel)", '',
    ].join('\n'));
    expect(s.err).toMatch(/bad control message: unknown command 'fly'/);
  });

  it('the manual\'s examples: save and restore world.json with cp; replay a trace through ctl', async () => {
    const n = await node('DroneWorker');
    const r = await rc(n, [
      'echo add ground > /sim/ctl', "echo 'add ball 0.5 0 5 0' > /sim/ctl", 'echo step 30 > /sim/ctl',
      'echo impulse 0 2 0 > /sim/bodies/2/ctl', 'for(i in `{seq 1 10}) echo step > /sim/ctl',
      'cp /sim/world.json /tmp/w.json', 'echo step 50 > /sim/ctl', 'cp /tmp/w.json /sim/world.json',
      'cat /sim/clock', 'cmp /sim/world.json /tmp/w.json && echo restored',
      'echo step 25 > /sim/ctl; cp /sim/world.json /tmp/a.json',
      'cp /tmp/w.json /sim/world.json; echo step 25 > /sim/ctl; cmp /sim/world.json /tmp/a.json && echo same again',
      // the trace since that restore replays onto the same world.json
      'echo step 7 > /sim/ctl; cp /sim/trace /tmp/session; cp /sim/world.json /tmp/b.json',
      'cp /tmp/w.json /sim/world.json; cat /tmp/session > /sim/ctl; cat /sim/clock',
      'cmp /sim/world.json /tmp/b.json && echo replayed onto w.json',
      // a whole session from reset replays onto a reset world
      "echo reset > /sim/ctl; echo add ground > /sim/ctl; echo 'add box 0.5 0.5 0.5 0 3 0' > /sim/ctl; echo step 90 > /sim/ctl",
      'echo impulse 0 3 1 > /sim/bodies/2/ctl; echo step 40 > /sim/ctl; cp /sim/trace /tmp/s2; cp /sim/world.json /tmp/c.json',
      'echo reset > /sim/ctl; cat /tmp/s2 > /sim/ctl; cmp /sim/world.json /tmp/c.json && echo replayed from reset',
    ].join('\n'));
    expect(r.err).toBe('');
    expect(r.out).toBe('step 40 time 0.666666667\nrestored\nsame again\nstep 72 time 1.2\nreplayed onto w.json\nreplayed from reset\n');
  });

  it('a SimulatorTest sees only /sim/data, and cannot write it', async () => {
    const n = await node('SimulatorTest');
    const r = await rc(n, 'ls /sim; ls /sim/data; cat /sim/data/clock');
    expect(r.out).toBe('data\nclock\nevents\nstate\nworld.json\nstep 0 time 0\n');
    const refused: Array<[string, RegExp]> = [
      ['echo step > /sim/ctl', /forbids creation/],
      ['echo x > /sim/data/new', /forbids creation/],
      ['rm /sim/data/clock', /permission denied/],
      ['cat /sim/bodies/1/pos', /file does not exist/],
    ];
    for (const [cmd, why] of refused) {
      const e = await rc(n, cmd);
      expect(e.status, cmd).not.toBe('');
      expect(e.err, cmd).toMatch(why);
    }
    // below rc, opening for write is refused whatever the file's mode says: the role holds dev:#sim rl
    for (const f of ['/sim/data/state', '/sim/data/world.json', '/sim/data/clock']) {
      await expect(n.sys.open(f, OWRITE), f).rejects.toThrow(/permission denied/);
    }
    const again = await rc(n, 'cat /sim/data/state; cat /sim/data/clock');
    expect(again.out).toBe('step 0 time 0\n');
  });
});
