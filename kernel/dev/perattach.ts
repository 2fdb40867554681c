// PerAttach: one FileServer whose attaches are dispatched by aname to servers of their own,
// made on demand by a factory and cached (Plan 9 devices pick their state from the attach
// spec: #e by environment group, #c by console). Ramfs and Tree ignore aname; wrapping
// them here gives each aname its own tree.
//
//   const fs = new PerAttach((aname) => new Tree(consFiles(registry.console(aname))), {
//     key: (aname) => aname || 'console',
//   });
//   kernel.addDevice('#c', fs);
//   fs.drop('tty3');   // later attaches to 'tty3' get a fresh server; open fids keep the old one
//
// Every handle remembers its inner server. Qid paths are kept apart between servers by
// adding a per-server base (ordinal * 2^32) to paths below 2^32, so a client sees distinct
// files; up to 2^21 - 1 servers get distinct bases before the ordinals wrap.

import type { Dir, Qid, StatFs } from '../../fs/9p/fcall.ts';
import { U64_MAX } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { Enotsup, Exdev } from '../../fs/9p/errors.ts';

/** Makes the server for one attach key; throw a Plan 9 error (e.g. Ebadattach) to refuse it. */
export type ServerFactory = (key: string, uname: string) => FileServer<unknown>;

export interface PerAttachOptions {
  /** The cache key of an aname (default: the aname itself); throw to refuse the attach. */
  key?: (aname: string) => string;
  /** Offset qid paths per server so they never collide (default true). */
  spreadQids?: boolean;
}

const SPAN = 2 ** 32;
const MAX_ORDINAL = 2 ** 21 - 1;

/** One inner server and what it is known by. */
export class Inner {
  readonly key: string;
  readonly fs: FileServer<unknown>;
  /** Added to qid paths below 2^32 (0 when qids are not spread). */
  readonly base: number;
  constructor(key: string, fs: FileServer<unknown>, base: number) {
    this.key = key;
    this.fs = fs;
    this.base = base;
  }

  qid(q: Qid): Qid {
    return this.base && q.path < SPAN ? { ...q, path: this.base + q.path } : q;
  }

  dir(d: Dir): Dir {
    return { ...d, qid: this.qid(d.qid) };
  }

  /** Undo qid() on a wstat's qid, so the inner server sees its own path (or "don't touch"). */
  unDir(d: Dir): Dir {
    const p = d.qid.path;
    if (!this.base || p === U64_MAX || p < this.base || p >= this.base + SPAN) return d;
    return { ...d, qid: { ...d.qid, path: p - this.base } };
  }
}

/** A fid's handle: the inner server it belongs to and that server's own node. */
export class PerHandle {
  readonly inner: Inner;
  readonly node: unknown;
  constructor(inner: Inner, node: unknown) {
    this.inner = inner;
    this.node = node;
  }
}

export class PerAttach implements FileServer<PerHandle> {
  readonly #factory: ServerFactory;
  readonly #key: (aname: string) => string;
  readonly #spread: boolean;
  readonly #servers = new Map<string, Inner>();
  #ordinal = 0;

  constructor(factory: ServerFactory, opts: PerAttachOptions = {}) {
    this.#factory = factory;
    this.#key = opts.key ?? ((a) => a);
    this.#spread = opts.spreadQids ?? true;
  }

  /** The cached server for a key, if one was made. */
  server(key: string): FileServer<unknown> | undefined {
    return this.#servers.get(key)?.fs;
  }

  /** The server for a key, made now if needed (as an attach by uname would). */
  get(key: string, uname = 'none'): FileServer<unknown> {
    return this.#inner(key, uname).fs;
  }

  /** Forget a key's server: the next attach makes a new one; fids already attached keep the old. */
  drop(key: string): FileServer<unknown> | undefined {
    const i = this.#servers.get(key);
    this.#servers.delete(key);
    return i?.fs;
  }

  /** The keys with a cached server. */
  keys(): string[] {
    return [...this.#servers.keys()];
  }

  #inner(key: string, uname: string): Inner {
    let i = this.#servers.get(key);
    if (!i) {
      const fs = this.#factory(key, uname);
      let base = 0;
      if (this.#spread) {
        this.#ordinal = this.#ordinal >= MAX_ORDINAL ? 1 : this.#ordinal + 1;
        base = this.#ordinal * SPAN;
      }
      i = new Inner(key, fs, base);
      this.#servers.set(key, i);
    }
    return i;
  }

  async attach(uname: string, aname: string, req: Req): Promise<Entry<PerHandle>> {
    const inner = this.#inner(this.#key(aname), uname);
    return wrap(inner, await inner.fs.attach(uname, aname, req));
  }

  async walk(h: PerHandle, name: string, req: Req): Promise<Entry<PerHandle>> {
    return wrap(h.inner, await h.inner.fs.walk(h.node, name, req));
  }

  async open(h: PerHandle, mode: number, req: Req): Promise<Opened<PerHandle> | void> {
    const o = await h.inner.fs.open(h.node, mode, req);
    if (!o) return;
    const out: Opened<PerHandle> = {};
    if (o.node !== undefined) out.node = new PerHandle(h.inner, o.node);
    if (o.qid) out.qid = h.inner.qid(o.qid);
    if (o.iounit !== undefined) out.iounit = o.iounit;
    return out;
  }

  async create(h: PerHandle, name: string, perm: number, mode: number, req: Req): Promise<Entry<PerHandle>> {
    return wrap(h.inner, await h.inner.fs.create(h.node, name, perm, mode, req));
  }

  read(h: PerHandle, offset: number, count: number, req: Req): Promise<Uint8Array> | Uint8Array {
    return h.inner.fs.read(h.node, offset, count, req);
  }

  async readdir(h: PerHandle, req: Req): Promise<Dir[]> {
    return (await h.inner.fs.readdir(h.node, req)).map((d) => h.inner.dir(d));
  }

  write(h: PerHandle, offset: number, data: Uint8Array, req: Req): Promise<number> | number {
    return h.inner.fs.write(h.node, offset, data, req);
  }

  async clunk(h: PerHandle, req: Req): Promise<void> {
    await h.inner.fs.clunk?.(h.node, req);
  }

  async remove(h: PerHandle, req: Req): Promise<void> {
    await h.inner.fs.remove(h.node, req);
  }

  async stat(h: PerHandle, req: Req): Promise<Dir> {
    return h.inner.dir(await h.inner.fs.stat(h.node, req));
  }

  async wstat(h: PerHandle, d: Dir, req: Req): Promise<void> {
    await h.inner.fs.wstat(h.node, h.inner.unDir(d), req);
  }

  async rename(h: PerHandle, newDir: PerHandle, newName: string, req: Req): Promise<void> {
    if (h.inner !== newDir.inner) throw new Error(Exdev);
    const fs = h.inner.fs;
    if (!fs.rename) throw new Error(Enotsup);
    await fs.rename(h.node, newDir.node, newName, req);
  }

  async symlink(dir: PerHandle, name: string, target: string, req: Req): Promise<Entry<PerHandle>> {
    const fs = dir.inner.fs;
    if (!fs.symlink) throw new Error(Enotsup);
    return wrap(dir.inner, await fs.symlink(dir.node, name, target, req));
  }

  async readlink(h: PerHandle, req: Req): Promise<string> {
    const fs = h.inner.fs;
    if (!fs.readlink) throw new Error(Enotsup);
    return fs.readlink(h.node, req);
  }

  async link(dir: PerHandle, h: PerHandle, name: string, req: Req): Promise<void> {
    if (dir.inner !== h.inner) throw new Error(Exdev);
    const fs = dir.inner.fs;
    if (!fs.link) throw new Error(Enotsup);
    await fs.link(dir.node, h.node, name, req);
  }

  /** statfs names no fid, so no aname: the first cached server answers (one factory makes them alike). */
  async statfs(req: Req): Promise<StatFs> {
    const first = this.#servers.values().next().value;
    if (!first?.fs.statfs) throw new Error(Enotsup);
    return first.fs.statfs(req);
  }
}

function wrap(inner: Inner, e: Entry<unknown>): Entry<PerHandle> {
  return { qid: inner.qid(e.qid), node: new PerHandle(inner, e.node) };
}
