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
// own checks, not again by mode bits against a user the devices never saw.
//
// Renames within a directory are wstats (Plan 9's only kind), on any device. Three 9P2000.L
// operations have no syscall because 9P2000 has no message for them: a rename across
// directories, symlink and readlink. The export does them one level down, on the device
// itself (see deviceFile), and only when every file involved is on one kernel device whose
// FileServer implements the operation (the #r ramfs behind /tmp does); otherwise a rename
// across directories fails with "cross-device link" (Linux's mv then copies) and symlink
// with "operation not supported". The namespace and the capabilities are still the process's:
// names are resolved by its namespace and the rights checked on its chans (rename: w and d on
// the file, c on the new directory, and d there too when it replaces a file; symlink: c on
// the directory; readlink: r on the link).

import type { Dir, Qid, StatFs } from '../fs/9p/fcall.ts';
import { nullDir, U64_MAX } from '../fs/9p/fcall.ts';
import { Dialect } from '../fs/9p/constants.ts';
import * as E from '../fs/9p/errors.ts';
import type { Entry, FileServer, Opened, Req } from '../fs/server/fileserver.ts';
import type { DirChanges } from '../fs/client/index.ts';
import { validName } from '../fs/server/fid.ts';
import { Right } from './cap.ts';
import type { Chan } from './chan.ts';
import { cleanname, parentOf } from './cleanname.ts';
import type { Device } from './device.ts';
import type { Kernel } from './kernel.ts';
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

/** A kernel chan's file as the device serving it sees it: the device, its node, and the Req to pass. */
export interface DeviceFile {
  device: Device;
  node: unknown;
  req: Req;
}

/**
 * The device-level view of chan c: the kernel Device whose FileServer holds c's fid, with the
 * node that fid stands for, so an operation 9P2000 cannot carry (rename across directories,
 * symlink, readlink) can be done on the device itself. undefined unless c is one file on a
 * kernel device (not a union, skeleton, posted channel or remote mount).
 *
 * Kernel invariants make this exact: a chan on a device carries a capability minted for that
 * device's object ('dev:#r'; mountDevice, walks and create keep it), a Device talks to its
 * server over exactly one session of its own (kernel/device.ts), and that session's fid table
 * is keyed by the kernel client's fid numbers. The fid's qid is compared with the chan's as a
 * check. The fids are the caller's own (just walked), so nothing else is ordered on them; the
 * Req carries the user the kernel attached as, so the device applies its own permission checks.
 */
export function deviceFile(kernel: Kernel, c: Chan, signal: AbortSignal): DeviceFile | undefined {
  if (c.impl.kind !== 'fid' || !c.cap.object.startsWith('dev:')) return undefined;
  const device = kernel.devices.get(c.cap.object.slice('dev:'.length));
  if (!device || device.server.sessions.size !== 1) return undefined;
  const [session] = device.server.sessions;
  const cf = c.impl.fid;
  const fid = session!.fids.get(cf.fid);
  if (!fid || fid.qid.path !== cf.qid.path || fid.qid.type !== cf.qid.type) return undefined;
  return { device, node: fid.node, req: { uname: fid.uname, signal, dialect: session!.dialect } };
}

function join(dir: string, name: string): string { return (dir === '/' ? '/' : dir + '/') + name; }

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

  /** A Dir as clients see it; type and dev are the kernel's view of this side, so 0 (a client's kernel fills its own). */
  #dir(path: string, d: Dir, uname: string): Dir {
    return { ...d, type: 0, dev: 0, qid: this.qidOf(path, d.qid), name: path === '/' ? '/' : d.name, uid: uname, gid: uname, muid: d.muid || uname };
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
      const to = join(parentOf(n.path), d.name);
      this.#moved(n.path, to);
      n.path = to;
    }
  }

  /**
   * 9P2000.L rename. Within one directory: a wstat, as Plan 9 renames. Across directories: the
   * device's own rename, when the file and the new directory are on one device that has one
   * (POSIX semantics: a file of that name is replaced); else "cross-device link".
   */
  async rename(n: ExportNode, newDir: ExportNode, newName: string, req: Req): Promise<void> {
    if (newDir.path === parentOf(n.path)) {
      const d = nullDir();
      d.name = newName;
      await this.wstat(n, d, req);
      return;
    }
    const to = join(newDir.path, newName);
    await this.#do(req, `rename ${n.path} ${to}`, async () => {
      if (!validName(newName)) throw new Error(E.Ebadname);
      if (n.path === n.root) throw new Error(E.Eperm);
      // The mount table is by name: a mount point, or a directory with one below it, cannot move,
      // and nothing may land where one is (it would stay hidden under the mount).
      if (this.#mounted(n.path) || this.#mounted(to)) throw new Error(E.Einuse);
      const ns = this.sys.proc.ns, ctx = this.sys.proc.ctx;
      const src = await ns.walk(n.path, ctx);
      try {
        const dir = await ns.createDir(newDir.path, ctx);
        try {
          src.check(Right.write | Right.remove, 'rename');
          dir.check(Right.create, 'rename');
          const a = deviceFile(this.sys.kernel, src, req.signal), b = deviceFile(this.sys.kernel, dir, req.signal);
          const fs = a?.device.fs;
          if (!a || !b || a.device !== b.device || !fs?.rename) throw new Error(E.Exdev);
          if (await this.#exists(to)) dir.check(Right.create | Right.remove, 'rename over a file');
          await fs.rename(a.node, b.node, newName, a.req);
        } finally { await ns.drop(dir); }
      } finally { await ns.drop(src); }
    });
    this.#moved(n.path, to);
    n.path = to;
  }

  /** 9P2000.L symlink, made by the directory's device (see deviceFile); c on the directory. */
  async symlink(dir: ExportNode, name: string, target: string, req: Req): Promise<Entry<ExportNode>> {
    const path = join(dir.path, name);
    return this.#do(req, `symlink ${path}`, async () => {
      const ns = this.sys.proc.ns;
      const d = await ns.createDir(dir.path, this.sys.proc.ctx);
      try {
        d.check(Right.create, 'symlink');
        const f = deviceFile(this.sys.kernel, d, req.signal);
        const fs = f?.device.fs;
        if (!f || !fs?.symlink) throw new Error(E.Enotsup);
        const e = await fs.symlink(f.node, name, target, f.req);
        // No fid holds the new node: release it as the device's session would.
        await fs.clunk?.(e.node, f.req);
      } finally { await ns.drop(d); }
      const qid = this.qidOf(path, (await this.sys.stat(path)).qid);
      return { qid, node: new ExportNode(path, qid, dir.root) };
    });
  }

  /** 9P2000.L readlink, answered by the link's device; r on the link. */
  readlink(n: ExportNode, req: Req): Promise<string> {
    return this.#do(req, `readlink ${n.path}`, async () => {
      const ns = this.sys.proc.ns;
      const c = await ns.walk(n.path, this.sys.proc.ctx);
      try {
        c.check(Right.read, 'readlink');
        const f = deviceFile(this.sys.kernel, c, req.signal);
        const fs = f?.device.fs;
        if (!f || !fs?.readlink) throw new Error(E.Einval);
        return await fs.readlink(f.node, f.req);
      } finally { await ns.drop(c); }
    });
  }

  statfs(_req: Req): StatFs { return STATFS; }

  /** A file moved from one path to another: it, and what is below it, keep their qid paths. */
  #moved(from: string, to: string): void {
    for (const [k, v] of [...this.#qids]) {
      if (k.startsWith(from + '\0') || k.startsWith(from + '/')) this.#qids.set(to + k.slice(from.length), v);
    }
  }

  /** path, or something below it, is a mount point of the process's namespace. */
  #mounted(path: string): boolean {
    return this.sys.proc.ns.mountPoints().some((m) => m === path || m.startsWith(path + '/'));
  }

  async #exists(path: string): Promise<boolean> {
    try { await this.sys.stat(path); return true; } catch { return false; }
  }

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
