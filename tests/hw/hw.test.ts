// Both hardware images, booted in QEMU for real and reached through rc at /dev/hw: the
// devices answer with the machine's own facts, the disk keeps its bytes across a poweroff,
// and the bridge reports a poweroff and survives QEMU being killed under a read.

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootResult } from '../../kernel/boot.ts';
import { ARCHES } from '../../srv/hw/image.ts';
import { alive, bridgeOf, hwNode, rc, stateDir, unavailable, until } from './kit.ts';

const CPU = { aarch64: /^Cortex-A57 r\d+p\d+ implementer Arm part 0xd07/, x86: /^(GenuineIntel|AuthenticAMD) family \d+/ };

for (const arch of ARCHES) {
  const why = unavailable(arch);
  describe.skipIf(why !== undefined)(`the ${arch} image${why ? ` (skipped: ${why})` : ''}`, () => {
    const state = stateDir();
    let node: BootResult;
    // A request unanswered for 1.5 s means a hung image (normal ones take milliseconds).
    beforeAll(async () => { node = await hwNode(arch, state, { rpcTimeoutMs: 1500 }); });
    afterAll(async () => { await node?.kernel.shutdown(); rmSync(state, { recursive: true, force: true }); });

    it('boots and attaches in under two seconds, its boot lines in /dev/kmesg', async () => {
      const b = bridgeOf(node);
      expect(b.state).toBe('up');
      expect(b.lastBootMs).toBeLessThan(2000);
      const { out } = await rc(node, `grep 'hw ${arch}: ' /dev/kmesg`);
      expect(out).toContain(`hw ${arch}: cohesix-hw ${arch}: root task up`);
      expect(out).toContain(`hw ${arch}: up: qemu pid ${b.pid}`);
    });

    it('cat /dev/hw/cpu names the processor', async () => {
      const { out, status } = await rc(node, 'cat /dev/hw/cpu');
      expect(status).toBe('');
      expect(out).toMatch(CPU[arch]);
    });

    it('/dev/hw/rtc is within 2 s of host time', async () => {
      const { out } = await rc(node, 'cat /dev/hw/rtc');
      expect(Math.abs(Number(out.trim()) - Date.now() / 1000)).toBeLessThan(2);
    });

    it('two reads of /dev/hw/rng differ; /dev/hw/timer counts', async () => {
      const { out } = await rc(node, 'head -c 32 /dev/hw/rng | xd; head -c 32 /dev/hw/rng | xd; cat /dev/hw/timer; cat /dev/hw/timer');
      const lines = out.split('\n');
      const first = lines.slice(0, 2).join(), second = lines.slice(3, 5).join();
      expect(first).toMatch(/^0000000 +[0-9a-f]{8}/);
      expect(first).not.toBe(second);
      const ticks = [...out.matchAll(/ticks (\d+) freq (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(ticks).toHaveLength(2);
      expect(ticks[1]![0]!).toBeGreaterThan(ticks[0]![0]!);
      expect(ticks[0]![1]!).toBeGreaterThan(1e6);
    });

    it('/dev/hw/drivers shows every driver bound, /dev/hw/mem the RAM QEMU gave it', async () => {
      const { out } = await rc(node, 'cat /dev/hw/drivers /dev/hw/mem; ls /dev/hw /dev/hw/blk');
      for (const kind of ['uart', 'rtc', 'timer', 'rng', 'blk', 'power', 'cpu']) expect(out).toMatch(new RegExp(`^\\S+ ${kind} .* ok`, 'm'));
      const ram = Number(/^ram (\d+) bytes/m.exec(out)?.[1]);
      expect(ram).toBeGreaterThan(56 << 20);
      expect(ram).toBeLessThanOrEqual(64 << 20);
      for (const f of ['cpu', 'mem', 'rtc', 'timer', 'rng', 'drivers', 'log', 'ctl', 'bridge', 'data']) expect(out).toMatch(new RegExp(`^${f}$`, 'm'));
    });

    it('killing QEMU under a read fails the read with the reason at once, and the image restarts', async () => {
      const b = bridgeOf(node);
      const pid = b.pid!;
      // A read of the whole disk takes many seconds over the serial line: kill QEMU in the middle.
      const reading = rc(node, 'cat /dev/hw/blk/data > /dev/null');
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      process.kill(pid, 'SIGKILL');
      const { status, err } = await reading;
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(status).not.toBe('');
      expect(err).toContain(`hw ${arch}: image restarting`);
      await until(() => b.state === 'up', 10000, 'the image to come back');
      expect(b.pid).not.toBe(pid);
      expect(b.crashes).toBe(1);
      const { out } = await rc(node, 'cat /dev/hw/cpu; grep died /dev/kmesg');
      expect(out).toMatch(CPU[arch]);
      expect(out).toContain(`hw ${arch}: died (qemu killed by SIGKILL); restarting in`);
    });

    it('a hung image (QEMU stopped) fails the request after the timeout and is restarted', async () => {
      const b = bridgeOf(node);
      const pid = b.pid!;
      const crashes = b.crashes;
      process.kill(pid, 'SIGSTOP');
      const t0 = Date.now();
      const { status, err } = await rc(node, 'cat /dev/hw/rtc');
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(status).not.toBe('');
      expect(err).toMatch(new RegExp(`hw ${arch}: image (not answering|restarting)`));
      await until(() => b.state === 'up' && b.pid !== pid, 10000, 'a new image');
      expect(alive(pid)).toBe(false);
      expect(b.crashes).toBe(crashes + 1);
      expect((await rc(node, 'cat /dev/hw/rtc')).status).toBe('');
    });

    it('echo poweroff > /dev/hw/ctl ends QEMU, the bridge says so, and the disk keeps its bytes for the next boot', async () => {
      const b = bridgeOf(node);
      const pid = b.pid!;
      const token = `cohesix-${arch}-${process.pid}-${Date.now()}`;
      expect((await rc(node, `echo ${token} > /dev/hw/blk/data; echo poweroff > /dev/hw/ctl`)).status).toBe('');
      await until(() => b.state === 'off' && !alive(pid), 3000, 'QEMU to exit and the bridge to see the poweroff');
      await until(() => node.kernel.kmesg.some((l) => l.includes(`hw ${arch}: powered off (qemu exited`)), 3000, 'the bridge to log the poweroff');
      const after = await rc(node, "cat /dev/hw/cpu; grep 'powered off' /dev/kmesg");
      expect(after.err).toContain(`hw ${arch}: image powered off`);
      expect(after.out).toContain(`hw ${arch}: powered off (qemu exited`);
      await node.kernel.shutdown();
      // A new node on the same state directory boots the image on the same disk.
      node = await hwNode(arch, state);
      const { out } = await rc(node, 'read < /dev/hw/blk/data');
      expect(out).toBe(`${token}\n`);
    });
  });
}
