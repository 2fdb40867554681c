// #e: the environment device (Plan 9 env(3)) over the kernel's environment groups. The
// attach name is the group id (the kernel attaches with the walking process's group, so
// rfork e gives a process a /env of its own); each variable is a file in the root.
//
//   create   makes a variable (an existing one is truncated and opened, as create(2) does)
//   write    sets bytes at the offset (the value grows as needed); OTRUNC empties it
//   read     the value;  remove deletes it;  wstat may change only the length
//
// An unknown group id fails the attach; '' attaches an empty, read-only directory (what the
// kernel's own session attach sees).

import type { Dir } from '../../fs/9p/fcall.ts';
import { U64_MAX } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { DMDIR, ORCLOSE, OTRUNC } from '../../fs/9p/constants.ts';
import { Ebadattach, Eisdir, Enoent, Enotdir, Eperm, Etoobig } from '../../fs/9p/errors.ts';
import { checkName } from '../../fs/server/ramfs-node.ts';
import type { EnvGroup } from '../proc.ts';
import { devDir, devQid, secs, wstatNoop } from './devdir.ts';

/** Largest value of one variable. */
export const MAXENVVAL = 16 << 20;

const DIRMODE = (DMDIR | 0o777) >>> 0;
const FILEMODE = 0o666;

/** What env needs of the kernel. */
export interface EnvKernel {
  readonly envs: Map<number, EnvGroup>;
  readonly bootTime: number;
}

/** Qid paths and versions the device hands out for one group. */
interface GroupQids {
  root: number;
  vars: Map<string, { path: number; version: number }>;
}

/** A fid's handle: the group (none for the '' attach) and the variable (none for the root). */
export class EnvHandle {
  readonly group: EnvGroup | undefined;
  readonly name: string | undefined;
  /** Open mode for handles returned by open or create. */
  readonly omode: number | undefined;
  released = false;
  constructor(group: EnvGroup | undefined, name: string | undefined, omode?: number) {
    this.group = group;
    this.name = name;
    this.omode = omode;
  }
}

export class EnvDevice implements FileServer<EnvHandle> {
  readonly kernel: EnvKernel;
  readonly #qids = new WeakMap<EnvGroup, GroupQids>();
  #nextPath = 1;

  constructor(kernel: EnvKernel) {
    this.kernel = kernel;
  }

  attach(_uname: string, aname: string, _req: Req): Entry<EnvHandle> {
    if (aname === '') return { qid: devQid(0, DIRMODE), node: new EnvHandle(undefined, undefined) };
    const g = /^\d+$/.test(aname) ? this.kernel.envs.get(Number(aname)) : undefined;
    if (!g) throw new Error(`${Ebadattach}: no environment group ${aname}`);
    return this.#entry(new EnvHandle(g, undefined));
  }

  walk(h: EnvHandle, name: string, _req: Req): Entry<EnvHandle> {
    if (h.name !== undefined) throw new Error(Enotdir);
    if (name === '..') return this.#entry(h);
    const g = h.group;
    if (!g || !g.vars.has(name)) throw new Error(Enoent);
    return this.#entry(new EnvHandle(g, name));
  }

  open(h: EnvHandle, mode: number, _req: Req): Opened<EnvHandle> {
    const g = h.group;
    if (h.name !== undefined && g) {
      if (!g.vars.has(h.name)) throw new Error(Enoent);
      if (mode & OTRUNC) this.#set(g, h.name, Buffer.alloc(0));
    } else if (mode & ORCLOSE) throw new Error(Eperm);
    const n = new EnvHandle(g, h.name, mode);
    return { node: n, qid: this.#qid(n) };
  }

  create(h: EnvHandle, name: string, perm: number, mode: number, _req: Req): Entry<EnvHandle> {
    const g = h.group;
    if (h.name !== undefined) throw new Error(Enotdir);
    if (!g || perm & DMDIR) throw new Error(Eperm);
    checkName(name);
    this.#set(g, name, Buffer.alloc(0));
    return this.#entry(new EnvHandle(g, name, mode));
  }

  read(h: EnvHandle, offset: number, count: number, _req: Req): Uint8Array {
    const v = this.#value(h);
    if (offset >= v.length) return new Uint8Array(0);
    return v.subarray(offset, Math.min(v.length, offset + count));
  }

  readdir(h: EnvHandle, req: Req): Dir[] {
    if (h.name !== undefined) throw new Error(Enotdir);
    const g = h.group;
    if (!g) return [];
    return [...g.vars.keys()].map((name) => this.#dir(new EnvHandle(g, name), req));
  }

  write(h: EnvHandle, offset: number, data: Uint8Array, _req: Req): number {
    const v = this.#value(h);
    const end = offset + data.length;
    if (end > MAXENVVAL) throw new Error(Etoobig);
    if (data.length === 0) return 0;
    // Always a new buffer: values are shared between groups (rfork e, a shell's exports), never changed in place.
    const nv = Buffer.alloc(Math.max(end, v.length));
    v.copy(nv);
    nv.set(data, offset);
    this.#set(h.group!, h.name!, nv);
    return data.length;
  }

  clunk(h: EnvHandle, _req: Req): void {
    if (h.omode === undefined || h.released) return;
    h.released = true;
    if (h.omode & ORCLOSE && h.group && h.name !== undefined) this.#delete(h.group, h.name);
  }

  remove(h: EnvHandle, _req: Req): void {
    const g = h.group;
    if (!g || h.name === undefined) throw new Error(Eperm);
    if (!g.vars.has(h.name)) throw new Error(Enoent);
    this.#delete(g, h.name);
  }

  stat(h: EnvHandle, req: Req): Dir {
    if (h.name !== undefined && !h.group?.vars.has(h.name)) throw new Error(Enoent);
    return this.#dir(h, req);
  }

  /** Only the length of a variable may change (truncate or extend with zeros). */
  wstat(h: EnvHandle, d: Dir, req: Req): void {
    const cur = this.stat(h, req);
    wstatNoop(d, cur, true);
    if (d.length === U64_MAX || d.length === cur.length) return;
    if (h.name === undefined) throw new Error(Eisdir);
    if (d.length > MAXENVVAL) throw new Error(Etoobig);
    const v = this.#value(h);
    const nv = Buffer.alloc(d.length);
    v.copy(nv, 0, 0, Math.min(v.length, d.length));
    this.#set(h.group!, h.name, nv);
  }

  // ---- internals ----

  #value(h: EnvHandle): Buffer {
    if (h.name === undefined) throw new Error(Eisdir);
    const v = h.group?.vars.get(h.name);
    if (!v) throw new Error(Enoent);
    return v;
  }

  #set(g: EnvGroup, name: string, v: Buffer): void {
    g.vars.set(name, v);
    const q = this.#group(g).vars.get(name);
    if (q) q.version = (q.version + 1) >>> 0;
  }

  #delete(g: EnvGroup, name: string): void {
    g.vars.delete(name);
    this.#group(g).vars.delete(name);
  }

  #group(g: EnvGroup): GroupQids {
    let q = this.#qids.get(g);
    if (!q) { q = { root: this.#nextPath++, vars: new Map() }; this.#qids.set(g, q); }
    return q;
  }

  #qid(h: EnvHandle): Dir['qid'] {
    if (!h.group) return devQid(0, DIRMODE);
    const gq = this.#group(h.group);
    if (h.name === undefined) return devQid(gq.root, DIRMODE);
    let q = gq.vars.get(h.name);
    if (!q) { q = { path: this.#nextPath++, version: 0 }; gq.vars.set(h.name, q); }
    return devQid(q.path, FILEMODE, q.version);
  }

  #entry(h: EnvHandle): Entry<EnvHandle> {
    return { qid: this.#qid(h), node: h };
  }

  #dir(h: EnvHandle, req: Req): Dir {
    const q = this.#qid(h);
    const isRoot = h.name === undefined;
    return {
      ...devDir({
        path: q.path, name: isRoot ? '/' : h.name!, mode: isRoot ? DIRMODE : FILEMODE, uid: req.uname,
        length: isRoot ? 0 : h.group?.vars.get(h.name!)?.length ?? 0, time: secs(this.kernel.bootTime),
      }),
      qid: q,
    };
  }
}
