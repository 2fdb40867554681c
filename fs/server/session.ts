// One 9P connection being served: version negotiation, the fid table, tags in flight,
// Tflush, per-fid ordering, and every protocol check, before a FileServer handler runs.
// Handlers change nothing here: fid state changes only after a handler succeeded.

import { Dialect, DMDIR, IOHDRSZ, MAX_MSIZE, MAXWELEM, NOFID, NOTAG, OTRUNC, QTDIR } from '../9p/constants.ts';
import type { Dir, Fcall, Msg, Qid, RMsg } from '../9p/fcall.ts';
import { packDir, ProtocolError } from '../9p/wire.ts';
import * as E from '../9p/errors.ts';
import { errnoOf, errorString } from '../9p/errors.ts';
import type { Link } from '../transport/link.ts';
import type { FileServer, Req } from './fileserver.ts';
import { accessFor, canRead, canWrite, createPerm, hasPerm, isDir, newFid, validName } from './fid.ts';
import type { Fid } from './fid.ts';
import { serveDotL } from './dotl.ts';

export interface SessionOptions {
  maxFids?: number;
  maxTags?: number;
  maxMsize?: number;
  /** Told about handler failures that were not Plan 9 errors (bugs), and connection ends. */
  log?: (msg: string) => void;
}

/**
 * A request's abort state. The AbortSignal is made only when a handler asks for it: making
 * one costs about 1.5 us, more than the rest of a Tgetattr, and most handlers never look.
 */
export class Flight {
  private ac: AbortController | undefined;
  private reason: unknown;
  private listeners: Set<() => void> | undefined;
  aborted = false;
  get signal(): AbortSignal {
    if (!this.ac) {
      this.ac = new AbortController();
      if (this.aborted) this.ac.abort(this.reason);
    }
    return this.ac.signal;
  }
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.ac?.abort(reason);
    const ls = this.listeners;
    this.listeners = undefined;
    if (ls) for (const cb of ls) cb();
  }
  /** Req.onAbort: a callback instead of a signal. */
  onAbort(cb: () => void): () => void {
    if (this.aborted) { cb(); return () => {}; }
    (this.listeners ??= new Set()).add(cb);
    return () => { this.listeners?.delete(cb); };
  }
}

/** A Req whose signal comes from a Flight, made on first use. */
class FidReq implements Req {
  readonly uname: string;
  readonly dialect: string;
  private readonly fl: Flight;
  constructor(uname: string, dialect: string, fl: Flight) { this.uname = uname; this.dialect = dialect; this.fl = fl; }
  get signal(): AbortSignal { return this.fl.signal; }
  onAbort(cb: () => void): () => void { return this.fl.onAbort(cb); }
}

interface InFlight {
  fl: Flight;
  done: Promise<void>;
}

const fail = (ename: string): never => { throw new Error(ename); };

export class Session<N = unknown> {
  readonly fs: FileServer<N>;
  readonly link: Link;
  msize = 0;
  dialect: Dialect = Dialect.P2000;
  readonly fids = new Map<number, Fid<N>>();
  private readonly inflight = new Map<number, InFlight>();
  /** The last request queued on each fid, so requests naming it run in arrival order. */
  private readonly fidChain = new Map<number, Promise<void>>();
  private readonly maxFids: number;
  private readonly maxTags: number;
  private readonly maxMsize: number;
  private readonly log: (msg: string) => void;
  private closed = false;
  private readonly onEnd: Array<() => void> = [];
  /** Counters for /proc/9p and benchmarks. */
  readonly stats = { requests: 0, errors: 0, badFrames: 0 };
  /** When the last request arrived (Date.now()): a connection's idle time for who and finger. */
  lastRequest = Date.now();

  constructor(fs: FileServer<N>, link: Link, opts: SessionOptions = {}) {
    this.fs = fs;
    this.link = link;
    this.maxFids = opts.maxFids ?? 65536;
    this.maxTags = opts.maxTags ?? 1024;
    this.maxMsize = Math.min(opts.maxMsize ?? MAX_MSIZE + IOHDRSZ, MAX_MSIZE + IOHDRSZ);
    this.log = opts.log ?? (() => {});
    link.start({
      message: (f) => this.receive(f),
      badFrame: (err) => this.badFrame(err),
      close: (err) => this.end(err),
    });
  }

  get outstanding(): number { return this.inflight.size; }
  get remote(): string { return this.link.remote; }
  whenClosed(cb: () => void): void { if (this.closed) cb(); else this.onEnd.push(cb); }

  close(): void { this.link.close(); }

  private badFrame(err: ProtocolError): void {
    this.stats.badFrames++;
    this.replyError(err.tag ?? NOTAG, err.message);
  }

  private replyError(tag: number, ename: string): void {
    this.stats.errors++;
    ename = ename.replace(/\0/g, '').slice(0, 1024) || E.Eio;
    if (this.dialect === Dialect.P2000L) this.link.send({ type: 'Rlerror', tag, ecode: errnoOf(ename) });
    else this.link.send({ type: 'Rerror', tag, ename });
  }

  /** Send a reply; one the codec refuses (a NUL in a name, say) becomes an error, not a crash. */
  private reply(r: RMsg): void {
    try {
      this.link.send(r);
    } catch (e) {
      this.log(`${r.type}: cannot encode reply: ${errorString(e)}`);
      this.replyError(r.tag, `server reply could not be encoded: ${errorString(e).replace(/\0/g, '')}`);
    }
  }

  private receive(f: Fcall): void {
    this.lastRequest = Date.now();
    if (this.closed) return;
    this.stats.requests++;
    if (f.type[0] !== 'T') return this.replyError(f.tag, `unexpected ${f.type} from a client`);
    if (f.type === 'Tversion') { void this.version(f); return; }
    if (this.msize === 0) return this.replyError(f.tag, E.Enotversion);
    if (this.inflight.has(f.tag)) return this.replyError(f.tag, `duplicate tag ${f.tag}`);
    if (f.tag === NOTAG) return this.replyError(f.tag, 'NOTAG used outside Tversion');
    if (this.inflight.size >= this.maxTags) return this.replyError(f.tag, E.Etags);
    if (f.type === 'Tflush') { void this.flush(f); return; }

    const fl = new Flight();
    const deps: Promise<void>[] = [];
    const touched = fidsOf(f);
    for (const n of touched) { const p = this.fidChain.get(n); if (p) deps.push(p); }
    const run = async (): Promise<void> => {
      if (deps.length) await Promise.all(deps);
      let r: RMsg;
      try {
        if (fl.aborted) fail(E.Einterrupted);
        r = await this.dispatch(f, fl);
      } catch (e) {
        const ename = errorString(e);
        if (!(e instanceof Error) || e.name === 'TypeError' || e.name === 'RangeError' || e.name === 'ReferenceError') this.log(`${f.type}: handler bug: ${e instanceof Error ? e.stack : String(e)}`);
        if (this.closed) return;
        this.replyError(f.tag, ename);
        return;
      }
      if (!this.closed) this.reply(r);
    };
    const done = run().finally(() => {
      this.inflight.delete(f.tag);
      for (const n of touched) if (this.fidChain.get(n) === done) this.fidChain.delete(n);
    });
    this.inflight.set(f.tag, { fl, done });
    for (const n of touched) this.fidChain.set(n, done);
  }

  private async flush(f: Msg<'Tflush'>): Promise<void> {
    const old = this.inflight.get(f.oldtag);
    if (old) {
      old.fl.abort(new Error(E.Eflushed));
      await old.done;
    }
    if (!this.closed) this.link.send({ type: 'Rflush', tag: f.tag });
  }

  private async version(f: Msg<'Tversion'>): Promise<void> {
    // Tversion aborts everything outstanding and clunks every fid (version(5)).
    await this.reset();
    if (f.msize < 256) { this.replyError(f.tag, `msize ${f.msize} is too small`); return; }
    this.msize = Math.min(f.msize, this.maxMsize);
    let v = 'unknown';
    if (f.version === Dialect.P2000L) v = Dialect.P2000L;
    else if (f.version.startsWith('9P2000')) v = Dialect.P2000; // 9P2000.u and friends downgrade
    if (v === 'unknown') this.msize = 0;
    else {
      this.dialect = v as Dialect;
      this.link.setDialect(this.dialect);
      this.link.setMsize(this.msize);
    }
    this.link.send({ type: 'Rversion', tag: f.tag, msize: this.msize || f.msize, version: v });
  }

  private async reset(): Promise<void> {
    for (const x of this.inflight.values()) x.fl.abort(new Error(E.Einterrupted));
    await Promise.all([...this.inflight.values()].map((x) => x.done));
    const fids = [...this.fids.values()];
    this.fids.clear();
    for (const fid of fids) await this.release(fid);
  }

  private async release(fid: Fid<N>): Promise<void> {
    try {
      await this.fs.clunk?.(fid.node, this.reqFor(fid, new Flight()));
    } catch (e) {
      this.log(`clunk: ${errorString(e)}`);
    }
  }

  private end(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (err) this.log(`${this.link.remote}: ${err.message}`);
    void this.reset().finally(() => { for (const cb of this.onEnd.splice(0)) cb(); });
  }

  /** The fid named by a request, or the Plan 9 error. */
  fid(n: number): Fid<N> {
    return this.fids.get(n) ?? fail(E.Enofid);
  }

  reqFor(fid: Fid<N>, fl: Flight): Req {
    return new FidReq(fid.uname, this.dialect, fl);
  }

  /** Claim a new fid number, checking it is free and within limits. */
  claim(n: number): void {
    if (n === NOFID) fail(E.Enofid);
    if (this.fids.has(n)) fail(E.Edupfid);
    if (this.fids.size >= this.maxFids) fail(E.Efids);
  }

  get iounit(): number { return this.msize - IOHDRSZ; }

  private async dispatch(f: Fcall, fl: Flight): Promise<RMsg> {
    const tag = f.tag;
    switch (f.type) {
      case 'Tauth': return fail(E.Enoauth);
      case 'Tattach': {
        this.claim(f.fid);
        if (f.afid !== NOFID) fail(E.Enoauth);
        let uname = f.uname;
        if (this.dialect === Dialect.P2000L && uname === '' && f.nuname !== undefined && f.nuname !== NOFID) uname = String(f.nuname);
        if (uname === '') uname = 'none';
        const req = new FidReq(uname, this.dialect, fl);
        const e = await this.fs.attach(uname, f.aname, req);
        this.claim(f.fid);
        this.fids.set(f.fid, newFid(f.fid, e.node, e.qid, uname));
        return { type: 'Rattach', tag, qid: e.qid };
      }
      case 'Twalk': return this.walk(f, fl);
      case 'Topen': {
        const fid = this.fid(f.fid);
        const o = await this.open(fid, f.mode, fl);
        return { type: 'Ropen', tag, qid: o.qid, iounit: o.iounit };
      }
      case 'Tcreate': {
        const fid = this.fid(f.fid);
        const o = await this.create(fid, f.name, f.perm, f.mode, fl, true);
        return { type: 'Rcreate', tag, qid: o.qid, iounit: o.iounit };
      }
      case 'Tread': return { type: 'Rread', tag, data: await this.read(this.fid(f.fid), f.offset, f.count, fl) };
      case 'Twrite': {
        const fid = this.fid(f.fid);
        if (fid.omode < 0) fail(E.Enotopen);
        if (!canWrite(fid.omode)) fail(E.Ebadmode);
        if (isDir(fid.qid)) fail(E.Eisdir);
        const n = await this.fs.write(fid.node, f.offset, f.data, this.reqFor(fid, fl));
        return { type: 'Rwrite', tag, count: Math.min(n, f.data.length) };
      }
      case 'Tclunk': {
        const fid = this.fid(f.fid);
        this.fids.delete(f.fid);
        await this.release(fid);
        return { type: 'Rclunk', tag };
      }
      case 'Tremove': {
        // remove(5): the fid is clunked even when the remove fails.
        const fid = this.fid(f.fid);
        this.fids.delete(f.fid);
        try {
          await this.fs.remove(fid.node, this.reqFor(fid, fl));
        } finally {
          await this.release(fid);
        }
        return { type: 'Rremove', tag };
      }
      case 'Tstat': {
        const fid = this.fid(f.fid);
        return { type: 'Rstat', tag, stat: await this.fs.stat(fid.node, this.reqFor(fid, fl)) };
      }
      case 'Twstat': {
        const fid = this.fid(f.fid);
        await this.wstat(fid, f.stat, fl);
        return { type: 'Rwstat', tag };
      }
      default:
        if (this.dialect === Dialect.P2000L) return serveDotL(this, f, fl);
        return fail(`${f.type} is not a 9P2000 request`);
    }
  }

  private async walk(f: Msg<'Twalk'>, signal: Flight): Promise<RMsg> {
    const fid = this.fid(f.fid);
    if (fid.omode >= 0) fail(E.Ewalkopen);
    if (f.newfid !== f.fid) this.claim(f.newfid);
    if (f.wname.length > MAXWELEM) fail(`too many names in walk (${f.wname.length} > ${MAXWELEM})`);
    const req = this.reqFor(fid, signal);
    let node = fid.node, qid = fid.qid;
    const wqid: Qid[] = [];
    for (let i = 0; i < f.wname.length; i++) {
      try {
        if (!isDir(qid)) fail(E.Enotdir);
        const e = await this.fs.walk(node, f.wname[i]!, req);
        node = e.node; qid = e.qid;
        wqid.push(qid);
      } catch (e) {
        if (i === 0) throw e;
        return { type: 'Rwalk', tag: f.tag, wqid };
      }
    }
    if (f.newfid === f.fid) { fid.node = node; fid.qid = qid; }
    else {
      this.claim(f.newfid);
      this.fids.set(f.newfid, newFid(f.newfid, node, qid, fid.uname));
    }
    return { type: 'Rwalk', tag: f.tag, wqid };
  }

  async open(fid: Fid<N>, mode: number, signal: Flight): Promise<{ qid: Qid; iounit: number }> {
    if (fid.omode >= 0) fail(E.Eopen);
    if (isDir(fid.qid) && (mode & 3) !== 0) fail(E.Eisdir);
    if (isDir(fid.qid) && (mode & OTRUNC)) fail(E.Eisdir);
    const req = this.reqFor(fid, signal);
    const d = await this.fs.stat(fid.node, req);
    if (!hasPerm(d, fid.uname, accessFor(mode))) fail(E.Eperm);
    const o = (await this.fs.open(fid.node, mode, req)) ?? {};
    if (fid.omode >= 0) fail(E.Eopen); // lost a race with another open of this fid
    if (o.node !== undefined) fid.node = o.node;
    if (o.qid) fid.qid = o.qid;
    fid.omode = mode;
    fid.iounit = o.iounit || this.iounit;
    fid.dirents = undefined; fid.dirIndex = 0; fid.dirOffset = 0;
    return { qid: fid.qid, iounit: fid.iounit };
  }

  async create(fid: Fid<N>, name: string, perm: number, mode: number, signal: Flight, plan9Perm: boolean): Promise<{ qid: Qid; iounit: number }> {
    if (fid.omode >= 0) fail(E.Eopen);
    if (!isDir(fid.qid)) fail(E.Enotdir);
    if (!validName(name)) fail(Buffer.byteLength(name) > 255 ? E.Etoolong : E.Ebadname);
    if ((perm & DMDIR) && (mode & 3) !== 0) fail(E.Eisdir);
    const req = this.reqFor(fid, signal);
    const d = await this.fs.stat(fid.node, req);
    if (!hasPerm(d, fid.uname, 2)) fail(E.Eperm);
    const e = await this.fs.create(fid.node, name, plan9Perm ? createPerm(perm, d.mode) : perm, mode, req);
    // The fid now stands for the new, open file (create(5)).
    fid.node = e.node; fid.qid = e.qid; fid.omode = mode; fid.iounit = this.iounit;
    fid.dirents = undefined; fid.dirIndex = 0; fid.dirOffset = 0;
    return { qid: e.qid, iounit: fid.iounit };
  }

  private async read(fid: Fid<N>, offset: number, count: number, signal: Flight): Promise<Uint8Array> {
    if (fid.omode < 0) fail(E.Enotopen);
    if (!canRead(fid.omode)) fail(E.Ebadmode);
    count = Math.min(count, this.iounit);
    const req = this.reqFor(fid, signal);
    if (!isDir(fid.qid)) {
      const data = await this.fs.read(fid.node, offset, count, req);
      return data.length > count ? data.subarray(0, count) : data;
    }
    // Directory reads: whole stat records, offsets only 0 or where the last read ended (read(5)).
    if (offset === 0) { fid.dirents = await this.fs.readdir(fid.node, req); fid.dirIndex = 0; fid.dirOffset = 0; }
    else if (offset !== fid.dirOffset || !fid.dirents) fail(E.Ebadoffset);
    const ents = fid.dirents!;
    const parts: Buffer[] = [];
    let n = 0;
    while (fid.dirIndex < ents.length) {
      const b = packDir(ents[fid.dirIndex]!);
      // An entry that does not fit waits for the next read; a read with room for none returns
      // nothing (lib9p does the same, and Linux asks for the remainder of a short read).
      if (n + b.length > count) break;
      parts.push(b); n += b.length; fid.dirIndex++;
    }
    fid.dirOffset += n;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
  }

  async wstat(fid: Fid<N>, d: Dir, signal: Flight): Promise<void> {
    if (d.mode !== 0xffffffff && ((d.mode & DMDIR) !== 0) !== ((fid.qid.type & QTDIR) !== 0)) fail(E.Edirchange);
    if (d.name !== '' && !validName(d.name)) fail(E.Ebadname);
    await this.fs.wstat(fid.node, d, this.reqFor(fid, signal));
  }
}

/** Every fid a request names, so requests on one fid execute in arrival order. */
function fidsOf(f: Fcall): number[] {
  switch (f.type) {
    case 'Twalk': case 'Txattrwalk': return f.newfid === f.fid ? [f.fid] : [f.fid, f.newfid];
    case 'Tattach': return [f.fid];
    case 'Trename': return [f.fid, f.dfid];
    case 'Tlink': return [f.fid, f.dfid];
    case 'Tmknod': case 'Tmkdir': return [f.dfid];
    case 'Trenameat': return [f.olddirfid, f.newdirfid];
    case 'Tunlinkat': return [f.dirfd];
    default: return 'fid' in f ? [f.fid] : [];
  }
}

export { ProtocolError };
