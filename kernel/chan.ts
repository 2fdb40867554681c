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

export class Chan {
  readonly path: string;
  readonly qid: Qid;
  readonly cap: Cap;
  readonly impl: ChanKind;
  /** Open mode, or -1. */
  mode = -1;

  constructor(path: string, qid: Qid, cap: Cap, impl: ChanKind) {
    this.path = path;
    this.qid = qid;
    this.cap = cap;
    this.impl = impl;
  }

  static skeleton(path: string, cap: Cap, names: () => string[]): Chan {
    return new Chan(path, { type: QTDIR, version: 0, path: skelPath + hash(path) }, cap, { kind: 'skel', names });
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
  }

  async stat(): Promise<Dir> {
    this.check(0, 'stat');
    if (this.impl.kind === 'fid') return { ...(await this.impl.fid.stat()), name: baseOf(this.path) };
    if (this.impl.kind === 'pipe') return { ...this.impl.end.stat(), name: baseOf(this.path) };
    if (this.impl.kind === 'union') {
      const d = await this.impl.members[0]!.stat();
      return { ...d, name: baseOf(this.path) };
    }
    const now = Math.floor(Date.now() / 1000);
    return { type: 0, dev: 0, qid: this.qid, mode: DMDIR | 0o555, atime: now, mtime: now, length: 0, name: baseOf(this.path), uid: 'sys', gid: 'sys', muid: 'sys' };
  }

  /** Directory entries, merged for unions (first member wins a name, as walks do). */
  async readdir(signal?: Interrupt): Promise<Dir[]> {
    this.check(Right.read, 'read');
    if (this.impl.kind === 'skel') {
      const now = Math.floor(Date.now() / 1000);
      return this.impl.names().map((name) => ({ type: 0, dev: 0, qid: { type: QTDIR, version: 0, path: skelPath + hash(`${this.path}/${name}`) }, mode: DMDIR | 0o555, atime: now, mtime: now, length: 0, name, uid: 'sys', gid: 'sys', muid: 'sys' }));
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
    // An open fid cannot be walked (cloned): read it from its start instead.
    if (this.impl.fid.mode >= 0) {
      this.impl.fid.rewindDir();
      return this.impl.fid.dirreadall(signal ? { signal } : undefined);
    }
    const f = await this.impl.fid.walk('');
    try {
      await f.open(OREAD);
      return await f.dirreadall(signal ? { signal } : undefined);
    } finally {
      await f.clunk();
    }
  }

  async clunk(): Promise<void> {
    if (this.impl.kind === 'fid') await this.impl.fid.clunk().catch(() => {});
    else if (this.impl.kind === 'pipe') this.impl.end.close();
  }
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0xffffff;
}
