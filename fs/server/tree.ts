// Tree: a FileServer for synthetic services (/srv/cuda, /sim, /proc, ...), in the spirit of
// lib9p's File trees but simpler. Build the tree with the builders, serve it with new Tree(...).
//
//   const models = new Map<string, Model>();
//   const events = new Feed({ keep: 4096 });
//   const fs = new Tree([
//     ctl('ctl', {
//       status: () => `models ${models.size}\n`,
//       command: (line, req) => {                        // one complete line per call
//         const [verb, name, path] = line.split(/\s+/);
//         if (verb !== 'load' || !name || !path) throw new Error(Ebadctl);
//         models.set(name, load(path));
//         events.push(`loaded ${name} by ${req.uname}\n`);
//       },
//     }),
//     text('version', 'cuda 1\n'),                         // static text
//     text('status', () => JSON.stringify(stats()) + '\n'), // regenerated at each read from offset 0
//     feed('events', events),                              // blocking reads, one record each
//     gen('models', {                                      // children listed on demand
//       list: () => models.keys(),
//       make: (name) => dir(name, [
//         text('info', () => describe(name)),
//         session('infer', () => {                         // per-open state
//           let out: Uint8Array | undefined;
//           const ready = new Rendez();
//           return {
//             write: async (_off, input) => { out = await infer(name, input); ready.wakeup(); },
//             read: async (off, count, req) => { await ready.sleep(req.signal, () => out !== undefined); return readStr(out!, off, count); },
//           };
//         }),
//       ]),
//     }),
//   ], { owner: 'cuda' });
//
// Qid paths are stable per node (a generated child keeps its node, so its qid, while it stays
// listed). Permissions: walk needs exec on the directory and create needs write on it (lib9p
// hasperm); the framework checks open modes; remove is allowed only where a remove hook is given.
// Synthetic files report length 0 and times of when the Tree was made.

import type { Dir, Qid } from '../9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from './fileserver.ts';
import { DMEXCL, ORCLOSE } from '../9p/constants.ts';
import { Eexist, Einuse, Eisdir, Enoent, Enotdir, Enotopen, Eperm, p9error } from '../9p/errors.ts';
import { AEXEC, AWRITE, checkName, hasPerm, ownGroup, qidType } from './ramfs-node.ts';
import type { InGroup } from './ramfs-node.ts';
import { TreeDir, TreeFile, TreeGen, TreeNode, dir } from './tree-nodes.ts';
import type { Session } from './tree-nodes.ts';
import { toBytes } from './tree-feed.ts';
import { U64_MAX } from '../9p/fcall.ts';

export {
  TreeNode, TreeDir, TreeGen, TreeFile, dir, gen, text, ctl, file, session, feed, MAXLINE, Elinelong,
} from './tree-nodes.ts';
export type { Session, NodeOpts, DirOpts, GenSpec, CtlHandlers, MaybePromise } from './tree-nodes.ts';
export { Feed, FeedReader, Rendez, interruptible, readStr, toBytes } from './tree-feed.ts';
export type { FeedOptions } from './tree-feed.ts';

/** The error for a ctl command a service does not understand (not in errors.ts). */
export const Ebadctl = 'bad control message';

export interface TreeOptions {
  /** Owner of nodes that name none (default 'none'). */
  owner?: string;
  /** Group of nodes that name none (default: the owner). */
  group?: string;
  /** Clock in seconds, read once for the files' times (default: wall clock). */
  now?: () => number;
  /** Group membership for permission checks (default: the user's own group only). */
  inGroup?: InGroup;
}

/** A fid's handle: the node, and for an open fid its mode and Session. */
export class TreeFid {
  readonly node: TreeNode;
  readonly omode: number | undefined;
  readonly session: Session | undefined;
  released = false;
  constructor(node: TreeNode, omode?: number, session?: Session) {
    this.node = node;
    this.omode = omode;
    this.session = session;
  }
}

const NULL_U32 = 0xffffffff;

export class Tree implements FileServer<TreeFid> {
  readonly root: TreeDir;
  readonly owner: string;
  readonly group: string;
  readonly #time: number;
  readonly #inGroup: InGroup;
  readonly #paths = new WeakMap<TreeNode, number>();
  #nextPath = 0;

  constructor(root: TreeDir | TreeNode[], opts: TreeOptions = {}) {
    this.root = Array.isArray(root) ? dir('/', root) : root;
    this.owner = opts.owner ?? 'none';
    this.group = opts.group ?? this.owner;
    this.#time = (opts.now ?? (() => Math.floor(Date.now() / 1000)))();
    this.#inGroup = opts.inGroup ?? ownGroup;
    this.#path(this.root);
  }

  /** The qid of a node (its path is assigned on first sight and kept). */
  qidOf(n: TreeNode): Qid {
    return { type: qidType(n.mode), version: 0, path: this.#path(n) };
  }

  /** The stat of a node. */
  dirOf(n: TreeNode): Dir {
    const uid = n.owner ?? this.owner;
    return {
      type: 0, dev: 0, qid: this.qidOf(n), mode: n.mode, atime: this.#time, mtime: this.#time, length: 0,
      name: n === this.root ? '/' : n.name, uid, gid: n.group ?? this.group, muid: uid,
    };
  }

  attach(_uname: string, _aname: string, _req: Req): Entry<TreeFid> {
    return this.#entry(new TreeFid(this.root));
  }

  async walk(fid: TreeFid, name: string, req: Req): Promise<Entry<TreeFid>> {
    const n = fid.node;
    if (!n.isDir) throw new Error(Enotdir);
    if (!this.#can(n, req.uname, AEXEC)) throw new Error(Eperm);
    let c: TreeNode | undefined;
    if (name === '..') c = n === this.root ? n : n.parent ?? this.root;
    else if (n instanceof TreeDir) c = n.children.get(name);
    else if (n instanceof TreeGen) c = await n.lookup(name);
    if (!c) throw p9error(Enoent);
    return this.#entry(new TreeFid(c));
  }

  async open(fid: TreeFid, mode: number, req: Req): Promise<Opened<TreeFid>> {
    const n = fid.node;
    if (n.mode & DMEXCL && n.opens > 0) throw new Error(Einuse);
    if (mode & ORCLOSE && (!n.onRemove || n === this.root)) throw new Error(Eperm);
    n.opens++;
    let session: Session | undefined;
    try {
      if (n instanceof TreeFile) session = await n.opener(mode, req);
    } catch (e) {
      n.opens--;
      throw e;
    }
    return { node: new TreeFid(n, mode, session), qid: this.qidOf(n) };
  }

  async create(fid: TreeFid, name: string, perm: number, mode: number, req: Req): Promise<Entry<TreeFid>> {
    const d = fid.node;
    if (!d.isDir) throw new Error(Enotdir);
    if (!(d instanceof TreeDir) || !d.onCreate) throw new Error(Eperm);
    checkName(name);
    if (d.children.has(name)) throw new Error(Eexist);
    if (!this.#can(d, req.uname, AWRITE)) throw new Error(Eperm);
    const n = await d.onCreate(name, perm, req);
    n.name = name;
    if (d.children.get(name) !== n) d.add(n);
    const o = await this.open(new TreeFid(n), mode, req);
    return { qid: o.qid!, node: o.node! };
  }

  async read(fid: TreeFid, offset: number, count: number, req: Req): Promise<Uint8Array> {
    const s = fid.session;
    if (!s) throw new Error(fid.node.isDir ? Eisdir : Enotopen);
    if (!s.read) throw new Error(Eperm);
    const b = toBytes(await s.read(offset, count, req));
    return b.length > count ? b.subarray(0, count) : b;
  }

  async readdir(fid: TreeFid, _req: Req): Promise<Dir[]> {
    const n = fid.node;
    let kids: TreeNode[];
    if (n instanceof TreeDir) kids = [...n.children.values()];
    else if (n instanceof TreeGen) kids = await n.entries();
    else throw new Error(Enotdir);
    return kids.map((k) => this.dirOf(k));
  }

  async write(fid: TreeFid, offset: number, data: Uint8Array, req: Req): Promise<number> {
    const s = fid.session;
    if (!s) throw new Error(fid.node.isDir ? Eisdir : Enotopen);
    if (!s.write) throw new Error(Eperm);
    const r = await s.write(offset, data, req);
    return typeof r === 'number' ? r : data.length;
  }

  async clunk(fid: TreeFid, req: Req): Promise<void> {
    if (fid.omode === undefined || fid.released) return;
    fid.released = true;
    const n = fid.node;
    n.opens--;
    try {
      await fid.session?.clunk?.(req);
    } finally {
      if (fid.omode & ORCLOSE && !n.removed) await this.#unlink(n, req);
    }
  }

  async remove(fid: TreeFid, req: Req): Promise<void> {
    const n = fid.node;
    if (n === this.root || !n.onRemove) throw new Error(Eperm);
    if (n.removed) throw new Error(Enoent);
    await this.#unlink(n, req);
  }

  stat(fid: TreeFid, _req: Req): Dir {
    return this.dirOf(fid.node);
  }

  /** Only "don't touch" values (a sync), values equal to the current ones, and file lengths (ignored). */
  wstat(fid: TreeFid, d: Dir, _req: Req): void {
    const cur = this.dirOf(fid.node);
    const same = (v: string | number, dont: string | number, now: string | number): boolean => v === dont || v === now;
    const ok = same(d.mode, NULL_U32, cur.mode) && same(d.atime, NULL_U32, cur.atime) && same(d.mtime, NULL_U32, cur.mtime)
      && same(d.name, '', cur.name) && same(d.uid, '', cur.uid) && same(d.gid, '', cur.gid) && same(d.muid, '', cur.muid)
      && (d.length === U64_MAX || !fid.node.isDir || d.length === 0);
    if (!ok) throw new Error(Eperm);
  }

  #entry(fid: TreeFid): Entry<TreeFid> {
    return { qid: this.qidOf(fid.node), node: fid };
  }

  #path(n: TreeNode): number {
    let p = this.#paths.get(n);
    if (p === undefined) {
      p = this.#nextPath++;
      this.#paths.set(n, p);
    }
    return p;
  }

  #can(n: TreeNode, uname: string, want: number): boolean {
    return hasPerm({ mode: n.mode, uid: n.owner ?? this.owner, gid: n.group ?? this.group }, uname, want, this.#inGroup);
  }

  async #unlink(n: TreeNode, req: Req): Promise<void> {
    await n.onRemove?.(req);
    n.removed = true;
    const p = n.parent;
    if (p instanceof TreeDir && p.children.get(n.name) === n) p.drop(n.name);
    else if (p instanceof TreeGen) p.forget(n.name);
  }
}
