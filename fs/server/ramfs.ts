// Ramfs: an in-memory file server in the spirit of Plan 9's ramfs(4) and lib9p's ramfs.c.
// Directories, files, symlinks; Plan 9 permissions (lib9p hasperm) on walk, create, remove
// and wstat; stat(5) wstat rules applied all-or-nothing; DMAPPEND, DMEXCL, ORCLOSE, OTRUNC;
// removed files stay usable through fids that still hold them, as in Unix.
//
//   const fs = new Ramfs({ owner: 'glenda' });
//   const root = fs.attach('glenda', '', req);
//   const f = fs.create(root.node, 'notes', 0o644, OWRITE, req);
//   fs.write(f.node, 0, bytes, req); fs.clunk(f.node, req);
//
// A fid's node is a RamHandle: the file plus, for handles returned by open/create, the
// open mode (so clunk can release DMEXCL and do ORCLOSE).

import type { Dir, StatFs } from '../9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from './fileserver.ts';
import { U64_MAX } from '../9p/fcall.ts';
import { DMAPPEND, DMDIR, DMEXCL, DMSYMLINK, ORCLOSE, OTRUNC } from '../9p/constants.ts';
import {
  Ebadwstat, Edirchange, Eexist, Einuse, Einval, Eisdir, Enoent, Enospace, Enotdir, Enotempty, Enotsup, Eperm, Etoobig, p9error,
} from '../9p/errors.ts';
import { AEXEC, AWRITE, MODE_BITS, NAMELEN, RamFile, checkName, hasPerm, ownGroup, qidType } from './ramfs-node.ts';
import type { InGroup } from './ramfs-node.ts';

export { RamFile, ramUsage, hasPerm, checkName, qidType, AREAD, AWRITE, AEXEC, NAMELEN } from './ramfs-node.ts';
export type { InGroup } from './ramfs-node.ts';

/** The statfs type Linux's v9fs reports (V9FS_MAGIC). */
export const V9FS_MAGIC = 0x01021997;
const BSIZE = 4096;
const GiB = 1024 * 1024 * 1024;

export interface RamfsOptions {
  /** Owner of the root directory (default 'none'). */
  owner?: string;
  /** Group of the root directory (default: the owner). */
  group?: string;
  /** Permission bits of the root directory (default 0o777, so any user may create). */
  rootMode?: number;
  /** Largest file in bytes (default 1 GiB); writes or truncations past it fail with Etoobig. */
  maxFileSize?: number;
  /** Total data bytes the server holds (default 16 GiB); beyond it writes fail with Enospace. */
  capacity?: number;
  /** Most files (directories included) the server holds (default 1M); beyond it create fails with Enospace. */
  maxFiles?: number;
  /** fsid reported by statfs (default 0). */
  fsid?: number;
  /** Clock in seconds (default: wall clock). */
  now?: () => number;
  /** Group membership (default: a user is only in the group named after them). */
  inGroup?: InGroup;
}

/** A fid's handle: the file, and the open mode for handles returned by open or create. */
export class RamHandle {
  readonly file: RamFile;
  /** The Plan 9 open mode, or undefined for a walked, unopened fid. */
  readonly omode: number | undefined;
  /** Set once clunk has released this open. */
  released = false;
  constructor(file: RamFile, omode?: number) {
    this.file = file;
    this.omode = omode;
  }
}

const NULL_U32 = 0xffffffff;

export class Ramfs implements FileServer<RamHandle> {
  readonly root: RamFile;
  readonly maxFileSize: number;
  readonly capacity: number;
  readonly maxFiles: number;
  readonly #fsid: number;
  readonly #now: () => number;
  readonly #inGroup: InGroup;
  #nextPath = 0;
  #files = 0;
  #bytes = 0;

  constructor(opts: RamfsOptions = {}) {
    const owner = opts.owner ?? 'none';
    this.maxFileSize = opts.maxFileSize ?? GiB;
    this.capacity = opts.capacity ?? 16 * GiB;
    this.maxFiles = opts.maxFiles ?? 1 << 20;
    this.#fsid = opts.fsid ?? 0;
    this.#now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.#inGroup = opts.inGroup ?? ownGroup;
    this.root = new RamFile({
      name: '/', path: this.#nextPath++, mode: DMDIR | ((opts.rootMode ?? 0o777) & 0o777),
      uid: owner, gid: opts.group ?? owner, now: this.#now(),
    });
    this.#files = 1;
  }

  /** Files (directories included) and data bytes currently in the tree. */
  usage(): { files: number; bytes: number } {
    return { files: this.#files, bytes: this.#bytes };
  }

  attach(_uname: string, _aname: string, _req: Req): Entry<RamHandle> {
    return entry(this.root);
  }

  walk(h: RamHandle, name: string, req: Req): Entry<RamHandle> {
    const d = h.file;
    if (!d.children) throw new Error(Enotdir);
    if (!this.#can(d, req.uname, AEXEC)) throw new Error(Eperm);
    if (name === '..') return entry(d.parent);
    const f = d.children.get(name);
    if (!f) throw p9error(Enoent);
    return entry(f);
  }

  open(h: RamHandle, mode: number, req: Req): Opened<RamHandle> {
    const f = h.file;
    if (f.mode & DMEXCL && f.opens > 0) throw new Error(Einuse);
    if (mode & ORCLOSE) this.#checkRemove(f, req.uname);
    if (mode & OTRUNC && !f.isDir) this.#resize(f, 0, req.uname);
    f.opens++;
    return { node: new RamHandle(f, mode), qid: { ...f.qid } };
  }

  create(h: RamHandle, name: string, perm: number, mode: number, req: Req): Entry<RamHandle> {
    const f = this.#make(h.file, name, perm, req.uname);
    f.opens++;
    return entry(f, mode);
  }

  read(h: RamHandle, offset: number, count: number, _req: Req): Uint8Array {
    const f = h.file;
    if (f.isDir) throw new Error(Eisdir);
    f.atime = this.#now();
    return f.readAt(offset, count);
  }

  readdir(h: RamHandle, _req: Req): Dir[] {
    const d = h.file;
    if (!d.children) throw new Error(Enotdir);
    d.atime = this.#now();
    return [...d.children.values()].map((f) => f.stat());
  }

  write(h: RamHandle, offset: number, data: Uint8Array, req: Req): number {
    const f = h.file;
    if (f.isDir) throw new Error(Eisdir);
    if (data.length === 0) return 0;
    const at = f.mode & DMAPPEND ? f.length : offset;
    const end = at + data.length;
    if (end > this.maxFileSize) throw new Error(Etoobig);
    const grow = f.removed ? 0 : Math.max(0, end - f.length);
    if (this.#bytes + grow > this.capacity) throw new Error(Enospace);
    f.writeAt(at, data, this.maxFileSize);
    this.#bytes += grow;
    const now = this.#now();
    f.touch(now, req.uname);
    f.atime = now;
    return data.length;
  }

  clunk(h: RamHandle, _req: Req): void {
    if (h.omode === undefined || h.released) return;
    h.released = true;
    const f = h.file;
    f.opens--;
    if (h.omode & ORCLOSE && !f.removed && f !== this.root && !(f.children && f.children.size > 0)) this.#unlink(f);
  }

  remove(h: RamHandle, req: Req): void {
    const f = h.file;
    if (f.removed) throw new Error(Enoent);
    this.#checkRemove(f, req.uname);
    if (f.children && f.children.size > 0) throw new Error(Enotempty);
    this.#unlink(f);
  }

  stat(h: RamHandle, _req: Req): Dir {
    return h.file.stat();
  }

  /** stat(5): every change is checked first, then all are made, or none. */
  wstat(h: RamHandle, d: Dir, req: Req): void {
    const f = h.file, u = req.uname;
    const owner = u === f.uid, leader = u === f.gid;
    if ((d.type !== 0xffff && d.type !== 0) || (d.dev !== NULL_U32 && d.dev !== 0)) throw new Error(Ebadwstat);
    if ((d.qid.type !== 0xff && d.qid.type !== f.qid.type) || (d.qid.version !== NULL_U32 && d.qid.version !== f.qid.version)
      || (d.qid.path !== U64_MAX && d.qid.path !== f.qid.path)) throw new Error(Ebadwstat);
    if (d.muid !== '' && d.muid !== f.muid) throw new Error(Ebadwstat);
    if (d.uid !== '' && d.uid !== f.uid) throw new Error(Eperm);
    let mode: number | undefined;
    if (d.mode !== NULL_U32) {
      if (!owner && !leader) throw new Error(Eperm);
      if ((d.mode ^ f.mode) & DMDIR) throw new Error(Edirchange);
      mode = ((d.mode & MODE_BITS & ~DMSYMLINK) | (f.mode & DMSYMLINK)) >>> 0;
    }
    if ((d.mtime !== NULL_U32 || d.atime !== NULL_U32) && !owner && !leader) throw new Error(Eperm);
    const gid = d.gid !== '' && d.gid !== f.gid ? d.gid : undefined;
    if (gid !== undefined && !(owner && this.#inGroup(u, gid))) throw new Error(Eperm);
    const name = d.name !== '' && d.name !== f.name ? d.name : undefined;
    if (name !== undefined) {
      checkName(name);
      if (f === this.root) throw new Error(Eperm);
      if (f.removed) throw new Error(Enoent);
      if (!this.#can(f.parent, u, AWRITE)) throw new Error(Eperm);
      if (f.parent.children!.has(name)) throw new Error(Eexist);
    }
    let length: number | undefined;
    if (d.length !== U64_MAX) {
      if (f.isDir) {
        if (d.length !== 0) throw new Error(Eisdir);
      } else {
        if (!this.#can(f, u, AWRITE)) throw new Error(Eperm);
        this.#checkSize(f, d.length);
        length = d.length;
      }
    }
    // Every check passed: apply.
    const now = this.#now();
    let changed = false;
    if (mode !== undefined && mode !== f.mode) { f.mode = mode; f.qid.type = qidType(mode); changed = true; }
    if (d.mtime !== NULL_U32) { f.mtime = d.mtime; changed = true; }
    if (d.atime !== NULL_U32) f.atime = d.atime;
    if (gid !== undefined) { f.gid = gid; changed = true; }
    if (name !== undefined) {
      const dir = f.parent;
      dir.children!.delete(f.name);
      f.name = name;
      dir.children!.set(name, f);
      dir.touch(now);
      changed = true;
    }
    if (length !== undefined && length !== f.length) this.#resize(f, length, u);
    else if (changed) f.qid.version = (f.qid.version + 1) >>> 0;
  }

  /** POSIX rename: replaces a file target, or an empty directory by a directory. */
  rename(h: RamHandle, dirh: RamHandle, newName: string, req: Req): void {
    const f = h.file, to = dirh.file;
    checkName(newName);
    if (!to.children) throw new Error(Enotdir);
    if (f === this.root) throw new Error(Eperm);
    if (f.removed || to.removed) throw new Error(Enoent);
    const from = f.parent;
    if (!this.#can(from, req.uname, AWRITE) || !this.#can(to, req.uname, AWRITE)) throw new Error(Eperm);
    if (f.isDir) {
      for (let p = to; ; p = p.parent) {
        if (p === f) throw new Error(Einval);
        if (p === p.parent) break;
      }
    }
    const target = to.children.get(newName);
    if (target === f) return;
    if (target) {
      if (f.isDir && !target.isDir) throw new Error(Enotdir);
      if (!f.isDir && target.isDir) throw new Error(Eisdir);
      if (target.children && target.children.size > 0) throw new Error(Enotempty);
      this.#unlink(target);
    }
    const now = this.#now();
    from.children!.delete(f.name);
    f.name = newName;
    f.parent = to;
    to.children.set(newName, f);
    from.touch(now);
    if (to !== from) to.touch(now);
    f.qid.version = (f.qid.version + 1) >>> 0;
  }

  symlink(dirh: RamHandle, name: string, target: string, req: Req): Entry<RamHandle> {
    const f = this.#make(dirh.file, name, DMSYMLINK | 0o777, req.uname);
    const data = Buffer.from(target, 'utf8');
    this.#checkSize(f, data.length);
    f.writeAt(0, data, this.maxFileSize);
    this.#bytes += data.length;
    return entry(f);
  }

  readlink(h: RamHandle, _req: Req): string {
    const f = h.file;
    if (!(f.mode & DMSYMLINK)) throw new Error(Einval);
    return Buffer.from(f.data.buffer, f.data.byteOffset, f.length).toString('utf8');
  }

  link(_dirh: RamHandle, _h: RamHandle, _name: string, _req: Req): void {
    throw new Error(Enotsup);
  }

  statfs(_req: Req): StatFs {
    const blocks = Math.ceil(this.capacity / BSIZE);
    const bfree = Math.max(0, blocks - Math.ceil(this.#bytes / BSIZE));
    return {
      type: V9FS_MAGIC, bsize: BSIZE, blocks, bfree, bavail: bfree,
      files: this.maxFiles, ffree: Math.max(0, this.maxFiles - this.#files), fsid: this.#fsid, namelen: NAMELEN,
    };
  }

  #can(f: RamFile, uname: string, want: number): boolean {
    return hasPerm(f, uname, want, this.#inGroup);
  }

  /** Remove (and ORCLOSE) need write permission in the parent; the root cannot go. */
  #checkRemove(f: RamFile, uname: string): void {
    if (f === this.root || !this.#can(f.parent, uname, AWRITE)) throw new Error(Eperm);
  }

  #checkSize(f: RamFile, n: number): void {
    if (n > this.maxFileSize) throw new Error(Etoobig);
    if (!f.removed && this.#bytes + n - f.length > this.capacity) throw new Error(Enospace);
  }

  #resize(f: RamFile, n: number, uname: string): void {
    this.#checkSize(f, n);
    if (!f.removed) this.#bytes += n - f.length;
    f.setLength(n, this.maxFileSize);
    f.touch(this.#now(), uname);
  }

  #make(d: RamFile, name: string, perm: number, uname: string): RamFile {
    if (!d.children) throw new Error(Enotdir);
    checkName(name);
    if (d.removed) throw new Error(Enoent);
    if (d.children.has(name)) throw new Error(Eexist);
    if (!this.#can(d, uname, AWRITE)) throw new Error(Eperm);
    if (this.#files >= this.maxFiles) throw new Error(Enospace);
    // perm is final: the framework already limited it by the directory's (create(5)) for 9P2000.
    const now = this.#now();
    const f = new RamFile({ name, parent: d, path: this.#nextPath++, mode: perm & MODE_BITS, uid: uname, gid: d.gid, now });
    d.children.set(name, f);
    d.touch(now);
    this.#files++;
    return f;
  }

  #unlink(f: RamFile): void {
    f.parent.children!.delete(f.name);
    f.removed = true;
    f.parent.touch(this.#now());
    this.#files--;
    this.#bytes -= f.length;
  }
}

function entry(f: RamFile, omode?: number): Entry<RamHandle> {
  return { qid: { ...f.qid }, node: new RamHandle(f, omode) };
}
