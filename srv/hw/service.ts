// /dev/hw as a node service: `hw` in a role's services (the queens list it; their namespaces
// mount #hw at /dev/hw). The CLI registers it when asked for --hw ARCH:
//
//   services.register('hw', hwService({ arch: 'aarch64', stateDir }));
//   const node = await boot({ role: 'BareMetalQueen', services });
//
// Boot waits for the image to attach (so /dev/hw is there when the shell starts) and fails
// with the reason, e.g. the Debian package to install, when it cannot boot.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServiceRegistry, ServiceSpec } from '../../kernel/services.ts';
import { HwBridge } from './bridge.ts';
import type { HwOptions } from './bridge.ts';
import { HwFs } from './hwfs.ts';
import { isArch, missingText } from './image.ts';
import type { Arch } from './image.ts';

export type HwServiceOptions = Omit<HwOptions, 'log' | 'stateDir'> & {
  /** The node's state directory (default: defaultStateDir(sysname)). */
  stateDir?: string;
};

/** $COHESIX_STATE/SYSNAME, else ~/.local/state/cohesix/SYSNAME ($XDG_STATE_HOME honoured). */
export function defaultStateDir(sysname: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.COHESIX_STATE ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'cohesix');
  return join(base, sysname);
}

export function hwService(opts: HwServiceOptions): ServiceSpec {
  return {
    path: '/dev/hw',
    description: `hardware drivers of a ${opts.arch} image under QEMU, served as 9P over its serial line (hw(4))`,
    start: async (kernel) => {
      const bridge = new HwBridge({ ...opts, stateDir: opts.stateDir ?? defaultStateDir(kernel.sysname), log: (l) => kernel.log(l) });
      await bridge.start();
      return new HwFs(bridge);
    },
  };
}

/** Other names people use for the two machines. */
const ALIASES: Readonly<Record<string, Arch>> = { arm64: 'aarch64', x86_64: 'x86', amd64: 'x86', i386: 'x86', i686: 'x86' };

/** Parse a --hw value (aarch64, x86, or an alias such as x86_64); the error names the choices. */
export function hwArch(v: string): Arch {
  const a = ALIASES[v] ?? v;
  if (!isArch(a)) throw new Error(`--hw ${v}: the images are aarch64 and x86`);
  return a;
}

/**
 * For the CLI: check the tools of --hw ARCH before booting (the message names the Debian
 * packages) and register the service. $COHESIX_HW_IMAGE names another image to boot in
 * place of ours (any ELF QEMU's -kernel takes that speaks 9P2000 on its first UART; see
 * docs/hardware.md). Returns an error text instead of throwing.
 */
export function addHardware(services: ServiceRegistry, arch: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  let a: Arch;
  try { a = hwArch(arch); } catch (e) { return (e as Error).message; }
  const kernel = env.COHESIX_HW_IMAGE || undefined;
  if (kernel !== undefined && !existsSync(kernel)) return `COHESIX_HW_IMAGE ${kernel}: file does not exist`;
  const missing = missingText(a, kernel !== undefined ? { build: false } : {});
  if (missing) return missing;
  services.register('hw', hwService({ arch: a, ...(kernel !== undefined ? { kernel } : {}) }));
  return undefined;
}
