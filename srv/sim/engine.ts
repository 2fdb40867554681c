// The simulation behind /sim: a SimWorld plus what the files add to it: the ctl commands
// applied atomically and in arrival order (one queue for every writer, timer included), the
// trace of accepted commands, the contact events feed, and real-time running.
//
// A write is checked whole first (syntax, arity, numbers, body ids through the write's own
// adds and removes, step bounds) and refused whole: nothing changes. Then it is applied
// without another writer in between. Long stepping yields to the event loop now and then so
// the node stays responsive; readers may see a write's intermediate steps, writers never.
//
// The trace holds every accepted command since the last reset or restore as `STEP command`,
// STEP being the step it was applied at. Steps made by `run` are not commands; the next
// command's STEP accounts for them. replay() feeds a trace to a fresh Sim (no timers) and
// gets the same world.json text.

import { rapier } from './rapier.ts';
import type { Rapier } from './rapier.ts';
import type { Command, Line } from './parse.ts';
import { badctl, DEFAULT_HZ, format, MAXSTEPS, parseLine } from './parse.ts';
import { SimWorld } from './world.ts';
import { DEFAULT_KEEP, EventLog } from './events.ts';
import { parseWorld, worldJson } from './worldjson.ts';

export interface SimOptions {
  /** Start a real timer for `run` (default true; replay and tests of the grammar turn it off). */
  timers?: boolean;
  /** Most steps one write may ask for (default MAXSTEPS). */
  maxSteps?: number;
  /** Events kept for readers that open later or fall behind (default DEFAULT_KEEP). */
  keepEvents?: number;
  /** Clock for run, in milliseconds (default performance.now). */
  now?: () => number;
}

/** Stepping longer than this (ms) inside one write yields to the event loop once. */
const SLICE_MS = 20;
/** A timer tick catches up at most this many seconds of missed steps; older ones are dropped. */
const CATCHUP_S = 0.1;
export const Eclosed = 'simulation closed';

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Sim {
  readonly R: Rapier;
  world: SimWorld;
  /** Contact events of the current world; a reset or restore ends it and starts another. */
  events: EventLog;
  running = false;
  hz = DEFAULT_HZ;
  readonly #trace: string[] = [];
  readonly #opts: Required<SimOptions>;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #runStart = 0;
  #runDone = 0;
  #closed = false;

  static async create(opts: SimOptions = {}): Promise<Sim> {
    return new Sim(await rapier(), opts);
  }

  constructor(R: Rapier, opts: SimOptions = {}) {
    this.R = R;
    this.#opts = {
      timers: opts.timers ?? true, maxSteps: opts.maxSteps ?? MAXSTEPS, keepEvents: opts.keepEvents ?? DEFAULT_KEEP,
      now: opts.now ?? (() => performance.now()),
    };
    this.world = new SimWorld(R);
    this.events = new EventLog(this.#opts.keepEvents);
  }

  get closed(): boolean { return this.#closed; }

  /** Run fn after every earlier writer, alone. */
  #serial<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(Eclosed));
    this.#waiting++;
    const p = this.#queue.then(() => {
      if (this.#closed) throw new Error(Eclosed);
      return fn();
    }).finally(() => { this.#waiting--; });
    this.#queue = p.catch(() => undefined);
    return p;
  }

  /** Apply the lines of one write of /sim/ctl (blank lines ignored), all or nothing. */
  exec(text: string): Promise<void> {
    let lines: Line[];
    try {
      lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '').map(parseLine);
    } catch (e) { return Promise.reject(e); }
    return this.apply(lines);
  }

  /** Apply parsed lines as one write. */
  apply(lines: readonly Line[], limit = this.#opts.maxSteps): Promise<void> {
    return this.#serial(async () => {
      this.#check(lines, limit);
      for (const l of lines) {
        if (this.#closed) throw new Error(Eclosed);
        await this.#do(l);
      }
    });
  }

  /** Check a write against the world as it will be when each line runs; throws, changing nothing. */
  #check(lines: readonly Line[], limit: number): void {
    const w = this.world;
    const kinds = new Map(w.ids().map((id) => [id, w.body(id)!.shape.kind]));
    let next = w.nextId, step = w.step, total = 0;
    const body = (id: number, moves: boolean): void => {
      const k = kinds.get(id);
      if (k === undefined) throw new Error(`no body ${id}`);
      if (moves && k === 'ground') throw new Error(`body ${id} is fixed`);
    };
    for (const { at, cmd } of lines) {
      if (at !== undefined) {
        if (at < step) throw badctl(`step ${at} is already past (the world is at step ${step})`);
        total += at - step;
        step = at;
      }
      switch (cmd.op) {
        case 'step': total += cmd.n; step += cmd.n; break;
        case 'add': kinds.set(next++, cmd.shape.kind); break;
        case 'remove': body(cmd.id, false); kinds.delete(cmd.id); break;
        case 'impulse': case 'vel': body(cmd.id, true); break;
        case 'pos': body(cmd.id, false); break;
        case 'reset': kinds.clear(); next = 1; step = 0; break;
        default: break;
      }
    }
    if (total > limit) throw badctl(`one write may step at most ${limit} times, this one asks for ${total}`);
  }

  async #do({ at, cmd }: Line): Promise<void> {
    if (at !== undefined) await this.#advance(at - this.world.step, true);
    if (cmd.op !== 'reset') this.#trace.push(`${this.world.step} ${format(cmd)}\n`);
    this.#command(cmd);
    if (cmd.op === 'step') await this.#advance(cmd.n, true);
  }

  /** Everything but stepping (which may yield, so #do does it). */
  #command(c: Command): void {
    const w = this.world;
    switch (c.op) {
      case 'gravity': w.gravity = c.v; break;
      case 'dt': w.dt = c.dt; break;
      case 'step': break;
      case 'run': this.hz = c.hz; this.#run(true); break;
      case 'pause': this.#run(false); break;
      case 'reset': this.#replace(new SimWorld(this.R)); this.#run(false); this.hz = DEFAULT_HZ; break;
      case 'add': w.add(c.shape, c.at, c.mass); break;
      case 'remove': w.remove(c.id); break;
      case 'impulse': w.impulse(c.id, c.v); break;
      case 'pos': w.setPos(c.id, c.v); break;
      case 'vel': w.setVel(c.id, c.v); break;
    }
  }

  /** n steps, pushing contact events; inside a write, yields every SLICE_MS. */
  async #advance(n: number, yielding: boolean): Promise<void> {
    const w = this.world, ev = this.events;
    const sink = (step: number, a: number, b: number, started: boolean): void => ev.push(step, a, b, started);
    let t0 = this.#opts.now();
    for (let i = 0; i < n; i++) {
      w.advance(sink);
      ev.wake();
      if (yielding && (i & 63) === 63 && this.#opts.now() - t0 > SLICE_MS) {
        await yieldNow();
        if (this.#closed) return;
        t0 = this.#opts.now();
      }
    }
  }

  /** A new world in place of the current one: trace and events start over. */
  #replace(w: SimWorld): void {
    this.world.free();
    this.world = w;
    this.#trace.length = 0;
    this.events.end();
    this.events = new EventLog(this.#opts.keepEvents);
  }

  /** Step up to step n (not a command: the trace does not change). */
  stepTo(n: number): Promise<void> {
    return this.#serial(() => this.#advance(n - this.world.step, true));
  }

  /** Replace the world with a world.json text (see worldjson.ts); the trace starts over. */
  restore(text: string): Promise<void> {
    return this.#serial(() => { this.#replace(parseWorld(this.R, text)); });
  }

  // ---- real-time running ----

  #run(on: boolean): void {
    this.running = on;
    if (this.#timer) { clearInterval(this.#timer); this.#timer = undefined; }
    if (!on || !this.#opts.timers) return;
    this.#runStart = this.#opts.now();
    this.#runDone = 0;
    this.#timer = setInterval(() => this.#tick(), Math.max(1, Math.floor(1000 / this.hz)));
    this.#timer.unref(); // a running simulation does not keep the process alive
  }

  /** Step as many times as real time says are due since run, unless a writer holds the world. */
  #tick(): void {
    if (!this.running || this.#waiting > 0) return;
    const due = Math.floor((this.#opts.now() - this.#runStart) * this.hz / 1000) - this.#runDone;
    if (due <= 0) return;
    const cap = Math.max(1, Math.ceil(this.hz * CATCHUP_S));
    this.#runDone += due; // steps beyond cap are dropped, not owed
    void this.#serial(() => (this.running ? this.#advance(Math.min(due, cap), false) : undefined)).catch(() => undefined);
  }

  // ---- what the files read ----

  status(): string {
    const w = this.world, g = w.gravity;
    return `step ${w.step}\nbodies ${w.size}\ngravity ${g.join(' ')}\ndt ${w.dt}\nrunning ${this.running ? 'yes' : 'no'} ${this.hz}\n`;
  }

  worldJson(): string { return worldJson(this.world); }
  traceText(): string { return this.#trace.join(''); }
  /** Lines in the trace. */
  get traceLength(): number { return this.#trace.length; }

  /** Stop the timer, end the events feed (blocked readers get end of file), free Rapier's memory. */
  close(): void {
    if (this.#closed) return;
    this.#run(false);
    this.#closed = true;
    this.events.end();
    this.world.free();
  }
}

/**
 * Replay a trace into a fresh Sim (no timers): each line's command applied at its step, in
 * order, stepping up to `until` after the last (for the steps a still-running sim made).
 * `from` is a world.json to start from (the trace of a restored world starts there).
 */
export async function replay(trace: string, opts: { from?: string; until?: number } = {}): Promise<Sim> {
  const sim = await Sim.create({ timers: false });
  try {
    if (opts.from !== undefined) await sim.restore(opts.from);
    const lines = trace.split('\n').map((l) => l.trim()).filter((l) => l !== '').map(parseLine);
    if (lines.some((l) => l.at === undefined)) throw badctl('a trace line starts with its step');
    await sim.apply(lines, Infinity);
    if (opts.until !== undefined) await sim.stepTo(opts.until);
  } catch (e) {
    sim.close();
    throw e;
  }
  return sim;
}
