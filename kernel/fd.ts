// File descriptors: a table of open chans with offsets; dup shares the Fd (and its offset).

import { Ebadfd } from './errors.ts';
import type { Chan } from './chan.ts';

export interface Fd {
  chan: Chan;
  mode: number;
  offset: number;
  /** Directory reads are served from a snapshot taken at offset 0. */
  dirents?: Buffer;
  refs: number;
}

export interface FdSlot {
  fd: Fd;
  cloexec: boolean;
}

export class FdTable {
  private readonly slots: Array<FdSlot | undefined> = [];

  get(n: number): Fd {
    const s = Number.isInteger(n) && n >= 0 ? this.slots[n] : undefined;
    if (!s) throw new Error(Ebadfd);
    return s.fd;
  }

  /** Lowest free number (or exactly `want`, closing what was there). */
  install(fd: Fd, want = -1, cloexec = false): { n: number; closed?: Fd } {
    let closed: Fd | undefined;
    if (want >= 0) {
      const old = this.slots[want];
      if (old) closed = this.release(old.fd);
      while (this.slots.length < want) this.slots.push(undefined);
      this.slots[want] = { fd, cloexec };
      return closed ? { n: want, closed } : { n: want };
    }
    let n = this.slots.indexOf(undefined);
    if (n < 0) n = this.slots.length;
    this.slots[n] = { fd, cloexec };
    return { n };
  }

  /** Remove n; returns the Fd when this was its last reference (the caller clunks it). */
  close(n: number): Fd | undefined {
    const s = Number.isInteger(n) && n >= 0 ? this.slots[n] : undefined;
    if (!s) throw new Error(Ebadfd);
    this.slots[n] = undefined;
    return this.release(s.fd);
  }

  /** Mark n close-on-exec (or not); the Fd and its reference count are untouched. */
  setCloexec(n: number, on = true): void {
    const s = Number.isInteger(n) && n >= 0 ? this.slots[n] : undefined;
    if (!s) throw new Error(Ebadfd);
    s.cloexec = on;
  }

  private release(fd: Fd): Fd | undefined {
    return --fd.refs === 0 ? fd : undefined;
  }

  dup(from: number, to = -1): { n: number; closed?: Fd } {
    const fd = this.get(from);
    fd.refs++;
    return this.install(fd, to);
  }

  /** rfork f: a copy sharing the open files (as fork does); F: an empty table. */
  copy(): FdTable {
    const t = new FdTable();
    this.slots.forEach((s, i) => { if (s) { s.fd.refs++; t.slots[i] = { fd: s.fd, cloexec: s.cloexec }; } });
    return t;
  }

  /** Drop close-on-exec fds; returns the Fds to clunk. */
  exec(): Fd[] {
    const out: Fd[] = [];
    this.slots.forEach((s, i) => { if (s?.cloexec) { this.slots[i] = undefined; const f = this.release(s.fd); if (f) out.push(f); } });
    return out;
  }

  /** Close everything (process exit); returns the Fds to clunk. */
  closeAll(): Fd[] {
    const out: Fd[] = [];
    this.slots.forEach((s, i) => { if (s) { this.slots[i] = undefined; const f = this.release(s.fd); if (f) out.push(f); } });
    return out;
  }

  list(): Array<{ n: number; fd: Fd; cloexec: boolean }> {
    const out: Array<{ n: number; fd: Fd; cloexec: boolean }> = [];
    this.slots.forEach((s, n) => { if (s) out.push({ n, fd: s.fd, cloexec: s.cloexec }); });
    return out;
  }
}
