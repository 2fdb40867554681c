// Leases in cuda(4) through 9P: the ctl grammar and its refusals, binding an infer open to a
// lease, expiry on an injected clock, revocation, and the stream limit.

import { afterEach, describe, expect, it } from 'vitest';
import { ORDWR } from '../../fs/9p/constants.ts';
import type { Fsys } from '../../fs/client/index.ts';
import { infer, latch, readToEnd, rig, until } from './testing.ts';
import type { Rig } from './testing.ts';

const rigs: Rig[] = [];
afterEach(async () => { for (const r of rigs.splice(0)) await r.close(); });

const X = '{"shape":[1,4],"data":[1,2,3,4]}';
const ctlOf = async (fs: Fsys): Promise<string> => (await fs.readFile('/ctl')).toString();
const leaseLines = async (fs: Fsys): Promise<string[]> => (await ctlOf(fs)).split('\n').filter((l) => l.startsWith('lease '));

describe('cuda(4) leases', () => {
  it('validates every field and names what is wrong', async () => {
    const r = await rig({ memMb: 1000 });
    rigs.push(r);
    const fs = await r.mount();
    const lease = (args: string) => fs.writeFile('/ctl', `lease ${args}\n`);
    const ok = 'worker=worker-1 mem_mb=512 streams=2 ttl_s=60 priority=1';
    await expect(lease('worker=w mem_mb=1 streams=1 ttl_s=1')).rejects.toThrow('lease: missing field priority');
    await expect(lease(`${ok} gpu_id=GPU-0`)).rejects.toThrow("lease: unknown field 'gpu_id' (fields: worker mem_mb streams ttl_s priority)");
    await expect(lease('worker=w mem_mb=lots streams=1 ttl_s=1 priority=0')).rejects.toThrow("lease: mem_mb: bad number 'lots'");
    await expect(lease('worker=w mem_mb=-5 streams=1 ttl_s=1 priority=0')).rejects.toThrow("lease: mem_mb: bad number '-5'");
    await expect(lease('worker=w mem_mb=1 streams=0 ttl_s=1 priority=0')).rejects.toThrow('lease: streams: 0 out of range 1..64');
    await expect(lease('worker=w mem_mb=1 streams=1 ttl_s=1 priority=10')).rejects.toThrow('lease: priority: 10 out of range 0..9');
    await expect(lease('worker=w worker=v mem_mb=1 streams=1 ttl_s=1 priority=0')).rejects.toThrow('lease: field worker given twice');
    await expect(lease('worker=a/b mem_mb=1 streams=1 ttl_s=1 priority=0')).rejects.toThrow("lease: bad worker 'a/b'");
    await expect(lease('streams')).rejects.toThrow("lease: 'streams' is not FIELD=VALUE");
    await lease(ok);
    await expect(lease('worker=w2 mem_mb=600 streams=1 ttl_s=60 priority=0')).rejects.toThrow('lease: mem_mb 600 over budget (488 of 1000 MB free)');
    expect(await ctlOf(fs)).toMatch(/\nleases 1\nlease 1 worker=worker-1 mem_mb=512 streams=2 ttl_s=60 priority=1 left_s=60 running=0 queued=0 state=active\n$/);
    await fs.writeFile('/ctl', 'revoke 1\n');
    expect(await ctlOf(fs)).toMatch(/\nleases 0\n$/);
    await expect(fs.writeFile('/ctl', 'revoke 1\n')).rejects.toThrow('unknown lease 1');
  });

  it('an open bound with `lease ID` infers under it until the ttl runs out on the clock', async () => {
    let now = 1_000_000;
    const r = await rig({ now: () => now });
    rigs.push(r);
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\nlease worker=worker-1 mem_mb=64 streams=1 ttl_s=10 priority=0\n');
    const plain = (await infer(fs, 'lin', X)).toString();
    expect((await infer(fs, 'lin', `lease 1\n${X}`)).toString()).toBe(plain);
    // Bound once, an open stays bound for its next inputs.
    const f = await fs.open('/models/lin/infer', ORDWR);
    await f.write('lease 1\n');
    await f.write(X);
    expect((await readToEnd(f)).toString()).toBe(plain);
    now += 4_500;
    expect(await leaseLines(fs)).toEqual(['lease 1 worker=worker-1 mem_mb=64 streams=1 ttl_s=10 priority=0 left_s=6 running=0 queued=0 state=active']);
    now += 5_500;
    await expect(f.write(X)).rejects.toThrow('lease 1 expired');
    await f.clunk();
    await expect(infer(fs, 'lin', `lease 1\n${X}`)).rejects.toThrow('lease 1 expired');
    await expect(infer(fs, 'lin', `lease 2\n${X}`)).rejects.toThrow('unknown lease 2');
    expect(await leaseLines(fs)).toEqual(['lease 1 worker=worker-1 mem_mb=64 streams=1 ttl_s=10 priority=0 left_s=0 running=0 queued=0 state=expired']);
    now += 60_000; // expired leases are listed for a minute, then forgotten
    expect(await ctlOf(fs)).toMatch(/\nleases 0\n$/);
    // Without a lease, inference goes on.
    expect((await infer(fs, 'lin', X)).toString()).toBe(plain);
  });

  it('streams caps the jobs running under a lease; queued ones fail when it expires or is revoked', async () => {
    let now = 0;
    const l = latch();
    const r = await rig({ now: () => now, slots: 4, gate: l.gate });
    rigs.push(r);
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\nlease worker=w1 mem_mb=64 streams=2 ttl_s=30 priority=0\nlease worker=w2 mem_mb=64 streams=1 ttl_s=30 priority=0\n');
    const status = async (): Promise<string> => (await fs.readFile('/status')).toString();
    const under = (id: number) => infer(fs, 'lin', `lease ${id}\n${X}`).then((b) => b.toString(), (e: Error) => e.message);
    const one = [under(1), under(1), under(1), under(1)];
    const two = [under(2), under(2)];
    const free = infer(fs, 'lin', X).then((b) => b.toString());
    await until(async () => (await status()).startsWith('queued 3\nrunning 4\n'), '4 running, 3 queued');
    expect(await leaseLines(fs)).toEqual([
      'lease 1 worker=w1 mem_mb=64 streams=2 ttl_s=30 priority=0 left_s=30 running=2 queued=2 state=active',
      'lease 2 worker=w2 mem_mb=64 streams=1 ttl_s=30 priority=0 left_s=30 running=1 queued=1 state=active',
    ]);
    await fs.writeFile('/ctl', 'revoke 2\n');
    now = 30_000;
    l.release();
    const got = await Promise.all([...one, ...two]);
    expect(got.filter((g) => g.startsWith('{"shape":[1,3]')).length).toBe(3); // 2 of lease 1 and 1 of lease 2 were running
    expect(got.filter((g) => g === 'lease 1 expired').length).toBe(2);
    expect(got.filter((g) => g === 'lease 2 revoked').length).toBe(1);
    expect(await free).toMatch(/^\{"shape":\[1,3\]/);
    expect(await status()).toMatch(/^queued 0\nrunning 0\ndone 4\nfailed 3\n[^]*slots 4\n$/);
  });
});
