// The contact events of a world (/sim/events): a ring of the last `keep` events in typed
// arrays, formatted only when read. A world with many contacts makes dozens of events a step,
// and stepping must not pay for readers that may not exist (bench sim); a line of text and
// a record per event did cost it several percent.
//
// Each open gets a cursor at the oldest event still kept, so it reads the world's events from
// the beginning (as far as the ring reaches) and then waits for more. A read returns whole
// lines, as many as fit. A reader that falls more than `keep` behind skips to the oldest kept.
// end() (the world was reset or replaced, or the service closed) gives readers end of file
// once they have drained.

import { Rendez } from '../../fs/server/tree-feed.ts';

export const DEFAULT_KEEP = 4096;

export class EventLog {
  readonly keep: number;
  readonly #step: Float64Array;
  readonly #a: Int32Array;
  readonly #b: Int32Array;
  readonly #started: Uint8Array;
  /** Events ever pushed: the sequence number the next one gets. */
  #head = 0;
  #unwoken = false;
  #ended = false;
  readonly #rendez = new Rendez();

  constructor(keep = DEFAULT_KEEP) {
    this.keep = keep;
    this.#step = new Float64Array(keep);
    this.#a = new Int32Array(keep);
    this.#b = new Int32Array(keep);
    this.#started = new Uint8Array(keep);
  }

  get head(): number { return this.#head; }
  get oldest(): number { return Math.max(0, this.#head - this.keep); }
  get ended(): boolean { return this.#ended; }

  /** Record one event; readers are woken by wake() (once a step, not once an event). */
  push(step: number, a: number, b: number, started: boolean): void {
    const i = this.#head % this.keep;
    this.#step[i] = step;
    this.#a[i] = a;
    this.#b[i] = b;
    this.#started[i] = started ? 1 : 0;
    this.#head++;
    this.#unwoken = true;
  }

  /** Wake readers if anything was pushed since the last wake. */
  wake(): void {
    if (!this.#unwoken) return;
    this.#unwoken = false;
    if (this.#rendez.sleepers > 0) this.#rendez.wakeup();
  }

  end(): void {
    this.#ended = true;
    this.#rendez.wakeup();
  }

  /** The text of event seq (which must still be kept). */
  line(seq: number): string {
    const i = seq % this.keep;
    return `${this.#step[i]} ${this.#started[i] ? 'start' : 'stop'} ${this.#a[i]} ${this.#b[i]}\n`;
  }

  /** Wait until there is an event at or after seq, or the log has ended. */
  until(seq: number, signal: AbortSignal): Promise<void> {
    return this.#rendez.sleep(signal, () => this.#head > seq || this.#ended);
  }

  open(): EventReader { return new EventReader(this); }
}

/** One open's position in an EventLog. */
export class EventReader {
  readonly #log: EventLog;
  #seq: number;
  /** The rest of a line a short read cut. */
  #part = '';

  constructor(log: EventLog) {
    this.#log = log;
    this.#seq = log.oldest;
  }

  /** Whole lines up to count bytes (a line longer than count comes in pieces); waits for one; '' at the end. */
  async read(count: number, signal: AbortSignal): Promise<string> {
    const log = this.#log;
    if (this.#part === '') {
      await log.until(this.#seq, signal);
      this.#seq = Math.max(this.#seq, log.oldest);
    }
    let out = this.#part;
    this.#part = '';
    while (this.#seq < log.head) {
      const l = log.line(this.#seq);
      if (out.length + l.length > count) {
        if (out === '') { out = l.slice(0, count); this.#part = l.slice(count); this.#seq++; }
        break;
      }
      out += l;
      this.#seq++;
    }
    if (out.length > count) { this.#part = out.slice(count); out = out.slice(0, count); }
    return out;
  }
}
