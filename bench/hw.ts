// Benchmark hw: the hardware images under QEMU, per architecture.
//
//   boot   spawn to attached (Tversion + Tattach answered over the serial line) of the driver
//          image, against spawn to the "hello" line of a bare image that only says hello on
//          the same UART; same QEMU, same command line (devices and disk), trials alternate.
//          Target: <= 1.5x.
//   rtt    9P round trips per second (Tstat of the root, one at a time) over the serial line,
//          against the same client over loopback TCP to the ramfs server. Information: the
//          line is QEMU's emulated UART, which takes the host's bytes one per main-loop turn.

import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { Dialect } from '../fs/9p/constants.ts';
import { Client } from '../fs/client/index.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { dial, listen } from '../fs/transport/net.ts';
import { IMAGE_MSIZE } from '../srv/hw/bridge.ts';
import { ARCHES, buildImage, imagePath, missingText } from '../srv/hw/image.ts';
import type { Arch } from '../srv/hw/image.ts';
import { SerialLink, startMachine } from '../srv/hw/qemu.ts';
import { compare, configFromEnv, envNumber, trials } from './measure.ts';
import { printReport } from './report.ts';
import type { Row } from './report.ts';

function blankDisk(dir: string): string {
  const disk = join(dir, 'bench.img');
  const fd = openSync(disk, 'w');
  try { ftruncateSync(fd, 4 << 20); } finally { closeSync(fd); }
  return disk;
}

/** Milliseconds from spawn to an attached 9P session with the driver image. */
async function bootToAttach(arch: Arch, disk: string): Promise<number> {
  const t0 = performance.now();
  const m = await startMachine({ arch, kernel: imagePath(arch), disk });
  const c = await Client.connect(new SerialLink(m, arch), { version: Dialect.P2000, msize: IMAGE_MSIZE });
  const ms = performance.now() - t0;
  c.close();
  m.kill();
  await m.exited;
  return ms;
}

/** Milliseconds from spawn to "hello" from the bare image. */
async function bootToHello(arch: Arch, disk: string): Promise<number> {
  const t0 = performance.now();
  const m = await startMachine({ arch, kernel: imagePath(arch, 'hello'), disk, ready: (l) => l === 'hello' });
  const ms = performance.now() - t0;
  m.kill();
  await m.exited;
  return ms;
}

export async function hwBench(): Promise<Row[]> {
  const n = Math.round(envNumber('COHESIX_BENCH_BOOTS', 7));
  const rows: Row[] = [];
  const dir = mkdtempSync(join(os.tmpdir(), 'cohesix-hw-bench-'));
  const ramfs = new Server(new Ramfs());
  const l = await listen('tcp!127.0.0.1!0', (link) => { ramfs.serve(link); });
  const tcp = await Client.connect(await dial(l.address), { version: Dialect.P2000, msize: IMAGE_MSIZE });
  try {
    for (const arch of ARCHES) {
      const missing = missingText(arch);
      if (missing) { process.stdout.write(`   ${arch}: skipped (${missing})\n`); continue; }
      buildImage(arch);
      const disk = blankDisk(dir);
      const boots = await trials(`${arch} boot`, [
        { name: 'image', run: () => bootToAttach(arch, disk) },
        { name: 'hello', run: () => bootToHello(arch, disk) },
      ], n);
      rows.push({ line: `${arch}: spawn to attached, driver image`, unit: 'ms', ours: boots.get('image')!, peer: boots.get('hello')!, peerName: 'hello-uart', lower: true, target: 1.5 });

      const m = await startMachine({ arch, kernel: imagePath(arch), disk });
      const serial = await Client.connect(new SerialLink(m, arch), { version: Dialect.P2000, msize: IMAGE_MSIZE });
      try {
        const stat = (c: Client) => async (): Promise<number> => { await c.rpc({ type: 'Tstat', fid: c.rootFid }); return 1; };
        const rates = await compare(`${arch} rtt`, [{ name: 'serial', op: stat(serial) }, { name: 'tcp', op: stat(tcp) }], { ...configFromEnv(), reps: 3 });
        rows.push({ line: `${arch}: 9P round trips (Tstat) over the serial line`, unit: '/s', ours: rates.get('serial')!, peer: rates.get('tcp')!, peerName: 'tcp-ramfs' });
      } finally {
        serial.close();
        m.kill();
        await m.exited;
      }
    }
  } finally {
    tcp.close();
    ramfs.closeAll();
    await l.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export async function hwBenchReport(): Promise<void> {
  await printReport({
    facts: ARCHES.map((a) => `qemu      ${a}: ${missingText(a) ?? 'present'}`),
    measure: hwBench,
    legend: [
      '(ms = milliseconds, lower is better; /s = operations per second; ratio = ours / peer from the medians)',
      '  boot  QEMU spawned (-nodefaults, the same devices and disk) until the bridge has Rattach from the driver image,',
      '        vs until the bare image\'s "hello" line arrives on the same serial socket; target <= 1.5x',
      '  rtt   one Tstat at a time on an attached session: over QEMU\'s emulated UART vs loopback TCP to a ramfs server',
    ],
  });
}
