// Shared by the hardware tests: whether an arch can run here (and why not), and a node
// booted with /dev/hw on a given state directory.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCollected } from '../../bin/hostio.ts';
import type { Collected } from '../../bin/hostio.ts';
import { userland } from '../../bin/userland.ts';
import { boot } from '../../kernel/boot.ts';
import type { BootResult } from '../../kernel/boot.ts';
import { ServiceRegistry } from '../../kernel/services.ts';
import { rcMain } from '../../rc/main.ts';
import type { HwBridge } from '../../srv/hw/bridge.ts';
import { HwFs } from '../../srv/hw/hwfs.ts';
import { buildImage, missingText } from '../../srv/hw/image.ts';
import type { Arch } from '../../srv/hw/image.ts';
import { hwService } from '../../srv/hw/service.ts';

/** Why arch cannot be tested here (a tool is missing, or the image does not build), or undefined. */
export function unavailable(arch: Arch): string | undefined {
  const missing = missingText(arch, { build: true });
  if (missing) return missing;
  try { buildImage(arch); } catch (e) { return (e as Error).message; }
  return undefined;
}

export function stateDir(): string { return mkdtempSync(join(tmpdir(), 'cohesix-hw-state-')); }

export async function hwNode(arch: Arch, state: string, opts: { rpcTimeoutMs?: number } = {}): Promise<BootResult> {
  const services = new ServiceRegistry().register('hw', hwService({ arch, stateDir: state, diskMiB: 4, ...opts }));
  return boot({ role: 'BareMetalQueen', programs: userland(), services, env: {} });
}

export function bridgeOf(node: BootResult): HwBridge {
  const fs = node.kernel.device('#hw').fs;
  if (!(fs instanceof HwFs)) throw new Error('#hw is not the hardware bridge');
  return fs.bridge;
}

export function rc(node: BootResult, script: string): Promise<Collected> {
  return runCollected(node, rcMain, ['rc', '-c', script]);
}

/** Wait until cond holds, polling; throws what after ms. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
