// #|: pipes (Plan 9 pipe(3)). Each attach name is one pipe (the kernel's pipe() attaches
// 'pipeN'; '' makes a fresh pipe on every attach, as Plan 9's attach does), a directory
// holding two files, data and data1: bytes written to one are read from the other.
//
// Write boundaries are kept: a read returns at most one write's bytes. A read waits for
// data and returns end of file once every open of the other end is closed and what it wrote
// is drained. Writing when the other end is closed fails with 'write on closed pipe'. Each
// direction buffers at most `limit` bytes (default 256 KiB); writers wait for room. Waits end
// with 'interrupted' when the request is flushed. When neither end is open any more, the
// pipe is forgotten (its name may be attached afresh) and, like Plan 9's, reusable.

import type { Dir } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { DMDIR, ORCLOSE } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Enotdir, Eperm } from '../../fs/9p/errors.ts';
import { Rendez } from '../../fs/server/tree-feed.ts';
import { devDir, devQid, secs, wstatNoop } from './devdir.ts';
import type { PipeEnd } from '../chan.ts';
import type { Interrupt } from '../../fs/interrupt.ts';

export const Epipe = 'write on closed pipe';
export const PIPE_LIMIT = 256 << 10;

const DIRMODE = (DMDIR | 0o500) >>> 0;
const FILEMODE = 0o600;
const NAMES = ['data', 'data1'] as const;

/** One direction of a pipe: records written at one end, waiting to be read at the other. */
class Queue {
  readonly recs: Uint8Array[] = [];
  bytes = 0;

  put(b: Uint8Array): void { this.recs.push(b); this.bytes += b.length; }

  take(count: number): Uint8Array {
    const head = this.recs[0];
    if (!head) return new Uint8Array(0);
    if (head.length <= count) { this.recs.shift(); this.bytes -= head.length; return head; }
    this.recs[0] = head.subarray(count);
    this.bytes -= count;
    return head.subarray(0, count);
  }

  clear(): void { this.recs.length = 0; this.bytes = 0; }
}

export class Pipe {
  readonly id: number;
  readonly name: string;
  readonly limit: number;
  /** inbox[i]: what end i reads (end 1 - i wrote it). */
  readonly inbox: [Queue, Queue] = [new Queue(), new Queue()];
  /** Opens of each end. */
  readonly opens: [number, number] = [0, 0];
  /** End i was open and every open of it has closed: its peer reads end of file, writes fail. */
  readonly hungup: [boolean, boolean] = [false, false];
  readonly rendez = new Rendez();

  constructor(id: number, name: string, limit: number) {
    this.id = id;
    this.name = name;
    this.limit = limit;
  }

  async read(end: 0 | 1, count: number, signal: Interrupt): Promise<Uint8Array> {
    if (count <= 0) return new Uint8Array(0);
    const q = this.inbox[end];
    await this.rendez.sleep(signal, () => q.bytes > 0 || q.recs.length > 0 || this.hungup[1 - end]!);
    const b = q.take(count);
    this.rendez.wakeup(); // room for writers
    return b;
  }

  async write(end: 0 | 1, data: Uint8Array, signal: Interrupt): Promise<number> {
    const peer = (1 - end) as 0 | 1;
    const q = this.inbox[peer];
    let done = 0;
    while (done < data.length) {
      try {
        await this.rendez.sleep(signal, () => this.hungup[peer] || q.bytes < this.limit);
      } catch (e) {
        if (done > 0) return done; // part of it went through: report that much
        throw e;
      }
      if (this.hungup[peer]) {
        if (done > 0) return done;
        throw new Error(Epipe);
      }
      const take = Math.min(data.length - done, this.limit - q.bytes);
      q.put(data.slice(done, done + take));
      done += take;
      this.rendez.wakeup();
    }
    return done;
  }

  opened(end: 0 | 1): void { this.opens[end]++; }

  /** An open of end closed; true when the pipe has no opens left (it is then reset). */
  closed(end: 0 | 1): boolean {
    if (this.opens[end] > 0 && --this.opens[end] === 0) {
      this.hungup[end] = true;
      this.inbox[end].clear(); // nobody at this end will read it
    }
    this.rendez.wakeup();
    return this.idle();
  }

  /** Neither end open: make it as new (Plan 9's pipes are reusable once both sides close). */
  idle(): boolean {
    if (this.opens[0] > 0 || this.opens[1] > 0) return false;
    this.inbox[0].clear();
    this.inbox[1].clear();
    this.hungup[0] = this.hungup[1] = false;
    return true;
  }
}

/** A fid's handle: the pipe, which file (-1 the directory), and the open mode if opened. */
export class PipeHandle {
  readonly pipe: Pipe;
  readonly end: -1 | 0 | 1;
  readonly omode: number | undefined;
  released = false;
  constructor(pipe: Pipe, end: -1 | 0 | 1, omode?: number) {
    this.pipe = pipe;
    this.end = end;
    this.omode = omode;
  }
}

export interface PipeDeviceOptions {
  /** Bytes buffered per direction (default 256 KiB). */
  limit?: number;
  /** Seconds since the epoch for the files' times (default: now). */
  time?: number;
}

export class PipeDevice implements FileServer<PipeHandle> {
  readonly #pipes = new Map<string, Pipe>();
  readonly #limit: number;
  readonly #time: number;
  #nextId = 1;

  constructor(opts: PipeDeviceOptions = {}) {
    this.#limit = Math.max(1, opts.limit ?? PIPE_LIMIT);
    this.#time = opts.time ?? secs(Date.now());
  }

  /** Pipes in use now: those known by name and the kernel's open2() pipes with an end open (for tests and /proc). */
  get size(): number { return this.#pipes.size + this.#direct; }
  #direct = 0;

  pipe(name: string): Pipe | undefined { return this.#pipes.get(name); }

  /** A new pipe, both ends open, for the kernel's pipe(2): the ends are used directly, not over 9P. */
  open2(): [PipeEnd, PipeEnd] {
    const p = new Pipe(this.#nextId++, '', this.#limit);
    this.#direct++;
    const end = (e: 0 | 1): PipeEnd => {
      p.opened(e);
      let closed = false;
      return {
        read: (count, signal) => p.read(e, count, signal),
        write: (data, signal) => p.write(e, data, signal),
        stat: () => devDir({ path: p.id * 4 + e + 1, name: NAMES[e], mode: FILEMODE, uid: 'sys', length: p.inbox[e].bytes, time: this.#time }),
        close: () => { if (!closed) { closed = true; if (p.closed(e)) this.#direct--; } },
      };
    };
    return [end(0), end(1)];
  }

  attach(_uname: string, aname: string, _req: Req): Entry<PipeHandle> {
    let p = aname === '' ? undefined : this.#pipes.get(aname);
    if (!p) {
      p = new Pipe(this.#nextId++, aname, this.#limit);
      if (aname !== '') this.#pipes.set(aname, p);
    }
    return this.#entry(new PipeHandle(p, -1));
  }

  walk(h: PipeHandle, name: string, _req: Req): Entry<PipeHandle> {
    if (h.end !== -1) throw new Error(Enotdir);
    if (name === '..') return this.#entry(h);
    const end = NAMES.indexOf(name as typeof NAMES[number]);
    if (end < 0) throw new Error(Enoent);
    return this.#entry(new PipeHandle(h.pipe, end as 0 | 1));
  }

  open(h: PipeHandle, mode: number, _req: Req): Opened<PipeHandle> {
    if (mode & ORCLOSE) throw new Error(Eperm);
    const p = h.pipe;
    if (h.end !== -1) {
      p.opened(h.end);
      // A pipe forgotten when it went idle is known by its name again while open.
      if (p.name !== '' && !this.#pipes.has(p.name)) this.#pipes.set(p.name, p);
    }
    const n = new PipeHandle(p, h.end, mode);
    return { node: n, qid: this.#qid(n) };
  }

  create(_h: PipeHandle, _name: string, _perm: number, _mode: number, _req: Req): Entry<PipeHandle> {
    throw new Error(Eperm);
  }

  read(h: PipeHandle, _offset: number, count: number, req: Req): Promise<Uint8Array> {
    if (h.end === -1) throw new Error(Eisdir);
    return h.pipe.read(h.end, count, req.signal);
  }

  readdir(h: PipeHandle, req: Req): Dir[] {
    if (h.end !== -1) throw new Error(Enotdir);
    return [0, 1].map((e) => this.#dir(new PipeHandle(h.pipe, e as 0 | 1), req));
  }

  write(h: PipeHandle, _offset: number, data: Uint8Array, req: Req): Promise<number> {
    if (h.end === -1) throw new Error(Eisdir);
    return h.pipe.write(h.end, data, req.signal);
  }

  clunk(h: PipeHandle, _req: Req): void {
    const p = h.pipe;
    let idle: boolean;
    if (h.omode !== undefined && h.end !== -1 && !h.released) {
      h.released = true;
      idle = p.closed(h.end);
    } else idle = p.idle();
    if (idle && this.#pipes.get(p.name) === p) this.#pipes.delete(p.name);
  }

  remove(_h: PipeHandle, _req: Req): void {
    throw new Error(Eperm);
  }

  stat(h: PipeHandle, req: Req): Dir {
    return this.#dir(h, req);
  }

  wstat(h: PipeHandle, d: Dir, req: Req): void {
    wstatNoop(d, this.#dir(h, req), true);
  }

  #qid(h: PipeHandle): Dir['qid'] {
    return devQid(h.pipe.id * 4 + (h.end + 1), h.end === -1 ? DIRMODE : FILEMODE);
  }

  #entry(h: PipeHandle): Entry<PipeHandle> {
    return { qid: this.#qid(h), node: h };
  }

  #dir(h: PipeHandle, req: Req): Dir {
    const q = this.#qid(h);
    return devDir({
      path: q.path, name: h.end === -1 ? '/' : NAMES[h.end], mode: h.end === -1 ? DIRMODE : FILEMODE,
      uid: req.uname, length: h.end === -1 ? 0 : h.pipe.inbox[h.end].bytes, time: this.#time,
    });
  }
}
