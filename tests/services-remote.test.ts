// /sim and /srv/cuda of a DroneWorker, mounted by another node over real TCP and driven from
// that node's rc: services are 9P trees wherever they are reached from.

import { afterEach, describe, expect, it } from 'vitest';
import { runCollected } from '../bin/hostio.ts';
import { nodeServices } from '../bin/services.ts';
import { userland } from '../bin/userland.ts';
import { Server } from '../fs/server/server.ts';
import { listen } from '../fs/transport/net.ts';
import type { Listener } from '../fs/transport/net.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { ExportFs } from '../kernel/export.ts';
import { rcMain } from '../rc/main.ts';

const nodes: BootResult[] = [];
const listeners: Listener[] = [];
afterEach(async () => {
  for (const l of listeners.splice(0)) await l.close();
  for (const n of nodes.splice(0)) await n.kernel.shutdown();
});

describe('services over TCP', () => {
  it('a queen mounts a drone and steps its world and runs its inference', async () => {
    const drone = await boot({ role: 'DroneWorker', programs: userland(), services: nodeServices(), env: {} });
    nodes.push(drone);
    const server = new Server(new ExportFs(drone.sys));
    const l = await listen('tcp!127.0.0.1!0', (link) => { server.serve(link); });
    listeners.push(l);
    const queen = await boot({ role: 'QueenPrimary', programs: userland(), env: {} });
    nodes.push(queen);
    const script = `mount ${l.address} /n/drone
echo add ground > /n/drone/sim/ctl
echo add ball 0.5 0 5 0 > /n/drone/sim/ctl
echo step 240 > /n/drone/sim/ctl
cat /n/drone/sim/clock
sed 's/ .*//' /n/drone/sim/bodies/2/pos
grep -c '^providers cpu' /n/drone/srv/cuda/ctl
echo load lin /srv/cuda/samples/linear.onnx > /n/drone/srv/cuda/ctl
{echo '{"shape":[1,4],"data":[1,2,3,4]}' >[1=0]; cat} <>/n/drone/srv/cuda/models/lin/infer
`;
    const { out, err, status } = await runCollected(queen, rcMain, ['rc', '-c', script]);
    expect(err).toBe('');
    expect(status).toBe('');
    const [clock, x, providers, reply] = out.split('\n');
    expect(clock).toBe('step 240 time 4');
    expect(Number(x)).toBeCloseTo(0, 3);
    expect(providers).toBe('1');
    expect(JSON.parse(reply!)).toMatchObject({ shape: [1, 3] });
    // The drone's own shell sees the ball where the queen left it.
    const local = (await runCollected(drone, rcMain, ['rc', '-c', 'cat /sim/bodies/2/pos'])).out;
    expect(Number(local.split(' ')[1])).toBeCloseTo(0.5, 2);
  });
});
