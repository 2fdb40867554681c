// Leases of /srv/cuda: upstream Cohesix's GPU lease fields (worker, mem_mb, streams, ttl_s,
// priority) granted through `lease ...` on /srv/cuda/ctl. A lease lives ttl_s seconds from
// its grant; infer opens bound to it share its `streams` (concurrent jobs) and get its
// priority (turns per scheduling round). Time comes from an injectable clock (ms).

export interface LeaseFields {
  worker: string;
  mem_mb: number;
  streams: number;
  ttl_s: number;
  priority: number;
}

const FIELDS = ['worker', 'mem_mb', 'streams', 'ttl_s', 'priority'] as const;
/** Whole-number fields and their ranges. */
const RANGE: Record<string, [number, number]> = {
  mem_mb: [1, 1 << 24], streams: [1, 64], ttl_s: [1, 7 * 86400], priority: [0, 9],
};
const WORKER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** An expired lease stays listed (and its id answers `lease N expired`) this long, then goes. */
export const EXPIRED_KEEP_MS = 60_000;

/** Parse `worker=ID mem_mb=N streams=N ttl_s=N priority=N` (any order, each once). */
export function parseLease(words: readonly string[]): LeaseFields {
  const got = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new Error(`lease: '${w}' is not FIELD=VALUE (fields: ${FIELDS.join(' ')})`);
    const k = w.slice(0, eq), v = w.slice(eq + 1);
    if (!(FIELDS as readonly string[]).includes(k)) throw new Error(`lease: unknown field '${k}' (fields: ${FIELDS.join(' ')})`);
    if (got.has(k)) throw new Error(`lease: field ${k} given twice`);
    got.set(k, v);
  }
  for (const k of FIELDS) if (!got.has(k)) throw new Error(`lease: missing field ${k}`);
  const worker = got.get('worker')!;
  if (!WORKER.test(worker)) throw new Error(`lease: bad worker '${worker}' (letters, digits, . _ -; at most 64)`);
  const num = (k: string): number => {
    const v = got.get(k)!, [lo, hi] = RANGE[k]!;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw new Error(`lease: ${k}: bad number '${v}'`);
    if (n < lo || n > hi) throw new Error(`lease: ${k}: ${n} out of range ${lo}..${hi}`);
    return n;
  };
  return { worker, mem_mb: num('mem_mb'), streams: num('streams'), ttl_s: num('ttl_s'), priority: num('priority') };
}

export type LeaseState = 'active' | 'expired' | 'revoked';

export class Lease {
  readonly id: number;
  readonly fields: LeaseFields;
  /** Clock reading (ms) when granted. */
  readonly granted: number;
  revoked = false;
  /** Jobs under this lease running now (the scheduler keeps it). */
  running = 0;

  constructor(id: number, fields: LeaseFields, granted: number) {
    this.id = id;
    this.fields = fields;
    this.granted = granted;
  }

  get expires(): number { return this.granted + this.fields.ttl_s * 1000; }

  state(now: number): LeaseState {
    return this.revoked ? 'revoked' : now >= this.expires ? 'expired' : 'active';
  }

  /** Throw `lease N expired` (or revoked) unless active. */
  check(now: number): void {
    const s = this.state(now);
    if (s !== 'active') throw new Error(`lease ${this.id} ${s}`);
  }

  /** Turns per scheduling round: 1 + priority. */
  get weight(): number { return 1 + this.fields.priority; }

  line(now: number, queued: number): string {
    const f = this.fields;
    const left = Math.max(0, Math.ceil((this.expires - now) / 1000));
    return `lease ${this.id} worker=${f.worker} mem_mb=${f.mem_mb} streams=${f.streams} ttl_s=${f.ttl_s} priority=${f.priority} left_s=${left} running=${this.running} queued=${queued} state=${this.state(now)}`;
  }
}

/** The leases granted and not yet gone; ids count up from 1. */
export class Leases {
  readonly #all = new Map<number, Lease>();
  readonly #now: () => number;
  /** Memory that active leases may hold between them (MB). */
  readonly budgetMb: number;
  #next = 1;

  constructor(now: () => number, budgetMb: number) {
    this.#now = now;
    this.budgetMb = budgetMb;
  }

  /** Leases still listed, oldest first (expired ones for EXPIRED_KEEP_MS). */
  list(): Lease[] {
    const now = this.#now();
    for (const [id, l] of this.#all) if (now >= l.expires + EXPIRED_KEEP_MS) this.#all.delete(id);
    return [...this.#all.values()];
  }

  /** Memory held by active leases. */
  memInUse(): number {
    const now = this.#now();
    return this.list().filter((l) => l.state(now) === 'active').reduce((a, l) => a + l.fields.mem_mb, 0);
  }

  grant(f: LeaseFields): Lease {
    const used = this.memInUse();
    if (used + f.mem_mb > this.budgetMb) throw new Error(`lease: mem_mb ${f.mem_mb} over budget (${this.budgetMb - used} of ${this.budgetMb} MB free)`);
    const l = new Lease(this.#next++, f, this.#now());
    this.#all.set(l.id, l);
    return l;
  }

  /** The lease with id text (a decimal), or the error naming it. */
  get(id: string): Lease {
    const n = /^\d+$/.test(id) ? Number(id) : NaN;
    if (!Number.isSafeInteger(n)) throw new Error(`bad lease id '${id}'`);
    this.list();
    const l = this.#all.get(n);
    if (!l) throw new Error(`unknown lease ${id}`);
    return l;
  }

  revoke(id: string): Lease {
    const l = this.get(id);
    l.revoked = true;
    this.#all.delete(l.id);
    return l;
  }

  /** Sum of the streams of active leases (how many jobs may run at once on a GPU). */
  streams(): number {
    const now = this.#now();
    return this.list().filter((l) => l.state(now) === 'active').reduce((a, l) => a + l.fields.streams, 0);
  }
}
