// Tests that run rc in a booted node: boot one (QueenPrimary with the userland unless told
// otherwise), run `rc -c SCRIPT` (or other arguments) with its output collected, and shut
// every node down after each test. One helper instead of a copy per test file.

import { runCollected } from '../bin/hostio.ts';
import type { Collected } from '../bin/hostio.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootOptions, BootResult } from '../kernel/boot.ts';
import { rcMain } from './main.ts';

export interface RcOptions {
  /** Run in this node instead of booting one. */
  node?: BootResult;
  /** rc's arguments instead of `-c SCRIPT`. */
  args?: string[];
  stdin?: string;
}

export class RcNodes {
  readonly #nodes: BootResult[] = [];
  readonly #defaults: BootOptions;

  /** defaults are the boot options of every node booted here (role, programs, services). */
  constructor(defaults: BootOptions = {}) { this.#defaults = defaults; }

  async boot(opts: BootOptions = {}): Promise<BootResult> {
    const n = await boot({ role: 'QueenPrimary', programs: userland(), env: {}, ...this.#defaults, ...opts });
    this.#nodes.push(n);
    return n;
  }

  /** Run rc in opts.node, or in a node booted with boot's options; its output and status, and the node. */
  async rc(script: string, opts: RcOptions & BootOptions = {}): Promise<Collected & { node: BootResult }> {
    const { node, args, stdin, ...bootOpts } = opts;
    const n = node ?? await this.boot(bootOpts);
    return { ...await runCollected(n, rcMain, ['rc', ...(args ?? ['-c', script])], { stdin: stdin ?? '' }), node: n };
  }

  async shutdown(): Promise<void> {
    for (const n of this.#nodes.splice(0)) await n.kernel.shutdown();
  }
}
