// The 9P client session over any Link: version negotiation, attach, tag multiplexing
// (many requests in flight, replies in any order), flush(5), fid numbers, and close.
// Every failure reaches the caller as an Error whose message is a Plan 9 error string.

import { Dialect, IOHDRSZ, MAX_MSIZE, NOFID, NOTAG } from '../9p/constants.ts';
import type { FcallType, Msg, Qid, RMsg, TMsg } from '../9p/fcall.ts';
import { Einterrupted, Etags, Efids, P9Error, enameOf, p9error } from '../9p/errors.ts';
import type { ProtocolError } from '../9p/wire.ts';
import type { Link } from '../transport/link.ts';
import { NumPool } from './pool.ts';
import type { Interrupt } from '../interrupt.ts';

/** T-messages a caller may send through rpc() (Tversion belongs to connect()). */
export type TType = Exclude<TMsg['type'], 'Tversion' | 'Tlerror'>;
/** A T-message without its tag: the client picks the tag. */
export type TRequest = TMsg extends infer M ? M extends TMsg ? M['type'] extends TType ? Omit<M, 'tag'> : never : never : never;
/** The R-message that answers a T-message type, e.g. ReplyTo<'Twalk'> is Msg<'Rwalk'>. */
export type ReplyTo<K extends TType> = K extends `T${infer N}` ? Msg<Extract<`R${N}`, FcallType>> : never;

/** The uid meaning "no numeric uid given" in a 9P2000.L attach (~0). */
export const NONUNAME = 0xffffffff;
/** The smallest msize we accept from a server. */
export const MIN_MSIZE = 256;

export interface ConnectOptions {
  /** Largest message we propose; the server may answer less. Default 1 MiB + IOHDRSZ (iounit 1 MiB). */
  msize?: number;
  /**
   * Dialect to ask for; a server may answer 9P2000 to a 9P2000.L request. By default 9P2000
   * (Cohesix's own) is asked first and 9P2000.L when the server refuses it (diod does).
   */
  version?: Dialect;
  /** User name to attach as. Default 'none'. */
  uname?: string;
  /** Numeric uid for 9P2000.L attach (n_uname). Default NONUNAME. */
  nuname?: number;
  /** Tree to attach to. Default ''. */
  aname?: string;
  /** Numeric gid put in 9P2000.L create/mkdir requests. Default NONUNAME (server's choice). */
  gid?: number;
}

export interface RpcOptions {
  /** Aborting sends Tflush; the call then rejects with 'interrupted' unless the reply won the race. */
  signal?: Interrupt;
}

interface Pending {
  readonly kind: 'call';
  readonly t: TRequest | Omit<Msg<'Tversion'>, 'tag'>;
  resolve(r: RMsg): void;
  reject(e: Error): void;
  /** Set once a Tflush for this request is on the wire. */
  flushTag?: number;
  /** The reply arrived while a flush was outstanding; the tag waits for Rflush before reuse. */
  answered?: boolean;
  /** Detaches the AbortSignal listener. */
  detach?: () => void;
  reason?: unknown;
}

interface PendingFlush {
  readonly kind: 'flush';
  readonly oldtag: number;
}

/** Expected reply type for a request type. */
function replyType(t: string): string {
  return 'R' + t.slice(1);
}

export class Client {
  readonly link: Link;
  /** The negotiated dialect. */
  dialect: Dialect = Dialect.P2000L;
  /** The negotiated msize. */
  msize = 0;
  /** The fid of the attached root, and its qid. */
  rootFid = NOFID;
  rootQid: Qid = { type: 0, version: 0, path: 0 };
  uname = 'none';
  aname = '';
  nuname = NONUNAME;
  gid = NONUNAME;
  /** Why the session ended, once it has. */
  closeReason: Error | undefined;
  /** Settles (never rejects) with the reason when the link closes. */
  readonly closed: Promise<Error>;

  private readonly tags = new NumPool(NOTAG);
  private readonly fids = new NumPool(NOFID);
  private readonly pending = new Map<number, Pending | PendingFlush>();
  private closing = false;
  private onClosed!: (e: Error) => void;

  private constructor(link: Link) {
    this.link = link;
    this.closed = new Promise((res) => { this.onClosed = res; });
    link.start({
      message: (f) => this.deliver(f as RMsg),
      badFrame: (e) => this.badFrame(e),
      close: (e) => this.hangup(e),
    });
  }

  /** Negotiate the version and attach: the usual way to start a session. */
  static async connect(link: Link, opts: ConnectOptions = {}): Promise<Client> {
    const c = new Client(link);
    try {
      const msize = opts.msize ?? MAX_MSIZE + IOHDRSZ;
      if (opts.version) await c.version(msize, opts.version);
      else {
        try {
          await c.version(msize, Dialect.P2000);
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          try {
            await c.version(msize, Dialect.P2000L);
          } catch (e2) {
            if (e2 instanceof Refused) throw new P9Error(`server does not speak 9P2000 or 9P2000.L: ${e.message}; ${e2.message}`);
            throw e2;
          }
        }
      }
      c.uname = opts.uname ?? 'none';
      c.aname = opts.aname ?? '';
      c.nuname = opts.nuname ?? NONUNAME;
      c.gid = opts.gid ?? NONUNAME;
      const { fid, qid } = await c.attach(c.uname, c.aname, c.nuname);
      c.rootFid = fid;
      c.rootQid = qid;
      return c;
    } catch (e) {
      c.close();
      throw e;
    }
  }

  /** The largest data count of one Tread/Twrite this session can carry. */
  get iounit(): number { return this.msize - IOHDRSZ; }

  /** Requests awaiting a reply (Tflush included). */
  get inflight(): number { return this.pending.size; }

  /** Fids currently allocated (the root included). */
  get fidsInUse(): number { return this.fids.size; }

  get isClosed(): boolean { return this.closeReason !== undefined; }

  private async version(msize: number, version: Dialect): Promise<void> {
    if (version !== Dialect.P2000 && version !== Dialect.P2000L) throw new P9Error(`unknown 9P version ${String(version)}`);
    // Tversion and Rversion look the same in both dialects; decoding as .L meanwhile lets a
    // server that refuses with Rlerror (diod does, to '9P2000') be understood.
    this.link.setDialect(Dialect.P2000L);
    let r: Msg<'Rversion'>;
    try {
      r = await this.call({ type: 'Tversion', msize, version }, NOTAG) as Msg<'Rversion'>;
    } catch (e) {
      if (this.closeReason) throw e;
      throw new Refused(`server does not speak ${version}: ${(e as Error).message}`);
    }
    let d: Dialect;
    if (r.version === version) d = version;
    else if (version === Dialect.P2000L && r.version === Dialect.P2000) d = Dialect.P2000;
    else if (r.version === 'unknown') throw new Refused(`server does not speak ${version}`);
    else throw new Refused(`server answered version '${r.version}' to '${version}'`);
    if (r.msize > msize) throw new P9Error(`server raised msize from ${msize} to ${r.msize}`);
    if (r.msize < MIN_MSIZE) throw new P9Error(`server msize ${r.msize} is too small`);
    this.dialect = d;
    this.msize = r.msize;
    this.link.setDialect(d);
    this.link.setMsize(r.msize);
  }

  /** Attach another tree (or the same as another user); the caller owns the returned fid. */
  async attach(uname: string, aname: string, nuname = NONUNAME): Promise<{ fid: number; qid: Qid }> {
    const fid = this.allocFid();
    try {
      const t: TRequest = this.dialect === Dialect.P2000L
        ? { type: 'Tattach', fid, afid: NOFID, uname, aname, nuname }
        : { type: 'Tattach', fid, afid: NOFID, uname, aname };
      const r = await this.rpc(t);
      return { fid, qid: r.qid };
    } catch (e) {
      this.releaseFid(fid);
      throw e;
    }
  }

  /** A fid number not in use. Release it with releaseFid once the server has forgotten it. */
  allocFid(): number {
    const f = this.fids.alloc();
    if (f === undefined) throw new P9Error(Efids);
    return f;
  }

  /** Give a fid number back (after Rclunk, Rremove, a failed walk to it, ...). */
  releaseFid(fid: number): void {
    if (this.fids.has(fid)) this.fids.free(fid);
  }

  /**
   * Send one T-message and wait for its answer. The message goes on the wire before this
   * returns, so several calls in a row are pipelined. Rerror and Rlerror reject with the
   * Plan 9 error string.
   */
  rpc<T extends TRequest>(t: T, opts: RpcOptions = {}): Promise<ReplyTo<T['type']>> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    if (opts.signal?.aborted) return Promise.reject(interrupted(opts.signal.reason));
    const tag = this.tags.alloc();
    if (tag === undefined) return Promise.reject(new P9Error(Etags));
    const p = this.call(t, tag);
    const signal = opts.signal;
    const entry = this.pending.get(tag);
    if (signal && entry?.kind === 'call') {
      const onAbort = (): void => this.flush(tag, signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      entry.detach = () => signal.removeEventListener('abort', onAbort);
    }
    return p as Promise<ReplyTo<T['type']>>;
  }

  private call(t: TRequest | Omit<Msg<'Tversion'>, 'tag'>, tag: number): Promise<RMsg> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    return new Promise<RMsg>((resolve, reject) => {
      this.pending.set(tag, { kind: 'call', t, resolve, reject });
      try {
        this.link.send({ ...t, tag } as TMsg);
      } catch (e) {
        // Nothing went on the wire (e.g. a string too long to encode): the tag is free again.
        this.pending.delete(tag);
        if (tag !== NOTAG) this.tags.free(tag);
        reject(e instanceof Error ? e : new P9Error(String(e)));
      }
    });
  }

  /** Ask the server to abandon a request (flush(5)). */
  private flush(oldtag: number, reason: unknown): void {
    const old = this.pending.get(oldtag);
    if (!old || old.kind !== 'call' || old.flushTag !== undefined || old.answered || this.closeReason) return;
    const ftag = this.tags.alloc();
    if (ftag === undefined) return; // no tag to flush with: the reply will still come
    old.flushTag = ftag;
    old.reason = reason;
    this.pending.set(ftag, { kind: 'flush', oldtag });
    try {
      this.link.send({ type: 'Tflush', tag: ftag, oldtag });
    } catch {
      this.pending.delete(ftag);
      this.tags.free(ftag);
      old.flushTag = undefined;
    }
  }

  private deliver(r: RMsg): void {
    const tag = r.type === 'Rversion' && this.pending.has(NOTAG) ? NOTAG : r.tag;
    const p = this.pending.get(tag);
    if (!p) return; // a stray or late reply: nothing waits for it
    if (p.kind === 'flush') {
      // Rflush (or, against the rules, an error): the old tag is dead and may be reused.
      this.pending.delete(tag);
      this.tags.free(tag);
      const old = this.pending.get(p.oldtag);
      if (old?.kind === 'call') {
        this.pending.delete(p.oldtag);
        this.tags.free(p.oldtag);
        if (!old.answered) {
          old.detach?.();
          old.reject(interrupted(old.reason));
        }
      }
      return;
    }
    if (p.answered) return; // a second reply for a tag that awaits Rflush
    if (p.flushTag !== undefined) {
      // The reply beat the flush: honour it (it may have created a fid or a file), but keep
      // the tag reserved until Rflush arrives.
      p.answered = true;
    } else {
      this.pending.delete(tag);
      if (tag !== NOTAG) this.tags.free(tag);
    }
    p.detach?.();
    settle(p, r);
  }

  private badFrame(e: ProtocolError): void {
    if (e.tag === undefined) return;
    const p = this.pending.get(e.tag);
    if (!p || p.kind !== 'call' || p.answered) return;
    if (p.flushTag !== undefined) p.answered = true;
    else {
      this.pending.delete(e.tag);
      if (e.tag !== NOTAG) this.tags.free(e.tag);
    }
    p.detach?.();
    p.reject(new P9Error(`bad 9P reply to ${p.t.type}: ${e.message}`));
  }

  private hangup(err?: Error): void {
    if (this.closeReason) return;
    const why = this.closing ? 'closed by client' : err ? err.message : `hung up by ${this.link.remote}`;
    const e = new P9Error(`connection closed: ${why}`);
    this.closeReason = e;
    const ps = [...this.pending.values()];
    this.pending.clear();
    for (const p of ps) {
      if (p.kind !== 'call' || p.answered) continue;
      p.detach?.();
      p.reject(e);
    }
    this.onClosed(e);
  }

  /** End the session: every call in flight rejects with "connection closed: ...". */
  close(): void {
    if (this.closeReason) return;
    this.closing = true;
    this.link.close();
    this.hangup(); // in case the link does not report its own close
  }
}

/** The server would not speak the version asked for (another may be tried). */
class Refused extends P9Error {}

function interrupted(reason: unknown): P9Error {
  const e = new P9Error(Einterrupted);
  if (reason !== undefined) e.cause = reason;
  return e;
}

function settle(p: Pending, r: RMsg): void {
  if (r.type === 'Rerror') { p.reject(p9error(r.ename)); return; }
  if (r.type === 'Rlerror') { p.reject(new P9Error(enameOf(r.ecode))); return; }
  const want = replyType(p.t.type);
  if (r.type !== want) { p.reject(new P9Error(`protocol botch: ${p.t.type} answered by ${r.type}`)); return; }
  p.resolve(r);
}
