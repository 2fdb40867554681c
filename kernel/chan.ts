// Chan: a reference to one file in some server, as a process's namespace reached it.
// Four shapes: an end of a kernel pipe (pipe(2): no 9P between a process and its pipes); a fid on a 9P server (local devices and services through the in-process
// pair, remote ones over any transport), a union of members (bind -a/-b), and a skeleton
// directory synthesized from mount points (the root of a namespace has no server of its own).

import type { CFid } from '../fs/client/index.ts';
import type { Dir, Qid } from '../fs/9p/fcall.ts';
import { DMDIR, QTDIR, OREAD } from '../fs/9p/constants.ts';
import * as E from '../fs/9p/errors.ts';
import type { Cap } from './cap.ts';
import { Right } from './cap.ts';
import { baseOf } from './cleanname.ts';
import type { Interrupt } from '../fs/interrupt.ts';

/** One end of a kernel pipe, reached without 9P (the hot path of every shell pipeline). */
export interface PipeEnd {
  read(count: number, signal: Interrupt): Promise<Uint8Array>;
  write(data: Uint8Array, signal: Interrupt): Promise<number>;
  stat(): Dir;
  close(): void;
}

export type ChanKind =
  | { kind: 'fid'; fid: CFid }
  | { kind: 'pipe'; end: PipeEnd }
  | { kind: 'union'; members: Chan[]; createIn: Chan | undefined }
  | { kind: 'skel'; names: () => string[] };

const skelPath = 0x7f000000; // qid paths for skeleton dirs: stable per name within a namespace

/** A mounted 9P connection (Plan 9's Mnt): counted while mounts, posts and open files use it. */
export interface MntRef {
  hold(): void;
  release(): void;
}

/**
 * Which device instance a chan's files are on: Dir.type, the device's letter ('c' for #c,
 * 'M' for a mounted 9P connection), and Dir.dev, its instance. Plan 9 programs decide
 * whether two names are one file by (type, dev, qid.path). One object per attach, shared by
 * every chan walked from it; mnt is set for a dialed or posted connection.
 */
export interface DevId {
  readonly type: number;
  readonly dev: number;
  readonly mnt?: MntRef;
}

/** The root device '#/': what skeleton directories are on. */
export const ROOTDEV: DevId = { type: 0x2f, dev: 0 };

export class Chan {
  readonly path: string;
  readonly qid: Qid;
  readonly cap: Cap;
  readonly impl: ChanKind;
  /** The device instance its files are on (a union's: its first member's). */
  readonly devid: DevId;
  /** Open mode, or -1. */
  mode = -1;

  constructor(path: string, qid: Qid, cap: Cap, impl: ChanKind, devid: DevId) {
    this.path = path;
    this.qid = qid;
    this.cap = cap;
    this.impl = impl;
    this.devid = devid;
  }

  static skeleton(path: string, cap: Cap, names: () => string[]): Chan {
    return new Chan(path, { type: QTDIR, version: 0, path: skelPath + hash(path) }, cap, { kind: 'skel', names }, ROOTDEV);
  }

  get isDir(): boolean { return (this.qid.type & QTDIR) !== 0; }

  /** Fail with "capability revoked" (or the missing right) before touching the server. */
  check(r: number, what: string): void { this.cap.check(r, what); }

  get fid(): CFid {
    if (this.impl.kind !== 'fid') throw new Error(this.impl.kind === 'union' ? E.Eisdir : E.Eperm);
    return this.impl.fid;
  }

  async open(mode: number, signal?: Interrupt): Promise<void> {
    const acc = mode & 3;
    this.check(acc === OREAD ? Right.read : acc === 3 ? Right.exec : acc === 1 ? Right.write : Right.read | Right.write, 'open');
    if (this.impl.kind === 'pipe') { this.mode = mode; return; }
    if (this.impl.kind !== 'fid') {
      if (acc !== OREAD) throw new Error(E.Eisdir);
      this.mode = mode;
      return;
    }
    void signal;
    await this.impl.fid.open(mode);
    this.mode = mode;
    this.devid.mnt?.hold(); // an open file keeps its connection (released at clunk)
  }

  /** The file's Dir, with the type and dev of the device it is on (what a server says of them is ignored, as Plan 9's mnt does). */
  async stat(): Promise<Dir> {
    this.check(0, 'stat');
    const { type, dev } = this.devid;
    if (this.impl.kind === 'fid') return { ...(await this.impl.fid.stat()), name: baseOf(this.path), type, dev };
    if (this.impl.kind === 'pipe') return { ...this.impl.end.stat(), name: baseOf(this.path), type, dev };
    if (this.impl.kind === 'union') {
      const d = await this.impl.members[0]!.stat();
      return { ...d, name: baseOf(this.path) };
    }
    const now = Math.floor(Date.now() / 1000);
    return { type, dev, qid: this.qid, mode: DMDIR | 0o555, atime: now, mtime: now, length: 0, name: baseOf(this.path), uid: 'sys', gid: 'sys', muid: 'sys' };
  }

  /** Directory entries, merged for unions (first member wins a name, as walks do). */
  async readdir(signal?: Interrupt): Promise<Dir[]> {
    this.check(Right.read, 'read');
    if (this.impl.kind === 'skel') {
      const now = Math.floor(Date.now() / 1000);
      const { type, dev } = this.devid;
      return this.impl.names().map((name) => ({ type, dev, qid: { type: QTDIR, version: 0, path: skelPath + hash(`${this.path}/${name}`) }, mode: DMDIR | 0o555, atime: now, mtime: now, length: 0, name, uid: 'sys', gid: 'sys', muid: 'sys' }));
    }
    if (this.impl.kind === 'union') {
      const seen = new Set<string>();
      const out: Dir[] = [];
      for (const m of this.impl.members) {
        let ents: Dir[];
        try { ents = await m.readdir(signal); } catch { continue; }
        for (const d of ents) if (!seen.has(d.name)) { seen.add(d.name); out.push(d); }
      }
      return out;
    }
    if (this.impl.kind === 'pipe') throw new Error(E.Enotdir);
    return this.ownDevice(await this.fidEntries(this.impl.fid, signal));
  }

  private async fidEntries(fid: CFid, signal: Interrupt | undefined): Promise<Dir[]> {
    // An open fid cannot be walked (cloned): read it from its start instead.
    if (fid.mode >= 0) {
      fid.rewindDir();
      return fid.dirreadall(signal ? { signal } : undefined);
    }
    const f = await fid.walk('');
    try {
      await f.open(OREAD);
      return await f.dirreadall(signal ? { signal } : undefined);
    } finally {
      await f.clunk();
    }
  }

  /** Entries just read off the wire (fresh objects) get this chan's type and dev. */
  private ownDevice(ents: Dir[]): Dir[] {
    const { type, dev } = this.devid;
    for (const d of ents) { d.type = type; d.dev = dev; }
    return ents;
  }

  async clunk(): Promise<void> {
    if (this.impl.kind === 'fid') {
      await this.impl.fid.clunk().catch(() => {});
      if (this.mode >= 0 && this.devid.mnt) { this.mode = -1; this.devid.mnt.release(); }
    } else if (this.impl.kind === 'pipe') this.impl.end.close();
  }
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0xffffff;
}
