// RamFile: one file or directory of a Ramfs, with its data in a growable byte array,
// plus the small helpers every file server here shares: Plan 9 permission checks
// (lib9p's hasperm), name checks, qid type bits from mode bits, and a usage count.

import type { Dir, Qid } from '../9p/fcall.ts';
import {
  DMAPPEND, DMDIR, DMEXCL, DMSYMLINK, DMTMP, QTAPPEND, QTDIR, QTEXCL, QTFILE, QTSYMLINK, QTTMP,
} from '../9p/constants.ts';
import { Ebadname, Etoolong } from '../9p/errors.ts';

/** Access bits for permission checks (the low three mode bits of each class). */
export const AREAD = 4;
export const AWRITE = 2;
export const AEXEC = 1;

/** Longest file name in bytes (statfs namelen). */
export const NAMELEN = 255;

/** Mode bits a file may carry: permissions and the defined DM bits. */
export const MODE_BITS = (DMDIR | DMAPPEND | DMEXCL | DMTMP | DMSYMLINK | 0o777) >>> 0;

export { hasPerm, ownGroup } from './fid.ts';
export type { InGroup } from './fid.ts';

/** Throws Ebadname for '', '.', '..', or names with '/' or NUL; Etoolong past NAMELEN bytes. */
export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) throw new Error(Ebadname);
  if (Buffer.byteLength(name, 'utf8') > NAMELEN) throw new Error(Etoolong);
}

/** Qid type bits implied by Dir mode bits. */
export function qidType(mode: number): number {
  let t = QTFILE;
  if (mode & DMDIR) t |= QTDIR;
  if (mode & DMAPPEND) t |= QTAPPEND;
  if (mode & DMEXCL) t |= QTEXCL;
  if (mode & DMTMP) t |= QTTMP;
  if (mode & DMSYMLINK) t |= QTSYMLINK;
  return t;
}

export interface RamFileInit {
  name: string;
  /** Omitted for the root, which is its own parent. */
  parent?: RamFile;
  path: number;
  mode: number;
  uid: string;
  gid: string;
  now: number;
}

export class RamFile {
  name: string;
  /** The directory holding this file; the root's parent is the root. Kept after removal. */
  parent: RamFile;
  readonly qid: Qid;
  mode: number;
  uid: string;
  gid: string;
  muid: string;
  atime: number;
  mtime: number;
  /** Children by name for a directory; null for a file. */
  readonly children: Map<string, RamFile> | null;
  /** Bytes [0, length) are the contents; bytes past length are always zero. */
  data: Uint8Array;
  length = 0;
  /** Open handles (create counts as an open). */
  opens = 0;
  /** Detached from the tree by remove or rename-over; open handles keep working. */
  removed = false;

  constructor(init: RamFileInit) {
    this.name = init.name;
    this.parent = init.parent ?? this;
    this.mode = init.mode >>> 0;
    this.qid = { type: qidType(this.mode), version: 0, path: init.path };
    this.uid = init.uid;
    this.gid = init.gid;
    this.muid = init.uid;
    this.atime = init.now;
    this.mtime = init.now;
    this.children = this.mode & DMDIR ? new Map() : null;
    this.data = new Uint8Array(0);
  }

  get isDir(): boolean { return this.children !== null; }

  /** Record a modification: qid.version, mtime, and the modifying user when given. */
  touch(now: number, uname?: string): void {
    this.qid.version = (this.qid.version + 1) >>> 0;
    this.mtime = now;
    if (uname !== undefined) this.muid = uname;
  }

  /** Make room for n bytes, growing geometrically (capped at max) so sequential writes copy O(total). */
  reserve(n: number, max: number): void {
    if (n <= this.data.length) return;
    const cap = Math.max(n, Math.min(Math.max(this.data.length * 2, 4096), max));
    const grown = new Uint8Array(cap);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  readAt(offset: number, count: number): Uint8Array {
    if (offset >= this.length || count <= 0) return new Uint8Array(0);
    return this.data.slice(offset, Math.min(this.length, offset + count));
  }

  writeAt(offset: number, src: Uint8Array, max: number): void {
    const end = offset + src.length;
    this.reserve(end, max);
    this.data.set(src, offset);
    if (end > this.length) this.length = end;
  }

  /** Set the length: shrinking zeroes the tail (and gives back most of a big buffer); growing reads as zeros. */
  setLength(n: number, max: number): void {
    if (n < this.length) {
      if (this.data.length > 65536 && n < this.data.length / 4) {
        const kept = new Uint8Array(n);
        kept.set(this.data.subarray(0, n));
        this.data = kept;
      } else {
        this.data.fill(0, n, this.length);
      }
    } else {
      this.reserve(n, max);
    }
    this.length = n;
  }

  stat(): Dir {
    return {
      type: 0, dev: 0, qid: { ...this.qid }, mode: this.mode, atime: this.atime, mtime: this.mtime,
      length: this.isDir ? 0 : this.length,
      name: this.parent === this ? '/' : this.name,
      uid: this.uid, gid: this.gid, muid: this.muid,
    };
  }
}

/** Files (directories included) and data bytes in the tree under dir, dir itself counted. */
export function ramUsage(dir: RamFile): { files: number; bytes: number } {
  let files = 0, bytes = 0;
  const stack = [dir];
  for (let f = stack.pop(); f; f = stack.pop()) {
    files++;
    bytes += f.length;
    if (f.children) for (const c of f.children.values()) stack.push(c);
  }
  return { files, bytes };
}
