// The mount table of a process group (Plan 9's Pgrp): bind and mount with -b/-a/-c and
// replace, unions, unmount, lexical '..', and a replayable `ns` log.
//
// Mount points are clean absolute paths. Members are fixed when bound (as in Plan 9:
// `bind new old` evaluates new at bind time, and -a/-b keep what old was as a member).
// The root is a skeleton: its directories are the mount points under it, so a role's
// namespace shows exactly what was bound into it and nothing else.

import { OREAD } from '../fs/9p/constants.ts';
import * as E from '../fs/9p/errors.ts';
import { Chan } from './chan.ts';
import type { Cap } from './cap.ts';
import { Right } from './cap.ts';
import { Enocreate, Enotmounted } from './errors.ts';
import type { Interrupt } from '../fs/interrupt.ts';

export const MREPL = 0, MBEFORE = 1, MAFTER = 2, MCREATE = 4;

/** Who is walking: per-process devices (env, cons, proc) attach differently for each. */
export interface WalkCtx {
  pid: number;
  envId: number;
  consId: string;
  uname: string;
}

export interface Member {
  chan: Chan;
  /** A per-process device: attached afresh for each walker (Plan 9 devices read `up`). */
  dyn?: (ctx: WalkCtx) => Promise<Chan>;
  /** The attach key a walker would get; when it is the binder's (dynKey), chan already is that tree. */
  keyOf?: (ctx: WalkCtx) => string;
  dynKey?: string;
  create: boolean;
  /** Where it came from, as the user named it: a path, '#c', '/srv/x', a dial string. */
  src: string;
  refs: { n: number };
}

/** Does a walker need its own attach of m (a per-process device whose key differs from the binder's)? */
function needsAttach(m: Member, ctx: WalkCtx | undefined): boolean {
  if (!m.dyn || !ctx) return false;
  return !(m.keyOf && m.keyOf(ctx) === m.dynKey);
}

/** A namespace lets go of a member; the last to do so clunks its chan and releases its connection. */
async function unref(m: Member): Promise<void> {
  if (--m.refs.n !== 0) return;
  await m.chan.clunk();
  m.chan.devid.mnt?.release();
}

export function flagText(flags: number): string {
  let s = '';
  if (flags & MBEFORE) s += 'b';
  if (flags & MAFTER) s += 'a';
  if (flags & MCREATE) s += 'c';
  return s ? `-${s} ` : '';
}

function quote(s: string): string {
  // A leading '#' starts a comment in rc, so device names are quoted as Plan 9's ns prints them.
  return /^[A-Za-z0-9_.\/!:@%+=,-][A-Za-z0-9_.\/#!:@%+=,-]*$/.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

export class Namespace {
  private readonly mounts = new Map<string, Member[]>();
  /** The bind/mount/unmount lines that built this namespace, in order (what `ns` prints). */
  private readonly log: string[] = [];
  /** The capability under which skeleton directories are reached. */
  readonly rootCap: Cap;
  /** Processes sharing this namespace; the last to leave closes it. */
  refs = 1;

  constructor(rootCap: Cap) { this.rootCap = rootCap; }

  /** rfork n: a copy that then evolves on its own (members are shared, counted). */
  clone(): Namespace {
    const ns = new Namespace(this.rootCap);
    for (const [p, ms] of this.mounts) { for (const m of ms) m.refs.n++; ns.mounts.set(p, [...ms]); }
    ns.log.push(...this.log);
    return ns;
  }

  /** A process stops using this namespace; the last one frees it. */
  async leave(): Promise<void> {
    if (--this.refs === 0) await this.close();
  }

  /** Free every member this namespace holds the last reference to. */
  async close(): Promise<void> {
    const all = [...this.mounts.values()].flat();
    this.mounts.clear();
    for (const m of all) await unref(m);
  }

  /** What `ns` prints: lines that rebuild this namespace when replayed in order. */
  nsText(): string { return this.log.map((l) => l + '\n').join(''); }

  mountPoints(): string[] { return [...this.mounts.keys()]; }
  membersAt(path: string): readonly Member[] { return this.mounts.get(path) ?? []; }

  /** Names of skeleton children of dir: the next element of each mount point below it. */
  private skelNames(dir: string): string[] {
    const pre = dir === '/' ? '/' : dir + '/';
    const out = new Set<string>();
    for (const p of this.mounts.keys()) if (p.startsWith(pre) && p.length > pre.length) out.add(p.slice(pre.length).split('/')[0]!);
    return [...out].sort();
  }

  /** Is abs certainly absent: its first element is not in a skeleton root (nothing mounted at /)? */
  absentAtRoot(abs: string): boolean {
    if (abs === '/' || this.mounts.has('/')) return false;
    const slash = abs.indexOf('/', 1);
    const first = slash < 0 ? abs : abs.slice(0, slash);
    return !this.mounts.has(first) && !this.hasBelow(first);
  }

  private hasBelow(path: string): boolean {
    const pre = path + '/';
    for (const p of this.mounts.keys()) if (p === path || p.startsWith(pre)) return true;
    return false;
  }

  /** The chan for a mount point with members ms. */
  private async at(path: string, ms: Member[], ctx: WalkCtx | undefined): Promise<Chan> {
    const one = async (m: Member): Promise<Chan> => {
      if (needsAttach(m, ctx)) { m.chan.check(Right.walk, 'walk'); const c = await m.dyn!(ctx!); return new Chan(path, c.qid, m.chan.cap, c.impl, c.devid); }
      return this.cloneChan(m.chan, path);
    };
    if (ms.length === 1) return one(ms[0]!);
    const members = await Promise.all(ms.map(one));
    const ci = ms.findIndex((m) => m.create);
    return new Chan(path, members[0]!.qid, members[0]!.cap, { kind: 'union', members, createIn: ci >= 0 ? members[ci] : undefined }, members[0]!.devid);
  }

  private async cloneChan(c: Chan, path: string): Promise<Chan> {
    c.check(0, 'walk');
    if (c.impl.kind === 'fid') return new Chan(path, c.qid, c.cap, { kind: 'fid', fid: await c.impl.fid.walk('') }, c.devid);
    return new Chan(path, c.qid, c.cap, c.impl, c.devid);
  }

  /**
   * Walk an absolute clean path to a chan (unopened). Mount points are looked up after
   * every element; '..' was already removed lexically.
   */
  async walk(abs: string, ctx?: WalkCtx): Promise<Chan> {
    // A mount's own chan is walked from without cloning it first (borrowed); only a walk that
    // ends on the mount point clones it for the caller. That saves a clone and a clunk per walk.
    // Only the current chan can be borrowed, so one flag says whether it is.
    let path = '/';
    let cur: Chan;
    let borrowed = false;
    const rootMs = this.mounts.get('/');
    if (rootMs) {
      const b = this.borrow('/', rootMs, ctx);
      borrowed = b !== undefined;
      cur = b ?? await this.at('/', rootMs, ctx);
    } else {
      // A name the skeleton root does not have (rc's ./cmd from /, every command): the answer
      // walk1 would give, without making chans for it.
      if (this.absentAtRoot(abs)) { this.rootCap.check(Right.walk, 'walk'); throw E.p9error(E.Enoent); }
      cur = Chan.skeleton('/', this.rootCap, () => this.skelNames('/'));
    }
    try {
      if (abs !== '/') {
        for (const name of abs.slice(1).split('/')) {
          const next = path === '/' ? `/${name}` : `${path}/${name}`;
          const ms = this.mounts.get(next);
          let nc: Chan, nb = false;
          if (ms) {
            const b = this.borrow(next, ms, ctx);
            nb = b !== undefined;
            nc = b ?? await this.at(next, ms, ctx);
          } else nc = await this.walk1(cur, name, next);
          if (!borrowed) await this.release(cur);
          cur = nc;
          borrowed = nb;
          path = next;
        }
      }
      if (borrowed) { const c = await this.cloneChan(cur, path); borrowed = false; cur = c; } // a failed clone leaves the mount's chan alone
      return cur;
    } catch (e) {
      if (!borrowed) await this.release(cur);
      throw e;
    }
  }

  /** The chan of a mount point with one plain member, to walk from without cloning; else undefined. */
  private borrow(p: string, ms: Member[], ctx: WalkCtx | undefined): Chan | undefined {
    const m = ms.length === 1 ? ms[0]! : undefined;
    if (!m || needsAttach(m, ctx) || m.chan.impl.kind !== 'fid') return undefined;
    m.chan.check(0, 'walk');
    return new Chan(p, m.chan.qid, m.chan.cap, m.chan.impl, m.chan.devid);
  }

  private async release(c: Chan): Promise<void> {
    if (c.impl.kind === 'union') for (const m of c.impl.members) await m.clunk();
    else await c.clunk();
  }

  private async walk1(cur: Chan, name: string, next: string): Promise<Chan> {
    if (!cur.isDir) throw E.p9error(E.Enotdir);
    cur.check(Right.walk, 'walk');
    const impl = cur.impl;
    if (impl.kind === 'skel') {
      if (!this.hasBelow(next)) throw E.p9error(E.Enoent);
      return Chan.skeleton(next, cur.cap, () => this.skelNames(next));
    }
    if (impl.kind === 'union') {
      for (const m of impl.members) {
        try { return await this.walk1(m, name, next); } catch { /* next member */ }
      }
      throw E.p9error(E.Enoent);
    }
    if (impl.kind === 'pipe') throw E.p9error(E.Enotdir);
    const f = await impl.fid.walk(name);
    return new Chan(next, f.qid, cur.cap, { kind: 'fid', fid: f }, cur.devid);
  }

  /** Resolve the directory a new file is created in: a union's -c member, or the directory. */
  async createDir(absDir: string, ctx?: WalkCtx): Promise<Chan> {
    const c = await this.walk(absDir, ctx);
    if (c.impl.kind === 'skel') { await this.release(c); throw new Error(E.Eperm); }
    if (c.impl.kind === 'union') {
      const target = c.impl.createIn;
      for (const m of c.impl.members) if (m !== target) await m.clunk();
      if (!target) throw new Error(Enocreate);
      return target;
    }
    // A mount point is a union of one directory (bind(1)): creation there needs -c too.
    const ms = this.mounts.get(absDir);
    if (ms && !ms.some((m) => m.create)) { await this.release(c); throw new Error(Enocreate); }
    return c;
  }

  /**
   * Put chan (already resolved from src) at old. old must exist, except that a new mount
   * point may be made in a skeleton directory (how boot builds a role's tree).
   */
  async bind(chan: Chan, src: string, old: string, flags: number, opts: { verb?: 'bind' | 'mount'; aname?: string; ctx?: WalkCtx; dyn?: Member['dyn']; keyOf?: Member['keyOf'] } = {}): Promise<void> {
    const verb = opts.verb ?? 'bind', aname = opts.aname ?? '', ctx = opts.ctx;
    let oldChan: Chan | undefined;
    try {
      oldChan = await this.walk(old, ctx);
    } catch (e) {
      const parent = old === '/' ? undefined : old.slice(0, old.lastIndexOf('/')) || '/';
      const pc = parent ? await this.walk(parent, ctx).catch(() => undefined) : undefined;
      const skel = pc?.impl.kind === 'skel' || (pc?.impl.kind === 'union' && pc.impl.members.some((m) => m.impl.kind === 'skel'));
      if (pc) await this.release(pc);
      if (!skel) throw e;
    }
    if (oldChan && (flags & (MBEFORE | MAFTER)) && (!oldChan.isDir || !chan.isDir)) {
      await this.release(oldChan);
      throw new Error('union needs two directories');
    }
    if (oldChan && oldChan.isDir !== chan.isDir) {
      await this.release(oldChan);
      throw new Error('inconsistent mount: cannot mix files and directories');
    }
    const m: Member = {
      chan, create: (flags & MCREATE) !== 0, src, refs: { n: 1 }, ...(opts.dyn ? { dyn: opts.dyn } : {}),
      ...(opts.dyn && opts.keyOf && opts.ctx ? { keyOf: opts.keyOf, dynKey: opts.keyOf(opts.ctx) } : {}),
    };
    chan.devid.mnt?.hold(); // a mounted connection lives while a mount of it does
    let ms = this.mounts.get(old);
    if ((flags & (MBEFORE | MAFTER)) === 0) {
      for (const x of ms ?? []) await unref(x);
      ms = [m];
      if (oldChan) await this.release(oldChan);
    } else {
      // The first union at old keeps what old was as a member (Plan 9 mount semantics).
      if (!ms) {
        oldChan?.devid.mnt?.hold();
        ms = oldChan ? [{ chan: oldChan, create: false, src: old, refs: { n: 1 } }] : [];
      } else if (oldChan) await this.release(oldChan);
      if (flags & MBEFORE) ms = [m, ...ms]; else ms = [...ms, m];
    }
    this.mounts.set(old, ms);
    this.log.push(`${verb} ${flagText(flags)}${quote(src)} ${quote(old)}${aname ? ' ' + quote(aname) : ''}`);
  }

  /** unmount [new] old: remove the member that came from src, or everything at old. */
  async unmount(src: string | undefined, old: string): Promise<void> {
    const ms = this.mounts.get(old);
    if (!ms) throw new Error(Enotmounted);
    const gone = src === undefined ? ms : ms.filter((m) => m.src === src);
    if (gone.length === 0) throw new Error(Enotmounted);
    const keep = ms.filter((m) => !gone.includes(m));
    for (const m of gone) await unref(m);
    if (keep.length) this.mounts.set(old, keep); else this.mounts.delete(old);
    this.log.push(src === undefined ? `unmount ${quote(old)}` : `unmount ${quote(src)} ${quote(old)}`);
  }

  /** Open a directory listing (what ls reads): union-merged, skeleton-synthesized. */
  async list(abs: string, ctx?: WalkCtx, signal?: Interrupt): Promise<Awaited<ReturnType<Chan['readdir']>>> {
    const c = await this.walk(abs, ctx);
    try {
      if (!c.isDir) throw new Error(E.Enotdir);
      return await c.readdir(signal);
    } finally {
      await this.release(c);
    }
  }

  /** Clunk a chan this namespace produced by walk. */
  async drop(c: Chan): Promise<void> { await this.release(c); }
}

export { OREAD };
