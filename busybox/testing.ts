// Test fixture for the busybox suites: a kernel whose /bin holds every busybox command, with
// a ramfs at /tmp (the working directory), an environment at /env and pipes; run() spawns a
// command with the given standard input and collects its output, errors and status.

import { ALL_RIGHTS } from '../kernel/cap.ts';
import { EnvDevice } from '../kernel/dev/env.ts';
import { PipeDevice } from '../kernel/dev/pipe.ts';
import { OREAD } from '../fs/9p/constants.ts';
import { MCREATE } from '../kernel/namespace.ts';
import type { Program } from '../kernel/kernel.ts';
import type { Sys } from '../kernel/sys.ts';
import type { TestKernels, TestNode } from '../kernel/testkit.ts';
import { busyboxPrograms } from './index.ts';

export interface Result {
  out: string;
  err: string;
  status: string;
}

export interface RunOptions {
  cwd?: string;
  /** Extra environment for the command. */
  env?: Record<string, string>;
  /** Standard input is this file, opened for reading, instead of a pipe. */
  stdinFile?: string;
}

async function drain(sys: Sys, fd: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const d = await sys.read(fd, 65536);
    if (d.length === 0) break;
    parts.push(d);
  }
  await sys.close(fd);
  return Buffer.concat(parts);
}

export class Busybox {
  readonly node: TestNode;
  constructor(node: TestNode) { this.node = node; }

  get sys(): Sys { return this.node.sys; }

  /** A node with busybox at /bin (plus extra programs), ramfs at /tmp, env at /env. */
  static async boot(kernels: TestKernels, extra: Record<string, Program> = {}): Promise<Busybox> {
    const node = kernels.make({ ramfs: ['#r'], programs: { ...Object.fromEntries(busyboxPrograms()), ...extra }, devices: { '#|': new PipeDevice() } });
    const { k, init, sys } = node;
    k.addDevice('#e', new EnvDevice(k));
    k.grant(init, 'dev:#e', ALL_RIGHTS);
    await sys.bind('#b', '/bin');
    await sys.mount('#r', '/tmp', MCREATE);
    await sys.bind('#e', '/env', MCREATE);
    await sys.chdir('/tmp');
    return new Busybox(node);
  }

  /** Run argv (argv[0] found in /bin) with stdin as its standard input. */
  async run(argv: string[], stdin: string | Uint8Array = '', opts: RunOptions = {}): Promise<Result> {
    const b = await this.runBytes(argv, stdin, opts);
    return { out: b.out.toString('utf8'), err: b.err.toString('utf8'), status: b.status };
  }

  async runBytes(argv: string[], stdin: string | Uint8Array = '', opts: RunOptions = {}): Promise<{ out: Buffer; err: Buffer; status: string }> {
    const sys = this.sys;
    const [inR, inW] = opts.stdinFile === undefined ? await sys.pipe() : [await sys.open(opts.stdinFile, OREAD), -1];
    const [outR, outW] = await sys.pipe();
    const [errR, errW] = await sys.pipe();
    const pid = await sys.spawn(argv[0]!, argv, { fds: [inR, outW, errW], ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.env ? { env: opts.env, rfork: 'e' } : {}) });
    for (const fd of [inR, outW, errW]) await sys.close(fd);
    const feed = (async () => {
      if (inW < 0) return;
      try { if (stdin.length) await sys.write(inW, stdin); } catch { /* the command did not read it all */ }
      await sys.close(inW);
    })();
    const [out, err, status] = await Promise.all([drain(sys, outR), drain(sys, errR), sys.waitpid(pid), feed]);
    return { out, err, status };
  }

  async write(path: string, data: string | Uint8Array): Promise<void> { await this.sys.writeFile(path, data); }
  async read(path: string): Promise<string> { return (await this.sys.readFile(path)).toString('utf8'); }
  async exists(path: string): Promise<boolean> {
    try { await this.sys.stat(path); return true; } catch { return false; }
  }
}
