// An in-process Link pair: decoded Fcalls cross unchanged (no encoding, no copies).
// Delivery is asynchronous (a microtask) so neither side re-enters the other.

import type { Dialect } from '../9p/constants.ts';
import type { Fcall } from '../9p/fcall.ts';
import type { Link, LinkHandlers } from './link.ts';

const RESOLVED = Promise.resolve();

class PairEnd implements Link {
  readonly remote = 'pipe';
  readonly backlog = 0;
  peer: PairEnd | undefined;
  private h: LinkHandlers | undefined;
  private queue: Fcall[] = [];
  private closed = false;

  start(h: LinkHandlers): void {
    this.h = h;
    const q = this.queue;
    this.queue = [];
    for (const f of q) h.message(f);
  }
  deliver(f: Fcall): void {
    if (this.closed) return;
    if (this.h) this.h.message(f); else this.queue.push(f);
  }
  send(f: Fcall): void {
    if (this.closed) return;
    const p = this.peer;
    // A resolved promise's then, not queueMicrotask: Node wraps every queueMicrotask
    // callback in an AsyncResource, which costs more than the delivery (bench kernel).
    void RESOLVED.then(() => p?.deliver(f));
  }
  setDialect(_d: Dialect): void {}
  setMsize(_n: number): void {}
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.h?.close();
    const p = this.peer;
    queueMicrotask(() => p?.hangup());
  }
  hangup(): void {
    if (this.closed) return;
    this.closed = true;
    this.h?.close();
  }
}

/** Two connected ends: give one to a Session and the other to a Client. */
export function linkPair(): [Link, Link] {
  const a = new PairEnd(), b = new PairEnd();
  a.peer = b; b.peer = a;
  return [a, b];
}
