// The job queue of /srv/cuda: at most slots() jobs run at once; queued jobs wait in flows,
// and flows take turns (weighted round robin) so one busy client cannot starve another.
//
//   flow      who a job is charged to: `lease:ID` for an infer open bound to a lease, else
//             `client:N` for the 9P attach (a mount, a connection) it came through
//   weight    1 + the lease's priority (1 without a lease): turns a flow gets per visit
//   streams   a lease's flows never run more than its streams jobs at once
//
// A lease that has expired or been revoked fails its queued jobs (`lease N expired`) when
// their turn comes. A job whose client goes away is dropped: taken out of the queue, or, if it
// is running, its result discarded when the run ends.

import type { Lease } from './lease.ts';
import { LatencyWindow } from './latency.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'dropped';

interface Flow {
  key: string;
  lease: Lease | undefined;
  queue: Job[];
}

export class Job<R = unknown> {
  readonly flow: string;
  readonly lease: Lease | undefined;
  readonly submitted: number;
  readonly work: () => Promise<R>;
  /** Whatever the submitter wants to find the job by (the model it runs). */
  readonly tag: unknown;
  state: JobState = 'queued';
  result: R | undefined;
  error: string | undefined;
  /** The owner is gone: discard the result when the run ends. */
  discard = false;
  /** Resolves when the job is done, failed or dropped. */
  readonly settled: Promise<void>;
  #settle: () => void = () => {};

  constructor(flow: string, lease: Lease | undefined, submitted: number, work: () => Promise<R>, tag?: unknown) {
    this.flow = flow;
    this.tag = tag;
    this.lease = lease;
    this.submitted = submitted;
    this.work = work;
    this.settled = new Promise((res) => { this.#settle = res; });
  }

  finish(state: 'done' | 'failed' | 'dropped', result?: R, error?: string): void {
    this.state = state;
    this.result = state === 'done' ? result : undefined;
    this.error = error;
    this.#settle();
  }
}

export interface SchedulerOptions {
  /** Clock in ms (latencies, lease expiry). */
  now: () => number;
  /** How many jobs may run at once now. */
  slots: () => number;
  /** Awaited at the start of every run, inside its slot (tests hold jobs running with it). */
  gate?: () => Promise<void>;
  /** Latencies kept for the percentiles (default 1000). */
  window?: number;
}

export class Scheduler {
  readonly #opts: SchedulerOptions;
  /** Flows with queued jobs, in turn order. */
  readonly #ring: Flow[] = [];
  #cursor = 0;
  /** Turns left to the flow at the cursor. */
  #credit = 0;
  running = 0;
  done = 0;
  failed = 0;
  dropped = 0;
  readonly latency: LatencyWindow;

  constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    this.latency = new LatencyWindow(opts.window ?? 1000);
  }

  /** Jobs waiting (for one flow, or all). */
  queued(flow?: string): number {
    let n = 0;
    for (const f of this.#ring) if (flow === undefined || f.key === flow) n += f.queue.length;
    return n;
  }

  /** Queue work under flow (and lease, if any); it runs when its turn comes. */
  submit<R>(flow: string, lease: Lease | undefined, work: () => Promise<R>, tag?: unknown): Job<R> {
    const job = new Job<R>(flow, lease, this.#opts.now(), work, tag);
    let f = this.#ring.find((x) => x.key === flow);
    if (!f) { f = { key: flow, lease, queue: [] }; this.#ring.push(f); }
    f.queue.push(job as Job);
    this.pump();
    return job;
  }

  /** The job's owner is gone: out of the queue now, or its result discarded when it ends. */
  drop(job: Job): void {
    if (job.state === 'running') { job.discard = true; return; }
    if (job.state !== 'queued') return;
    const i = this.#ring.findIndex((f) => f.key === job.flow);
    const f = this.#ring[i];
    if (f) {
      f.queue = f.queue.filter((j) => j !== job);
      if (f.queue.length === 0) this.#remove(i);
    }
    this.dropped++;
    job.finish('dropped');
  }

  /** Fail every queued job that pred picks (a model unloaded, the service closing). */
  fail(pred: (j: Job) => boolean, why: string): void {
    for (let i = this.#ring.length - 1; i >= 0; i--) {
      const f = this.#ring[i]!;
      const out = f.queue.filter(pred);
      if (out.length === 0) continue;
      f.queue = f.queue.filter((j) => !pred(j));
      if (f.queue.length === 0) this.#remove(i);
      for (const j of out) { this.failed++; j.finish('failed', undefined, why); }
    }
  }

  /** Start jobs while there are free slots and a flow whose turn it is can run. */
  pump(): void {
    while (this.running < this.#opts.slots()) {
      const job = this.#pick();
      if (!job) return;
      this.#start(job);
    }
  }

  #remove(i: number): void {
    this.#ring.splice(i, 1);
    if (i < this.#cursor) this.#cursor--;
    else if (i === this.#cursor) this.#credit = 0;
    if (this.#cursor >= this.#ring.length) this.#cursor = 0;
  }

  #advance(): void {
    this.#credit = 0;
    this.#cursor = this.#ring.length ? (this.#cursor + 1) % this.#ring.length : 0;
  }

  /** The next job in turn, or none (nothing queued, or every queued flow at its lease's stream limit). */
  #pick(): Job | undefined {
    const now = this.#opts.now();
    for (let tried = 0; tried < this.#ring.length;) {
      const f = this.#ring[this.#cursor]!;
      const l = f.lease;
      if (l && l.state(now) !== 'active') {
        const why = `lease ${l.id} ${l.state(now)}`;
        for (const j of f.queue) { this.failed++; j.finish('failed', undefined, why); }
        this.#remove(this.#cursor);
        continue; // the ring is shorter; the same index is the next flow
      }
      if (l && l.running >= l.fields.streams) { this.#advance(); tried++; continue; }
      if (this.#credit <= 0) this.#credit = l ? l.weight : 1;
      const job = f.queue.shift()!;
      this.#credit--;
      if (f.queue.length === 0) this.#remove(this.#cursor);
      else if (this.#credit <= 0) this.#advance();
      return job;
    }
    return undefined;
  }

  #start(job: Job): void {
    job.state = 'running';
    this.running++;
    if (job.lease) job.lease.running++;
    void (async () => {
      let result: unknown, error: string | undefined;
      try {
        await this.#opts.gate?.();
        result = await job.work();
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      this.running--;
      if (job.lease) job.lease.running--;
      if (job.discard) { this.dropped++; job.finish('dropped'); }
      else if (error !== undefined) { this.failed++; job.finish('failed', undefined, error); }
      else {
        this.done++;
        this.latency.add(this.#opts.now() - job.submitted);
        job.finish('done', result);
      }
      this.pump();
    })();
  }
}
