// Fixtures shared by the kernel test suites: a kernel with ramfs devices, a '#b' /bin device
// of builtin programs, and an init process holding capabilities. One TestKernels per test
// file tracks what it made, so an afterEach can shut it all down.

import { Ramfs } from '../fs/server/ramfs.ts';
import { Tree, text } from '../fs/server/tree.ts';
import type { TreeNode } from '../fs/server/tree.ts';
import type { FileServer } from '../fs/server/fileserver.ts';
import { ALL_RIGHTS, CSpace } from './cap.ts';
import { Kernel } from './kernel.ts';
import type { Program } from './kernel.ts';
import type { Proc } from './proc.ts';
import { Sys } from './sys.ts';

export { errOf, str } from './dev/testing.ts';

export interface TestNode {
  k: Kernel;
  init: Proc;
  sys: Sys;
}

export interface TestKernelOptions {
  /** Devices given a fresh Ramfs each. */
  ramfs?: string[];
  /** Other devices, by name. */
  devices?: Record<string, FileServer<unknown>>;
  /** Builtins, listed in '#b' as `#!builtin NAME` files. */
  programs?: Record<string, Program>;
  /** More '#b' entries (scripts, junk). */
  bins?: TreeNode[];
  /** Rights per capability object (default ALL_RIGHTS for ns, proc and every device); undefined leaves it out. */
  rights?: Record<string, number | undefined>;
}

export class TestKernels {
  private readonly made: Kernel[] = [];

  make(opts: TestKernelOptions = {}): TestNode {
    const k = new Kernel();
    this.made.push(k);
    const programs = opts.programs ?? {};
    for (const [name, prog] of Object.entries(programs)) k.programs.set(name, prog);
    const bins = Object.keys(programs).map((n) => text(n, `#!builtin ${n}\n`, { mode: 0o555 }));
    // '#b' first: init's slots are ns, proc, dev:#b, then the other devices in order.
    k.addDevice('#b', new Tree([...bins, ...(opts.bins ?? [])]));
    for (const d of opts.ramfs ?? []) k.addDevice(d, new Ramfs());
    for (const [name, fs] of Object.entries(opts.devices ?? {})) k.addDevice(name, fs);
    const init = k.newInit('glenda', new CSpace());
    for (const o of ['ns', 'proc', ...[...k.devices.values()].map((d) => d.object)]) {
      const r = opts.rights && o in opts.rights ? opts.rights[o] : ALL_RIGHTS;
      if (r !== undefined) k.grant(init, o, r);
    }
    return { k, init, sys: new Sys(k, init) };
  }

  async shutdown(): Promise<void> {
    for (const k of this.made.splice(0)) await k.shutdown();
  }
}
