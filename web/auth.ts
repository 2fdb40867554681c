// Who may have a console: the token (compared in constant time), the Origin of a WebSocket
// (only the page we served), and a lock on addresses that keep guessing (upstream: three
// failures within 60 s lock the address out for 90 s).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface LockoutOptions {
  /** Failures allowed within the window before the lock (default 3). */
  failures?: number;
  windowMs?: number;
  lockMs?: number;
  now?: () => number;
}

/** A fresh token, as Jupyter prints one: 24 random bytes, hex. */
export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** Equal in time independent of where they differ (hashing first makes the lengths equal too). */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest(), b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** A WebSocket's Origin must be the host it connected to (a page we served), over http. */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === host;
  } catch {
    return false;
  }
}

/** Failed logins per address; an address with too many recent failures is locked out. */
export class Lockout {
  readonly #failures: number;
  readonly #windowMs: number;
  readonly #lockMs: number;
  readonly #now: () => number;
  readonly #fails = new Map<string, number[]>();
  readonly #locked = new Map<string, number>();

  constructor(opts: LockoutOptions = {}) {
    this.#failures = opts.failures ?? 3;
    this.#windowMs = opts.windowMs ?? 60_000;
    this.#lockMs = opts.lockMs ?? 90_000;
    this.#now = opts.now ?? Date.now;
  }

  /** Milliseconds the address stays locked; 0 when it may try. */
  lockedFor(addr: string): number {
    const until = this.#locked.get(addr);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left > 0) return left;
    this.#locked.delete(addr);
    return 0;
  }

  fail(addr: string): void {
    const now = this.#now();
    const recent = (this.#fails.get(addr) ?? []).filter((t) => now - t < this.#windowMs);
    recent.push(now);
    if (recent.length >= this.#failures) {
      this.#locked.set(addr, now + this.#lockMs);
      this.#fails.delete(addr);
    } else this.#fails.set(addr, recent);
    // Forget addresses that stopped trying long ago: the map cannot grow without bound.
    if (this.#fails.size > 10_000) for (const [k, v] of this.#fails) if (now - v[v.length - 1]! >= this.#windowMs) this.#fails.delete(k);
  }

  succeed(addr: string): void { this.#fails.delete(addr); }
}
