// Helpers for the cuda(4) tests and benchmark: a service mounted over the in-process pair,
// one inference per open, and a models "namespace" for load.

import { Client, Fsys } from '../../fs/client/index.ts';
import { ORDWR } from '../../fs/9p/constants.ts';
import { Enoent } from '../../fs/9p/errors.ts';
import { Server } from '../../fs/server/server.ts';
import { linkPair } from '../../fs/transport/pair.ts';
import { startCuda } from './cuda.ts';
import type { CudaOptions, CudaService } from './cuda.ts';

export interface Rig {
  svc: CudaService;
  /** Files load may read besides the service's own samples (path -> bytes). */
  files: Map<string, Uint8Array>;
  /** A new client of the service, attached as uname. */
  mount(uname?: string): Promise<Fsys>;
  close(): Promise<void>;
}

/**
 * Start a service whose readFile finds /srv/cuda/... in the service itself (through a 9P
 * client, as a node's namespace would) and other paths in files.
 */
export async function rig(opts: Partial<CudaOptions> = {}): Promise<Rig> {
  const files = new Map<string, Uint8Array>();
  const clients: Client[] = [];
  let self: Fsys | undefined;
  const svc = await startCuda({
    providers: ['cpu'],
    ...opts,
    readFile: async (path) => {
      if (path.startsWith('/srv/cuda/')) return self!.readFile(path.slice('/srv/cuda'.length));
      const b = files.get(path);
      if (!b) throw new Error(Enoent);
      return b;
    },
  });
  const server = new Server(svc);
  const mount = async (uname = 'glenda'): Promise<Fsys> => {
    const [a, b] = linkPair();
    server.serve(b);
    const c = await Client.connect(a, { uname });
    clients.push(c);
    return new Fsys(c);
  };
  self = await mount('sys');
  return {
    svc, files, mount,
    close: async () => { for (const c of clients) c.close(); await svc.close(); },
  };
}

/** Read an open fid until end of file, one Tread at a time. */
export async function readToEnd(f: { read(n: number): Promise<Uint8Array> }): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const b = await f.read(8192);
    if (b.length === 0) return Buffer.concat(parts);
    parts.push(b);
  }
}

/** One inference: open infer, write input, read the reply to its end, clunk. */
export async function infer(fs: Fsys, model: string, input: string | Uint8Array): Promise<Buffer> {
  const f = await fs.open(`/models/${model}/infer`, ORDWR);
  try {
    await f.write(input);
    return await readToEnd(f);
  } finally {
    await f.clunk().catch(() => undefined);
  }
}

/** A raw tensor: header `f32 d0 d1...` and little-endian float32 values. */
export function rawF32(dims: readonly number[], values: ArrayLike<number>, name?: string): Uint8Array {
  const head = Buffer.from(`${name ? `${name} ` : ''}f32 ${dims.join(' ')}\n`);
  const body = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) body.writeFloatLE(values[i]!, i * 4);
  return Buffer.concat([head, body]);
}

/** Parse a raw reply with one unnamed float32 tensor. */
export function parseRawF32(b: Uint8Array): { dims: number[]; data: Float32Array } {
  const nl = b.indexOf(0x0a);
  const words = Buffer.from(b.subarray(0, nl)).toString().split(' ');
  if (words[0] !== 'f32') throw new Error(`not an f32 reply: ${words.join(' ')}`);
  const dims = words.slice(1).map(Number);
  const body = Buffer.from(b.subarray(nl + 1));
  const data = new Float32Array(body.length / 4);
  for (let i = 0; i < data.length; i++) data[i] = body.readFloatLE(i * 4);
  return { dims, data };
}

/** A gate tests open and close: jobs that start while it is closed wait in their slot. */
export function latch(): { gate: () => Promise<void>; release: () => void; hold: () => void } {
  let open = false;
  const waiting: Array<() => void> = [];
  return {
    gate: () => (open ? Promise.resolve() : new Promise<void>((res) => waiting.push(res))),
    release: () => { open = true; for (const w of waiting.splice(0)) w(); },
    hold: () => { open = false; },
  };
}

/** Poll until cond holds (2 s at most). */
export async function until(cond: () => Promise<boolean> | boolean, what = 'condition'): Promise<void> {
  const end = Date.now() + 2000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 1));
  }
}
