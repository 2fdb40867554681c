// cuda(4) end to end: a DroneWorker node with /srv/cuda, driven from rc the way a user would
// (cat ctl, load a sample, infer through one read-write open: `{echo ... >[1=0]; cat} <>infer`).

import { afterEach, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { runCollected } from '../../bin/hostio.ts';
import { userland } from '../../bin/userland.ts';
import { boot } from '../../kernel/boot.ts';
import type { BootResult } from '../../kernel/boot.ts';
import { ServiceRegistry } from '../../kernel/services.ts';
import { rcMain } from '../../rc/main.ts';
import { startCuda } from './cuda.ts';
import type { CudaService } from './cuda.ts';
import { linearSample } from './samples.ts';

const nodes: Array<{ node: BootResult; svc: CudaService }> = [];
afterEach(async () => {
  for (const { node, svc } of nodes.splice(0)) { await node.kernel.shutdown(); await svc.close(); }
});

/** A DroneWorker whose /srv/cuda loads files through init's namespace. */
async function drone(): Promise<{ node: BootResult; rc: (script: string) => Promise<{ out: string; err: string; status: string }> }> {
  let node: BootResult | undefined;
  let svc: CudaService | undefined;
  const services = new ServiceRegistry().register('cuda', {
    path: '/srv/cuda',
    start: async () => {
      svc = await startCuda({ readFile: (path) => node!.sys.readFile(path) });
      return svc;
    },
  });
  node = await boot({ role: 'DroneWorker', programs: userland(), services });
  nodes.push({ node, svc: svc! });
  const rc = (script: string) => runCollected(node!, rcMain, ['rc', '-c', script]);
  return { node, rc };
}

describe('cuda(4) from rc on a DroneWorker', () => {
  it('cat ctl, load the sample, infer with the <> idiom, read status', async () => {
    const { rc } = await drone();
    const ctl = await rc('cat /srv/cuda/ctl');
    expect(ctl.err).toBe('');
    expect(ctl.out).toMatch(new RegExp(`^backend onnxruntime-node ${ort.env.versions.node}\nproviders cpu( \\S+)*\nmodels\nqueue 0\nleases 0\n$`));

    const load = await rc('echo load lin /srv/cuda/samples/linear.onnx > /srv/cuda/ctl && ls /srv/cuda/models && cat /srv/cuda/models/lin/info');
    expect(load.err).toBe('');
    expect(load.out).toBe('lin\ninput x float32 [1 4]\noutput y float32 [1 3]\npath /srv/cuda/samples/linear.onnx\n');

    // The idiom of cuda(4), as printed there.
    const run = await rc(`{echo '{"shape":[1,4],"data":[1,2,3,4]}' >[1=0]; cat} <>/srv/cuda/models/lin/infer`);
    expect(run.err).toBe('');
    expect(run.status).toBe('');
    const reply = JSON.parse(run.out) as { shape: number[]; data: number[] };
    expect(reply.shape).toEqual([1, 3]);
    const want = linearSample().forward(Float32Array.from([1, 2, 3, 4]), 1);
    reply.data.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));

    const bad = await rc(`{echo '{"shape":[1,5],"data":[1,2,3,4,5]}' >[1=0]; cat} <>/srv/cuda/models/lin/infer`);
    expect(bad.err).toContain('x: want float32 [1 4], got [1 5]');
    expect(bad.out).toBe('');

    const man = await rc('man 4 cuda | sed 2q');
    expect(man.out).toMatch(/^NAME\n\s+cuda - inference as files, on onnxruntime\n$/);

    // rc takes = as syntax: a lease line is quoted.
    const lease = await rc(`echo 'lease worker=worker-1 mem_mb=256 streams=1 ttl_s=60 priority=1' > /srv/cuda/ctl
{{echo lease 1; echo '{"shape":[1,4],"data":[1,2,3,4]}'} >[1=0]; cat} <>/srv/cuda/models/lin/infer >/dev/null
cat /srv/cuda/status; grep '^lease ' /srv/cuda/ctl`);
    expect(lease.err).toBe('');
    expect(lease.out).toMatch(/^queued 0\nrunning 0\ndone 2\nfailed 0\np50_ms [\d.]+\np95_ms [\d.]+\ndropped 0\nslots 1\nlease 1 worker=worker-1 mem_mb=256 streams=1 ttl_s=60 priority=1 left_s=\d+ running=0 queued=0 state=active\n$/);
  });
});
