// Scheduling in cuda(4): turns between clients, lease weights and stream limits in the
// scheduler itself, then fairness and disconnects through 9P.

import { afterEach, describe, expect, it } from 'vitest';
import { ORDWR } from '../../fs/9p/constants.ts';
import { Lease } from './lease.ts';
import { Scheduler } from './scheduler.ts';
import { infer, latch, readToEnd, rig, until } from './testing.ts';
import type { Rig } from './testing.ts';

const X = '{"shape":[1,4],"data":[1,2,3,4]}';

describe('scheduler', () => {
  it('round robin across flows: a flood from one flow does not hold back another', async () => {
    const l = latch();
    const s = new Scheduler({ now: () => 0, slots: () => 1, gate: l.gate });
    const order: string[] = [];
    const job = (who: string) => async () => { order.push(who); };
    s.submit('blocker', undefined, job('-'));
    for (let i = 0; i < 5; i++) s.submit('a', undefined, job('a'));
    for (let i = 0; i < 5; i++) s.submit('b', undefined, job('b'));
    s.submit('c', undefined, job('c'));
    expect(s.queued()).toBe(11);
    l.release();
    await until(() => s.queued() === 0 && s.running === 0);
    expect(order.join('')).toBe('-abcabababab');
    expect(s.done).toBe(12);
  });

  it('a lease with priority P gets 1+P turns per round; streams caps its jobs running at once', async () => {
    const l = latch();
    const s = new Scheduler({ now: () => 0, slots: () => 1, gate: l.gate });
    const hi = new Lease(1, { worker: 'w', mem_mb: 1, streams: 4, ttl_s: 60, priority: 2 }, 0);
    const order: string[] = [];
    s.submit('blocker', undefined, async () => {});
    for (let i = 0; i < 6; i++) s.submit('lease:1', hi, async () => { order.push('H'); });
    for (let i = 0; i < 4; i++) s.submit('client:1', undefined, async () => { order.push('c'); });
    l.release();
    await until(() => s.queued() === 0 && s.running === 0);
    expect(order.join('')).toBe('HHHcHHHccc');

    l.hold();
    const wide = new Scheduler({ now: () => 0, slots: () => 8, gate: l.gate });
    const narrow = new Lease(2, { worker: 'w', mem_mb: 1, streams: 2, ttl_s: 60, priority: 0 }, 0);
    for (let i = 0; i < 5; i++) wide.submit('lease:2', narrow, async () => {});
    wide.submit('client:1', undefined, async () => {});
    expect([wide.running, narrow.running, wide.queued()]).toEqual([3, 2, 3]);
    l.release();
    await until(() => wide.queued() === 0 && wide.running === 0);
    expect(wide.done).toBe(6);
  });

  it('jobs of an expired lease fail with `lease N expired` when their turn comes; dropped jobs leave the queue', async () => {
    let now = 0;
    const l = latch();
    const s = new Scheduler({ now: () => now, slots: () => 1, gate: l.gate });
    const lease = new Lease(7, { worker: 'w', mem_mb: 1, streams: 1, ttl_s: 5, priority: 0 }, 0);
    const first = s.submit('lease:7', lease, async () => 1);
    const second = s.submit('lease:7', lease, async () => 2);
    const other = s.submit('client:1', undefined, async () => 3);
    const gone = s.submit('client:2', undefined, async () => 4);
    s.drop(gone);
    expect(gone.state).toBe('dropped');
    expect(s.queued()).toBe(2);
    now = 5000;
    l.release();
    await Promise.all([first.settled, second.settled, other.settled]);
    expect([first.state, first.result]).toEqual(['done', 1]); // already running when it expired
    expect([second.state, second.error]).toEqual(['failed', 'lease 7 expired']);
    expect([other.state, other.result]).toEqual(['done', 3]);
    expect([s.done, s.failed, s.dropped, s.queued(), s.running]).toEqual([2, 1, 1, 0, 0]);
    expect(s.latency.count).toBe(2);
  });
});

const rigs: Rig[] = [];
afterEach(async () => { for (const r of rigs.splice(0)) await r.close(); });

describe('cuda(4) scheduling through 9P', () => {
  it('two clients flooding 50 jobs each both make progress, in turns', async () => {
    const r = await rig();
    rigs.push(r);
    const alice = await r.mount('alice'), bob = await r.mount('bob');
    await alice.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\n');
    const order: string[] = [];
    const flood = (fs: typeof alice, who: string) => Array.from({ length: 50 }, () => infer(fs, 'lin', X).then((b) => {
      expect(b.toString()).toMatch(/^\{"shape":\[1,3\]/);
      order.push(who);
    }));
    await Promise.all([...flood(alice, 'a'), ...flood(bob, 'b')]);
    expect(order.length).toBe(100);
    // Neither finished all its jobs before the other got any.
    expect(order.indexOf('b')).toBeLessThan(order.lastIndexOf('a'));
    expect(order.indexOf('a')).toBeLessThan(order.lastIndexOf('b'));
    // And closer than that: the first 40 completions are shared about evenly.
    const firstA = order.slice(0, 40).filter((w) => w === 'a').length;
    expect(firstA).toBeGreaterThanOrEqual(15);
    expect(firstA).toBeLessThanOrEqual(25);
    expect((await alice.readFile('/status')).toString()).toMatch(/^queued 0\nrunning 0\ndone 100\nfailed 0\np50_ms [\d.]+\np95_ms [\d.]+\ndropped 0\n/);
  });

  it('a client that disconnects mid-inference loses its jobs; the others are served and nothing is left queued', async () => {
    const l = latch();
    const r = await rig({ gate: l.gate });
    rigs.push(r);
    const a = await r.mount('alice'), b = await r.mount('bob'), c = await r.mount('carol'), d = await r.mount('dave');
    await a.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\n');
    const status = async (): Promise<string> => (await a.readFile('/status')).toString();
    // dave's job takes the one slot and is held there; carol's waits in the queue.
    const fd = await d.open('/models/lin/infer', ORDWR);
    await fd.write(X);
    const dRead = readToEnd(fd).catch((e: Error) => e.message);
    await until(async () => (await status()).includes('running 1\n'), 'dave running');
    const fc = await c.open('/models/lin/infer', ORDWR);
    await fc.write(X);
    const cRead = readToEnd(fc).catch((e: Error) => e.message);
    const pa = infer(a, 'lin', X);
    await until(async () => (await status()).startsWith('queued 2\n'), 'two queued');
    c.close(); // carol goes away with a job queued
    d.close(); // dave goes away with a job running
    expect(await cRead).toMatch(/connection closed/);
    expect(await dRead).toMatch(/connection closed/);
    await until(async () => (await status()).startsWith('queued 1\n'), 'carol dropped');
    l.release();
    expect((await pa).toString()).toMatch(/^\{"shape":\[1,3\]/);
    expect((await infer(b, 'lin', X)).toString()).toMatch(/^\{"shape":\[1,3\]/);
    await until(async () => (await status()).includes('dropped 2\n'), 'dave discarded');
    expect(await status()).toMatch(/^queued 0\nrunning 0\ndone 2\nfailed 0\n[^]*dropped 2\n/);
    expect(r.svc.scheduler.queued()).toBe(0);
  });
});
