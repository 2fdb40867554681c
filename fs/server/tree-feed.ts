// Blocking reads for synthetic files: Rendez (Plan 9's sleep/wakeup, abortable by a request's
// signal), Feed (a stream of records that every open reader sees from the moment it opened),
// and small byte helpers (readStr is lib9p's readstr).

import { Einterrupted } from '../9p/errors.ts';
import type { Req } from './fileserver.ts';
import type { Interrupt } from '../interrupt.ts';

const utf8 = new TextEncoder();

/** A string as UTF-8 bytes; bytes unchanged. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8.encode(data) : data;
}

/** The part of content a read at offset for count bytes returns (lib9p readstr/readbuf). */
export function readStr(content: string | Uint8Array, offset: number, count: number): Uint8Array {
  const b = toBytes(content);
  if (offset >= b.length) return new Uint8Array(0);
  return b.subarray(offset, Math.min(b.length, offset + count));
}

/** What a wait can be cut short by: a request (its onAbort when it has one) or a signal. */
export type Abortable = AbortSignal | Pick<Req, 'signal' | 'onAbort'>;

/** Resolves when p does; rejects with Einterrupted as soon as the request or signal aborts. */
export function interruptible<T>(p: Promise<T>, by: Abortable): Promise<T> {
  const listen = (cb: () => void): (() => void) => {
    if (!(by instanceof AbortSignal) && by.onAbort) return by.onAbort(cb);
    const signal = by instanceof AbortSignal ? by : by.signal;
    if (signal.aborted) { cb(); return () => {}; }
    signal.addEventListener('abort', cb, { once: true });
    return () => signal.removeEventListener('abort', cb);
  };
  return new Promise<T>((resolve, reject) => {
    const stop = listen(() => reject(new Error(Einterrupted)));
    p.then(
      (v) => { stop(); resolve(v); },
      (e: unknown) => { stop(); reject(e); },
    );
  });
}

/**
 * A rendezvous point (Plan 9 sleep/wakeup): readers sleep until ready() holds, writers call
 * wakeup() after changing the state ready() looks at. An aborted signal ends the sleep with
 * Einterrupted.
 */
export class Rendez {
  readonly #sleepers = new Set<() => void>();

  /** Wait until ready() is true (checked now and after every wakeup); without ready, until the next wakeup. */
  async sleep(signal: Interrupt, ready?: () => boolean): Promise<void> {
    for (;;) {
      if (ready?.()) return;
      if (signal.aborted) throw new Error(Einterrupted);
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => { signal.removeEventListener('abort', onAbort); resolve(); };
        const onAbort = (): void => { this.#sleepers.delete(wake); reject(new Error(Einterrupted)); };
        this.#sleepers.add(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      });
      if (!ready) return;
    }
  }

  /** Wake every sleeper; each re-checks its condition. */
  wakeup(): void {
    const all = [...this.#sleepers];
    this.#sleepers.clear();
    for (const w of all) w();
  }

  get sleepers(): number { return this.#sleepers.size; }
}

export interface FeedOptions {
  /** Bytes of recent records replayed to each new reader (default 0: readers see only what comes after they open). */
  keep?: number;
  /** Bytes a slow reader may fall behind before its oldest records are dropped (default 1 MiB). */
  backlog?: number;
}

/**
 * A stream of records (log lines, events). Each open reader gets every record pushed after it
 * opened (plus the kept history); a read returns at most one record, waits while there is none,
 * and returns end of file once the feed has ended and the reader has drained.
 */
export class Feed {
  readonly #readers = new Set<FeedReader>();
  readonly #history: Uint8Array[] = [];
  #historyBytes = 0;
  readonly #keep: number;
  readonly #backlog: number;
  #ended = false;

  constructor(opts: FeedOptions = {}) {
    this.#keep = opts.keep ?? 0;
    this.#backlog = opts.backlog ?? 1 << 20;
  }

  /** Append a record (empty records are ignored; after end() nothing is appended). */
  push(data: string | Uint8Array): void {
    if (this.#ended) return;
    const rec = toBytes(data).slice();
    if (rec.length === 0) return;
    for (const r of this.#readers) r.deliver(rec);
    if (this.#keep > 0) {
      this.#history.push(rec);
      this.#historyBytes += rec.length;
      while (this.#historyBytes > this.#keep) this.#historyBytes -= this.#history.shift()!.length;
    }
  }

  /** No more records: readers get end of file after draining. */
  end(): void {
    this.#ended = true;
    for (const r of this.#readers) r.finish();
  }

  get ended(): boolean { return this.#ended; }
  /** Open readers. */
  get readers(): number { return this.#readers.size; }

  /** A new reader; close it when done (the tree does so at clunk). */
  open(): FeedReader {
    const r = new FeedReader(this.#backlog, () => this.#readers.delete(r));
    for (const rec of this.#history) r.deliver(rec);
    if (this.#ended) r.finish();
    else this.#readers.add(r);
    return r;
  }
}

/** One reader's queue of a Feed. deliver and finish are for the Feed. */
export class FeedReader {
  readonly #queue: Uint8Array[] = [];
  #bytes = 0;
  #done = false;
  readonly #backlog: number;
  readonly #detach: () => void;
  readonly #rendez = new Rendez();

  constructor(backlog: number, detach: () => void) {
    this.#backlog = backlog;
    this.#detach = detach;
  }

  deliver(rec: Uint8Array): void {
    this.#queue.push(rec);
    this.#bytes += rec.length;
    while (this.#bytes > this.#backlog && this.#queue.length > 1) this.#bytes -= this.#queue.shift()!.length;
    this.#rendez.wakeup();
  }

  finish(): void {
    this.#done = true;
    this.#rendez.wakeup();
  }

  /** Bytes queued and not yet read. */
  get pending(): number { return this.#bytes; }

  /** At most count bytes of the next record; waits for one; empty at end of feed. */
  async read(count: number, signal: AbortSignal): Promise<Uint8Array> {
    await this.#rendez.sleep(signal, () => this.#queue.length > 0 || this.#done);
    const head = this.#queue[0];
    if (!head) return new Uint8Array(0);
    if (head.length <= count) {
      this.#queue.shift();
      this.#bytes -= head.length;
      return head;
    }
    this.#queue[0] = head.subarray(count);
    this.#bytes -= count;
    return head.subarray(0, count);
  }

  /** Stop receiving records; queued records are dropped and reads return end of file. */
  close(): void {
    this.#detach();
    this.#queue.length = 0;
    this.#bytes = 0;
    this.finish();
  }
}
