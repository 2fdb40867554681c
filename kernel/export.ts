// ExportFs: a process's namespace served as one 9P file tree (Plan 9's exportfs). Every
// request becomes a syscall of that process (stat, open, pread, pwrite, create, remove,
// wstat, dirread), so the export sees exactly what the process sees and can do exactly what
// its capabilities allow: a client mounting it cannot reach past the namespace.
//
//   const node = await boot({ role: 'QueenPrimary' });
//   const server = new Server(new ExportFs(node.sys));
//   await listen('tcp!127.0.0.1!5640', (link) => server.serve(link));
//   // Linux: mount -t 9p -o trans=tcp,port=5640,aname=/tmp 127.0.0.1 /mnt
//
// The attach name selects a subtree (aname=/tmp serves /tmp as the root); '..' is lexical
// and stops at that root. Qids are renumbered per (path, file) so files of different devices
// never share a qid path (Linux uses it as the inode number). Files appear owned by the
// attaching user: access is decided once, by the process's capabilities and the devices'
// own checks, not again by mode bits against a user the devices never saw. Renames work
// within a directory (Plan 9 has no other kind); across directories they fail with
// "cross-device link", so Linux's mv copies instead.

import type { Dir, Qid, StatFs } from '../fs/9p/fcall.ts';
import { nullDir, U64_MAX } from '../fs/9p/fcall.ts';
import { Dialect } from '../fs/9p/constants.ts';
import * as E from '../fs/9p/errors.ts';
import type { Entry, FileServer, Opened, Req } from '../fs/server/fileserver.ts';
import type { DirChanges } from '../fs/client/index.ts';
import { cleanname, parentOf } from './cleanname.ts';
import type { Sys } from './sys.ts';

/** A fid's handle: where it is in the namespace, and the fd of an open. */
export class ExportNode {
  /** Clean absolute path in the process's namespace. */
  path: string;
  qid: Qid;
  /** The attach root this fid may not walk above. */
  readonly root: string;
  /** The process's fd for an opened fid (undefined again once closed, so it is closed once). */
  fd: number | undefined;
  constructor(path: string, qid: Qid, root: string, fd?: number) {
    this.path = path;
    this.qid = qid;
    this.root = root;
    this.fd = fd;
  }
}

const NULL_U32 = 0xffffffff;

const STATFS: StatFs = {
  type: 0x01021997, bsize: 4096, blocks: 1 << 20, bfree: 1 << 19, bavail: 1 << 19, files: 1 << 20, ffree: 1 << 19, fsid: 0, namelen: 255,
};

/** Known Plan 9 error strings: a detailed 'permission denied: ...' keeps its prefix for Linux's errno. */
const KNOWN = new Set<string>(Object.values(E).filter((v) => typeof v === 'string') as string[]);

export interface ExportOptions {
  /** Called when a request fails (for traces). */
  log?: (msg: string) => void;
}

export class ExportFs implements FileServer<ExportNode> {
  readonly sys: Sys;
  /** (path, underlying type and qid path) to the qid path clients see. */
  readonly #qids = new Map<string, number>();
  #next = 1;
  readonly #log: (msg: string) => void;

  constructor(sys: Sys, opts: ExportOptions = {}) {
    this.sys = sys;
    this.#log = opts.log ?? (() => {});
  }

  #key(path: string, q: Qid): string { return `${path}\0${q.type}\0${q.path}`; }

  /** The qid clients see for the file at path whose own qid is q. */
  qidOf(path: string, q: Qid): Qid {
    const k = this.#key(path, q);
    let n = this.#qids.get(k);
    if (n === undefined) { n = this.#next++; this.#qids.set(k, n); }
    return { type: q.type, version: q.version, path: n };
  }

  #dir(path: string, d: Dir, uname: string): Dir {
    return { ...d, qid: this.qidOf(path, d.qid), name: path === '/' ? '/' : d.name, uid: uname, gid: uname, muid: d.muid || uname };
  }

  /** Run a syscall; for Linux (9P2000.L) a detailed error keeps only its Plan 9 prefix, so the errno is right. */
  async #do<T>(req: Req, what: string, f: () => Promise<T>): Promise<T> {
    try { return await f(); } catch (e) {
      let msg = e instanceof Error ? e.message : String(e);
      this.#log(`${what}: ${msg}`);
      if (req.dialect === Dialect.P2000L) {
        const i = msg.indexOf(':');
        if (i > 0 && KNOWN.has(msg.slice(0, i))) msg = msg.slice(0, i);
      }
      throw new Error(msg);
    }
  }

  async attach(_uname: string, aname: string, req: Req): Promise<Entry<ExportNode>> {
    const root = cleanname('/' + aname);
    return this.#do(req, `attach ${root}`, async () => {
      const d = await this.sys.stat(root);
      const qid = this.qidOf(root, d.qid);
      return { qid, node: new ExportNode(root, qid, root) };
    });
  }

  async walk(n: ExportNode, name: string, req: Req): Promise<Entry<ExportNode>> {
    const path = name === '..' ? (n.path === n.root ? n.root : parentOf(n.path))
      : name === '.' ? n.path : (n.path === '/' ? '/' : n.path + '/') + name;
    if (name !== '..' && name !== '.' && (name === '' || name.includes('/'))) throw new Error(E.Enoent);
    return this.#do(req, `walk ${path}`, async () => {
      const d = await this.sys.stat(path);
      const qid = this.qidOf(path, d.qid);
      return { qid, node: new ExportNode(path, qid, n.root) };
    });
  }

  async open(n: ExportNode, mode: number, req: Req): Promise<Opened<ExportNode>> {
    return this.#do(req, `open ${n.path}`, async () => {
      const fd = await this.sys.open(n.path, mode);
      return { node: new ExportNode(n.path, n.qid, n.root, fd), qid: n.qid };
    });
  }

  async create(dir: ExportNode, name: string, perm: number, mode: number, req: Req): Promise<Entry<ExportNode>> {
    const path = (dir.path === '/' ? '/' : dir.path + '/') + name;
    return this.#do(req, `create ${path}`, async () => {
      const fd = await this.sys.create(path, mode, perm);
      let d: Dir;
      try { d = await this.sys.fstat(fd); } catch (e) { await this.sys.close(fd).catch(() => {}); throw e; }
      const qid = this.qidOf(path, d.qid);
      return { qid, node: new ExportNode(path, qid, dir.root, fd) };
    });
  }

  read(n: ExportNode, offset: number, count: number, req: Req): Promise<Uint8Array> {
    return this.#do(req, `read ${n.path}`, () => this.sys.pread(this.#fd(n), count, offset));
  }

  readdir(n: ExportNode, req: Req): Promise<Dir[]> {
    return this.#do(req, `readdir ${n.path}`, async () => {
      const base = n.path === '/' ? '/' : n.path + '/';
      return (await this.sys.dirread(n.path)).map((d) => this.#dir(base + d.name, d, req.uname));
    });
  }

  write(n: ExportNode, offset: number, data: Uint8Array, req: Req): Promise<number> {
    return this.#do(req, `write ${n.path}`, () => this.sys.pwrite(this.#fd(n), data, offset));
  }

  async clunk(n: ExportNode, _req: Req): Promise<void> {
    await this.#close(n);
  }

  async remove(n: ExportNode, req: Req): Promise<void> {
    await this.#close(n);
    await this.#do(req, `remove ${n.path}`, () => this.sys.remove(n.path));
    for (const [k, v] of this.#qids) if (v === n.qid.path && k.startsWith(n.path + '\0')) this.#qids.delete(k);
  }

  stat(n: ExportNode, req: Req): Promise<Dir> {
    return this.#do(req, `stat ${n.path}`, async () => {
      const d = n.fd !== undefined ? await this.sys.fstat(n.fd) : await this.sys.stat(n.path);
      return this.#dir(n.path, d, req.uname);
    });
  }

  async wstat(n: ExportNode, d: Dir, req: Req): Promise<void> {
    const ch: DirChanges = {};
    if (d.mode !== NULL_U32) ch.mode = d.mode;
    if (d.length !== U64_MAX) ch.length = d.length;
    if (d.atime !== NULL_U32) ch.atime = d.atime;
    if (d.mtime !== NULL_U32) ch.mtime = d.mtime;
    if (d.gid !== '') ch.gid = d.gid;
    const rename = d.name !== '' && d.name !== (n.path === '/' ? '/' : n.path.slice(n.path.lastIndexOf('/') + 1));
    if (rename) {
      if (n.path === n.root) throw new Error(E.Eperm);
      ch.name = d.name;
    }
    // The owner shown is the attaching user's (see the top): changing it to that is a no-op.
    if (d.uid !== '' && d.uid !== req.uname) ch.uid = d.uid;
    if (Object.keys(ch).length === 0) return;
    await this.#do(req, `wstat ${n.path}`, () => this.sys.wstat(n.path, ch));
    if (rename) {
      const to = (parentOf(n.path) === '/' ? '/' : parentOf(n.path) + '/') + d.name;
      for (const [k, v] of [...this.#qids]) if (k.startsWith(n.path + '\0')) this.#qids.set(to + k.slice(n.path.length), v);
      n.path = to;
    }
  }

  /** 9P2000.L rename: within one directory only (Plan 9 semantics). */
  async rename(n: ExportNode, newDir: ExportNode, newName: string, req: Req): Promise<void> {
    if (newDir.path !== parentOf(n.path)) throw new Error(E.Exdev);
    const d = nullDir();
    d.name = newName;
    await this.wstat(n, d, req);
  }

  statfs(_req: Req): StatFs { return STATFS; }

  /** Close a fid's fd once: a number closed twice could be another fid's by then. */
  async #close(n: ExportNode): Promise<void> {
    const fd = n.fd;
    if (fd === undefined) return;
    n.fd = undefined;
    await this.sys.close(fd).catch(() => {});
  }

  #fd(n: ExportNode): number {
    if (n.fd === undefined) throw new Error(E.Enotopen);
    return n.fd;
  }
}
