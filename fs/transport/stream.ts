// A Link over any duplex byte stream (net.Socket, a serial line, a child's stdio).

import type { Duplex } from 'node:stream';
import { Dialect, MAX_MSIZE, IOHDRSZ } from '../9p/constants.ts';
import type { Fcall } from '../9p/fcall.ts';
import { decode, encode, encodeSplit } from '../9p/codec.ts';
import { ProtocolError } from '../9p/wire.ts';
import { Framer } from './framer.ts';
import type { Link, LinkHandlers } from './link.ts';

export interface StreamLinkOptions {
  /** Called for every frame in and out, for traces (see fcallText). */
  trace?: (dir: '<-' | '->', f: Fcall) => void;
}

/** Data of at least this many bytes is sent without copying it into the frame. */
const SPLIT_MIN = 16384;

/** Bytes of unread replies after which we stop reading requests. */
const BACKLOG_LIMIT = 4 << 20;

export class StreamLink implements Link {
  readonly remote: string;
  private readonly stream: Duplex;
  private dialect: Dialect = Dialect.P2000;
  private readonly framer: Framer;
  private h: LinkHandlers | undefined;
  private closed = false;
  private readonly trace: StreamLinkOptions['trace'];
  private paused = false;

  constructor(stream: Duplex, remote: string, opts: StreamLinkOptions = {}) {
    this.stream = stream;
    this.remote = remote;
    this.trace = opts.trace;
    // Until Tversion settles msize, accept up to our maximum.
    this.framer = new Framer({
      frame: (buf) => this.onFrame(buf),
      reject: (err) => this.h?.badFrame(err),
      broken: (err) => this.fail(err),
    }, MAX_MSIZE + IOHDRSZ);
  }

  get backlog(): number { return this.stream.writableLength; }

  start(h: LinkHandlers): void {
    this.h = h;
    this.stream.on('data', (b: Buffer) => this.framer.push(b));
    this.stream.on('error', (e) => this.fail(e));
    this.stream.on('close', () => this.fail());
    this.stream.on('end', () => this.fail());
  }

  private onFrame(buf: Buffer): void {
    let f: Fcall;
    try {
      f = decode(buf, this.dialect);
    } catch (e) {
      if (e instanceof ProtocolError) { this.h?.badFrame(e); return; }
      throw e;
    }
    this.trace?.('<-', f);
    if (f.type[0] === 'T') this.unanswered.add(f.tag);
    this.h?.message(f);
  }

  private corked = false;
  /** Tags of requests received since the cork was last released and not yet answered. */
  private readonly unanswered = new Set<number>();

  /**
   * Release the cork at the end of this tick, or, while requests that arrived with the ones
   * just answered are still running, at the end of this event-loop turn (setImmediate): a
   * pipelined Twrite+Tread whose Tread finishes a turn later then leaves in one writev too,
   * and the peer wakes once. A lone request's reply still waits for nothing.
   */
  private uncorkSoon(): void {
    process.nextTick(() => {
      if (this.unanswered.size === 0 || this.closed) return this.uncork();
      setImmediate(() => this.uncork());
    });
  }

  private uncork(): void {
    this.corked = false;
    this.unanswered.clear();
    if (!this.closed) this.stream.uncork();
  }

  send(f: Fcall): void {
    if (this.closed) return;
    this.trace?.('->', f);
    // Messages sent in one tick (pipelined requests, replies finishing together) leave in one
    // writev: one syscall instead of one per message (see uncorkSoon for how long).
    if (f.type[0] === 'R') this.unanswered.delete(f.tag);
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      this.uncorkSoon();
    }
    let ok: boolean;
    if ((f.type === 'Rread' || f.type === 'Twrite') && f.data.length >= SPLIT_MIN) {
      // Header and data go out in one writev: the data is not copied into a frame first.
      const [head, data] = encodeSplit(f, this.dialect);
      this.stream.cork();
      this.stream.write(head);
      ok = this.stream.write(data);
      this.stream.uncork();
    } else ok = this.stream.write(encode(f, this.dialect));
    // A peer that sends requests but does not read replies must not grow our memory:
    // stop reading its requests until it has taken what we wrote.
    if (!ok && this.stream.writableLength > BACKLOG_LIMIT && !this.paused) {
      this.paused = true;
      this.stream.pause();
      this.stream.once('drain', () => { this.paused = false; if (!this.closed) this.stream.resume(); });
    }
  }

  setDialect(d: Dialect): void { this.dialect = d; }
  setMsize(n: number): void { this.framer.maxFrame = n; }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.end();
    this.stream.destroy();
    this.h?.close();
  }

  private fail(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
    this.h?.close(err);
  }
}
