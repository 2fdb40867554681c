// /srv/cuda: inference as a file tree (cuda(4)), on onnxruntime-node.
//
//   ctl                  read: backend, providers, models, queue, leases (one line each);
//                        write: load NAME PATH | unload NAME | lease FIELD=V... | revoke ID
//   status               queued running done failed p50_ms p95_ms (last 1000 jobs) dropped slots
//   samples/*.onnx       models built in memory at start (onnx-writer.ts), read-only
//   models/NAME/info     `input x float32 [1 4]` ... `output y float32 [1 3]`, `path P`
//   models/NAME/infer    per open: write a tensor, read the result (infer.ts, tensor.ts)
//
// The service cannot see any namespace, so `load` reads PATH through opts.readFile, which the
// booting node gives it (it reads in the namespace of the node's loader). Jobs from different
// clients take turns (scheduler.ts); leases (lease.ts) bound, prioritize and expire them.

import * as os from 'node:os';
import type { Entry, Opened, Req } from '../../fs/server/fileserver.ts';
import { Enoent } from '../../fs/9p/errors.ts';
import { Ebadctl, Tree, TreeFid, ctl, dir, gen, session, text } from '../../fs/server/tree.ts';
import { Leases, parseLease } from './lease.ts';
import { inferSession } from './infer.ts';
import { BACKEND, backendVersion, loadModel, probeProviders } from './runtime.ts';
import type { LoadedModel } from './runtime.ts';
import { samples } from './samples.ts';
import { Scheduler } from './scheduler.ts';

export interface CudaOptions {
  /** Read a file for `load NAME PATH`, in the namespace of whoever loads (uname is the writer of ctl). */
  readFile: (path: string, uname: string) => Promise<Uint8Array>;
  /** Execution providers to use, already probed (default: probeProviders at start). */
  providers?: readonly string[];
  /** Clock in ms for lease expiry and latencies (default performance.now). */
  now?: () => number;
  /** Jobs run at once (default: 1 on CPU; with a GPU provider, the streams of active leases). */
  slots?: number;
  /** Memory leases may hold between them, MB (default: the machine's). */
  memMb?: number;
  /** Awaited at the start of each run (tests hold jobs running with it). */
  gate?: () => Promise<void>;
  /** Owner of the files (default sys). */
  owner?: string;
}

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const USAGE = 'want load NAME PATH, unload NAME, lease worker=ID mem_mb=N streams=N ttl_s=N priority=N, or revoke ID';

export class CudaService extends Tree {
  readonly providers: readonly string[];
  readonly models = new Map<string, LoadedModel>();
  readonly leases: Leases;
  readonly scheduler: Scheduler;
  readonly #readFile: CudaOptions['readFile'];
  readonly #now: () => number;
  readonly #loading = new Set<string>();
  /** How many jobs may run at once now. */
  readonly #slots: () => number;
  /** Which client (9P attach) a fid descends from, and which one an open request is for. */
  readonly #clientOf = new WeakMap<TreeFid, number>();
  readonly #reqClient = new WeakMap<Req, number>();
  #nextClient = 1;
  #closed = false;

  constructor(opts: CudaOptions & { providers: readonly string[] }) {
    const now = opts.now ?? (() => performance.now());
    const owner = opts.owner ?? 'sys';
    const gpu = opts.providers.some((p) => p !== 'cpu');
    const leases = new Leases(now, opts.memMb ?? Math.floor(os.totalmem() / 2 ** 20));
    // On CPU one run at a time (onnxruntime-node runs on the event loop's thread anyway).
    const slots = (): number => opts.slots ?? (gpu ? Math.max(1, leases.streams()) : 1);
    const scheduler = new Scheduler({ now, slots, ...(opts.gate ? { gate: opts.gate } : {}) });
    // The tree's callbacks run only after construction, when box.s is set.
    const box: { s?: CudaService } = {};
    const self = (): CudaService => box.s!;
    super([
      ctl('ctl', { status: () => self().ctlText(), command: (line, req) => self().command(line, req) }),
      text('status', () => self().statusText()),
      dir('samples', samples().map((s) => text(`${s.name}.onnx`, s.bytes))),
      gen('models', {
        list: () => self().models.keys(),
        make: (name) => dir(name, [
          text('info', () => self().#model(name).info()),
          session('infer', (_mode, req) => inferSession(self().#model(name), `client:${self().#reqClient.get(req) ?? 0}`, {
            scheduler, leases, now,
          })),
        ]),
      }),
    ], { owner });
    box.s = this;
    this.#slots = slots;
    this.providers = opts.providers;
    this.leases = leases;
    this.scheduler = scheduler;
    this.#readFile = opts.readFile;
    this.#now = now;
  }

  #model(name: string): LoadedModel {
    const m = this.models.get(name);
    if (!m) throw new Error(`${Enoent}: no model ${name}`);
    return m;
  }

  // ---- client identity: an attach is a client; its fids and opens inherit it ----

  override attach(uname: string, aname: string, req: Req): Entry<TreeFid> {
    const e = super.attach(uname, aname, req);
    this.#clientOf.set(e.node, this.#nextClient++);
    return e;
  }

  override async walk(fid: TreeFid, name: string, req: Req): Promise<Entry<TreeFid>> {
    const e = await super.walk(fid, name, req);
    this.#clientOf.set(e.node, this.#clientOf.get(fid) ?? 0);
    return e;
  }

  override async open(fid: TreeFid, mode: number, req: Req): Promise<Opened<TreeFid>> {
    this.#reqClient.set(req, this.#clientOf.get(fid) ?? 0);
    return super.open(fid, mode, req);
  }

  // ---- ctl ----

  ctlText(): string {
    const now = this.#now();
    const leases = this.leases.list();
    return [
      `backend ${BACKEND} ${backendVersion()}`,
      `providers ${this.providers.join(' ')}`,
      `models${[...this.models.keys()].map((n) => ` ${n}`).join('')}`,
      `queue ${this.scheduler.queued()}`,
      `leases ${leases.length}`,
      ...leases.map((l) => l.line(now, this.scheduler.queued(`lease:${l.id}`))),
    ].join('\n') + '\n';
  }

  statusText(): string {
    const s = this.scheduler;
    return [
      `queued ${s.queued()}`, `running ${s.running}`, `done ${s.done}`, `failed ${s.failed}`,
      `p50_ms ${s.latency.percentile(50).toFixed(3)}`, `p95_ms ${s.latency.percentile(95).toFixed(3)}`,
      `dropped ${s.dropped}`, `slots ${this.#slots()}`,
    ].join('\n') + '\n';
  }

  async command(line: string, req: Req): Promise<void> {
    if (this.#closed) throw new Error('cuda: service closed');
    const [verb, ...args] = line.split(/\s+/);
    switch (verb) {
      case 'load': {
        if (args.length !== 2) throw new Error(`${Ebadctl}: want load NAME PATH`);
        return this.load(args[0]!, args[1]!, req.uname);
      }
      case 'unload': {
        if (args.length !== 1) throw new Error(`${Ebadctl}: want unload NAME`);
        return this.unload(args[0]!);
      }
      case 'lease': {
        this.leases.grant(parseLease(args));
        this.scheduler.pump(); // more streams may mean more slots
        return;
      }
      case 'revoke': {
        if (args.length !== 1) throw new Error(`${Ebadctl}: want revoke ID`);
        const l = this.leases.revoke(args[0]!);
        this.scheduler.fail((j) => j.lease === l, `lease ${l.id} revoked`);
        return;
      }
      default:
        throw new Error(`${Ebadctl}: unknown command '${verb}' (${USAGE})`);
    }
  }

  async load(name: string, path: string, uname: string): Promise<void> {
    if (!MODEL_NAME.test(name)) throw new Error(`load: bad model name '${name}' (letters, digits, . _ -; at most 64)`);
    if (this.models.has(name) || this.#loading.has(name)) throw new Error(`load: model ${name} already loaded (unload it first)`);
    this.#loading.add(name);
    try {
      let bytes: Uint8Array;
      try { bytes = await this.#readFile(path, uname); } catch (e) { throw new Error(`load ${name}: ${path}: ${(e as Error).message}`); }
      const m = await loadModel(name, path, bytes, this.providers);
      if (this.#closed) { await m.unload(); throw new Error('cuda: service closed'); }
      this.models.set(name, m);
    } finally {
      this.#loading.delete(name);
    }
  }

  async unload(name: string): Promise<void> {
    const m = this.models.get(name);
    if (!m) throw new Error(`unload: unknown model ${name}`);
    this.models.delete(name);
    this.scheduler.fail((j) => j.tag === m, `model ${name} unloaded`);
    await m.unload();
  }

  /** Refuse new work, fail what is queued, release every model. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.scheduler.fail(() => true, 'cuda: service closed');
    for (const name of [...this.models.keys()]) await this.unload(name);
  }
}

/** Start /srv/cuda: probe the providers (unless given), build the samples, serve. */
export async function startCuda(opts: CudaOptions): Promise<CudaService> {
  const providers = opts.providers ?? await probeProviders(samples()[0]!.bytes);
  return new CudaService({ ...opts, providers });
}
