// Split a byte stream into 9P frames. Any duplex byte stream can carry 9P through this:
// TCP, unix sockets, a QEMU serial line, WebSocket payloads.
//
// Frames larger than msize but of believable size are skipped and reported (the boundary
// is known, so the connection stays usable); a size below 4 or above the hard limit
// means the boundary cannot be trusted and the stream is declared broken.

import { HEADER_SIZE } from '../9p/constants.ts';
import { ProtocolError } from '../9p/wire.ts';

export interface FramerEvents {
  frame(buf: Buffer): void;
  /** A frame whose boundary is known but which must not be decoded. */
  reject(err: ProtocolError): void;
  /** The stream cannot be resynchronised; the link must close. */
  broken(err: ProtocolError): void;
}

/** Frames above this are never believable, whatever the msize. */
export const HARD_FRAME_LIMIT = 16 << 20;

export class Framer {
  private chunks: Buffer[] = [];
  private have = 0;
  /** Bytes still to be thrown away from an oversized frame. */
  private skipping = 0;
  private dead = false;
  maxFrame: number;
  private readonly ev: FramerEvents;

  constructor(ev: FramerEvents, maxFrame: number) {
    this.ev = ev;
    this.maxFrame = maxFrame;
  }

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number { return this.have; }

  push(chunk: Buffer): void {
    if (this.dead) return;
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, chunk.length);
      this.skipping -= n;
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.chunks.push(chunk);
    this.have += chunk.length;
    while (!this.dead && this.have >= 4) {
      const size = this.peekU32();
      if (size < 4 || size > HARD_FRAME_LIMIT) {
        this.dead = true;
        this.ev.broken(new ProtocolError(`frame size ${size} is not believable; closing the connection`));
        return;
      }
      if (size > this.maxFrame) {
        if (this.have < HEADER_SIZE) return;
        const head = this.take(Math.min(this.have, size));
        const tag = head.readUInt16LE(5);
        this.skipping = size - head.length;
        this.ev.reject(new ProtocolError(`frame of ${size} bytes exceeds msize ${this.maxFrame}`, tag));
        continue;
      }
      if (this.have < size) return;
      const frame = this.take(size);
      if (size < HEADER_SIZE) this.ev.reject(new ProtocolError(`frame of ${size} bytes is shorter than the 7-byte header`));
      else this.ev.frame(frame);
    }
  }

  private peekU32(): number {
    const c0 = this.chunks[0]!;
    if (c0.length >= 4) return c0.readUInt32LE(0);
    const b = Buffer.alloc(4);
    let o = 0;
    for (const c of this.chunks) { const n = Math.min(4 - o, c.length); c.copy(b, o, 0, n); o += n; if (o === 4) break; }
    return b.readUInt32LE(0);
  }

  /** Remove n bytes from the front; zero-copy when they lie in one chunk. */
  private take(n: number): Buffer {
    const c0 = this.chunks[0]!;
    let out: Buffer;
    if (c0.length >= n) {
      out = c0.subarray(0, n);
      if (c0.length === n) this.chunks.shift(); else this.chunks[0] = c0.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let o = 0;
      while (o < n) {
        const c = this.chunks[0]!;
        const k = Math.min(n - o, c.length);
        c.copy(out, o, 0, k);
        o += k;
        if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k);
      }
    }
    this.have -= n;
    return out;
  }
}
