// Helpers the device tests share: a request for direct FileServer calls, byte/string
// conversion, error capture, and a booted kernel with the devices and a process to drive.

import type { Req } from '../../fs/server/fileserver.ts';
import { ALL_RIGHTS, CSpace } from '../cap.ts';
import { Kernel } from '../kernel.ts';
import type { Proc } from '../proc.ts';
import { Sys } from '../sys.ts';
import { registerDevices } from './index.ts';
import type { DeviceOptions, Devices } from './index.ts';

export function req(uname = 'glenda', signal: AbortSignal = new AbortController().signal): Req {
  return { uname, signal, dialect: '9P2000' };
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const str = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The error string an operation throws or rejects with ('no error' if none). */
export async function errOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return 'no error';
}

/** Whether a promise has settled, after letting pending microtasks and a macrotask run. */
export async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  await new Promise((r) => setTimeout(r, 5));
  return done;
}

export interface Booted {
  k: Kernel;
  dev: Devices;
  p: Proc;
  sys: Sys;
}

/** A kernel with the devices, and an init process holding every device and the namespace. */
export function boot(user = 'glenda', opts: DeviceOptions = {}): Booted {
  const k = new Kernel();
  const dev = registerDevices(k, opts);
  const p = k.newInit(user, new CSpace());
  for (const obj of ['ns', 'proc', 'net', ...[...k.devices.values()].map((d) => d.object)]) k.grant(p, obj, ALL_RIGHTS);
  return { k, dev, p, sys: new Sys(k, p) };
}
