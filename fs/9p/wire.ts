// Little-endian primitive readers and writers for 9P frames.
// The Reader checks every read against the frame end and throws one ProtocolError,
// so a bad frame fails as a whole with a message naming what was short.

import type { Dir, Qid } from './fcall.ts';
import { U64_MAX } from './fcall.ts';

const TWO32 = 0x100000000;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A frame that cannot be decoded. tag is known when the header was readable. */
export class ProtocolError extends Error {
  readonly tag: number | undefined;
  constructor(message: string, tag?: number) {
    super(message);
    this.name = 'ProtocolError';
    this.tag = tag;
  }
}

export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  what = 'frame';
  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }
  need(n: number, field: string): void {
    if (this.pos + n > this.end) throw new ProtocolError(`${this.what}: truncated at ${field} (need ${n} bytes at offset ${this.pos}, frame ends at ${this.end})`);
  }
  u8(field: string): number { this.need(1, field); return this.buf[this.pos++]!; }
  u16(field: string): number { this.need(2, field); const v = this.buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  u32(field: string): number { this.need(4, field); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  u64(field: string): number {
    this.need(8, field);
    const lo = this.buf.readUInt32LE(this.pos), hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * TWO32 + lo;
  }
  u64big(field: string): bigint { this.need(8, field); const v = this.buf.readBigUInt64LE(this.pos); this.pos += 8; return v; }
  str(field: string): string {
    const n = this.u16(field + ' length');
    this.need(n, field);
    const s = this.pos;
    this.pos += n;
    // Fast path for ASCII, which is nearly every name on the wire.
    let ascii = true;
    for (let i = s; i < s + n; i++) {
      const c = this.buf[i]!;
      if (c === 0) throw new ProtocolError(`${this.what}: ${field} contains a NUL byte`);
      if (c >= 0x80) { ascii = false; break; }
    }
    if (ascii) return this.buf.toString('latin1', s, s + n);
    let out: string;
    try { out = utf8.decode(this.buf.subarray(s, s + n)); } catch { throw new ProtocolError(`${this.what}: ${field} is not valid UTF-8`); }
    if (out.includes('\0')) throw new ProtocolError(`${this.what}: ${field} contains a NUL byte`);
    return out;
  }
  bytes(n: number, field: string): Buffer { this.need(n, field); const b = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return b; }
  qid(field = 'qid'): Qid {
    this.need(13, field);
    const type = this.buf[this.pos]!;
    const version = this.buf.readUInt32LE(this.pos + 1);
    const path = this.buf.readUInt32LE(this.pos + 9) * TWO32 + this.buf.readUInt32LE(this.pos + 5);
    this.pos += 13;
    return { type, version, path };
  }
  /** stat(5): size[2] then the fixed fields and four strings, all within size. */
  dir(field = 'stat'): Dir {
    const size = this.u16(field + ' size');
    this.need(size, field);
    const end = this.pos + size;
    const saveEnd = (this as { end: number }).end;
    (this as { end: number }).end = end;
    try {
      const d: Dir = {
        type: this.u16('stat type'), dev: this.u32('stat dev'), qid: this.qid('stat qid'), mode: this.u32('stat mode'),
        atime: this.u32('stat atime'), mtime: this.u32('stat mtime'), length: this.u64('stat length'),
        name: this.str('stat name'), uid: this.str('stat uid'), gid: this.str('stat gid'), muid: this.str('stat muid'),
      };
      // 9P2000.u appends fields; plain 9P2000 readers skip what they don't know.
      this.pos = end;
      return d;
    } finally {
      (this as { end: number }).end = saveEnd;
    }
  }
  done(): void {
    if (this.pos !== this.end) throw new ProtocolError(`${this.what}: ${this.end - this.pos} trailing bytes`);
  }
}

export class Writer {
  buf: Buffer;
  pos = 0;
  constructor(size = 256) { this.buf = Buffer.allocUnsafe(size); }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const nb = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }
  u8(v: number): void { this.room(1); this.buf[this.pos++] = v & 0xff; }
  u16(v: number): void { this.room(2); this.buf.writeUInt16LE(v & 0xffff, this.pos); this.pos += 2; }
  u32(v: number): void { this.room(4); this.buf.writeUInt32LE(v >>> 0, this.pos); this.pos += 4; }
  u64(v: number): void {
    this.room(8);
    if (v >>> 0 === v) { // the common case: a small non-negative integer
      const b = this.buf, p = this.pos;
      b[p] = v; b[p + 1] = v >>> 8; b[p + 2] = v >>> 16; b[p + 3] = v >>> 24;
      b[p + 4] = 0; b[p + 5] = 0; b[p + 6] = 0; b[p + 7] = 0;
      this.pos = p + 8;
      return;
    }
    if (v >= U64_MAX) { this.buf.writeUInt32LE(0xffffffff, this.pos); this.buf.writeUInt32LE(0xffffffff, this.pos + 4); }
    else {
      const n = v < 0 ? 0 : Math.floor(v);
      this.buf.writeUInt32LE(n % TWO32, this.pos);
      this.buf.writeUInt32LE(Math.floor(n / TWO32), this.pos + 4);
    }
    this.pos += 8;
  }
  u64big(v: bigint): void { this.room(8); this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.pos); this.pos += 8; }
  str(s: string): void {
    const n = Buffer.byteLength(s);
    if (n > 0xffff) throw new ProtocolError(`string of ${n} bytes is too long for 9P`);
    if (s.includes('\0')) throw new ProtocolError('string contains a NUL byte');
    this.room(2 + n);
    this.buf.writeUInt16LE(n, this.pos);
    this.buf.write(s, this.pos + 2, n, 'utf8');
    this.pos += 2 + n;
  }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.pos); this.pos += b.length; }
  qid(q: Qid): void {
    this.u8(q.type); this.u32(q.version); this.u64(q.path);
  }
  dir(d: Dir): void {
    const start = this.pos;
    this.u16(0);
    this.u16(d.type); this.u32(d.dev); this.qid(d.qid); this.u32(d.mode);
    this.u32(d.atime); this.u32(d.mtime); this.u64(d.length);
    this.str(d.name); this.str(d.uid); this.str(d.gid); this.str(d.muid);
    const n = this.pos - start - 2;
    if (n > 0xffff) throw new ProtocolError(`stat record of ${n} bytes is too long for 9P`);
    this.buf.writeUInt16LE(n, start);
  }
  result(): Buffer { return this.buf.subarray(0, this.pos); }
}

/** The bytes of one stat record, as Rstat carries it and directory reads concatenate them. */
export function packDir(d: Dir): Buffer {
  const w = new Writer(64 + d.name.length + d.uid.length + d.gid.length + d.muid.length);
  w.dir(d);
  return w.result();
}

/** Split a directory read's data into Dirs; throws ProtocolError on a torn entry. */
export function unpackDirs(data: Uint8Array): Dir[] {
  const r = new Reader(data);
  r.what = 'directory data';
  const out: Dir[] = [];
  while (r.pos < r.end) out.push(r.dir());
  return out;
}
