// CFid: one client fid (plan9port's lib9pclient CFid): walked, then maybe opened; read and
// write at offsets, with several requests in flight for large transfers; directory reads
// in either dialect; stat, wstat, clunk, remove.

import { Dialect, IOHDRSZ, ORCLOSE, NOFID, QTDIR } from '../9p/constants.ts';
import type { Dir, Msg, Qid, RMsg } from '../9p/fcall.ts';
import { Enotdir, Enotopen, P9Error } from '../9p/errors.ts';
import { unpackDirs } from '../9p/wire.ts';
import type { Client, RpcOptions } from './client.ts';
import { createMsgs, dirOf, direntToDir, openMsg, setattrOf, statMsg, unpackDirents, wstatDir } from './dialect.ts';
import type { DirChanges } from './dialect.ts';
import { baseName, splitPath, walkFid } from './walk.ts';

/** readAll trusts a file's stated length for one buffer up to this size. */
const MAX_PREALLOC = 1 << 30;

/** Replies put together in order: in one buffer of the expected size while they fit, else concatenated. */
class Assembly {
  total = 0;
  private buf: Buffer | undefined;
  private readonly chunks: Uint8Array[] = [];
  expect(n: number): void {
    if (n > 0 && n <= MAX_PREALLOC) this.buf = Buffer.alloc(n); // zeroed, and for large n no dearer
  }
  push(d: Uint8Array): void {
    if (this.buf && this.total + d.length <= this.buf.length) this.buf.set(d, this.total);
    else {
      if (this.buf) { this.chunks.push(this.buf.subarray(0, this.total)); this.buf = undefined; }
      this.chunks.push(d);
    }
    this.total += d.length;
  }
  result(): Buffer {
    const b = this.buf;
    if (!b) return Buffer.concat(this.chunks, this.total);
    if (this.total === b.length) return b;
    // The file was shorter than it said: don't keep a mostly empty buffer alive.
    return this.total < b.length / 2 ? Buffer.from(b.subarray(0, this.total)) : b.subarray(0, this.total);
  }
}

/** Requests kept in flight by readAll/writeAll. */
export const WINDOW = 8;
/** The error for a write the server took only part of (not in errors.ts: no server says it). */
export const Eshortwrite = 'short write';

export class CFid {
  readonly client: Client;
  /** The fid number; NOFID once clunked or removed. */
  fid: number;
  qid: Qid;
  /** The path this fid was reached by, for messages and for the name of a .L stat. */
  path: string;
  /** The open mode, or -1 while not open. */
  mode = -1;
  /** Largest count per Tread/Twrite (Ropen's iounit, or msize - IOHDRSZ when it said 0). */
  iounit = 0;
  /** Offset used and advanced by read() and write(). */
  offset = 0;
  /** ORCLOSE in 9P2000.L has no wire spelling: clunk() removes instead. */
  private removeOnClunk = false;
  /** Where the next directory read starts: a byte offset (9P2000) or a cookie (.L). */
  private dirPos: number | bigint = 0;

  constructor(client: Client, fid: number, qid: Qid, path: string) {
    this.client = client;
    this.fid = fid;
    this.qid = qid;
    this.path = path;
  }

  get isOpen(): boolean { return this.mode >= 0; }

  private live(): number {
    if (this.fid === NOFID) throw new P9Error(`fid for '${this.path}' already clunked`);
    return this.fid;
  }

  /** Walk from this fid to a new CFid (a clone for '' or '.'); this fid must not be open. */
  async walk(path: string): Promise<CFid> {
    const names = splitPath(path, false);
    const shown = this.path.replace(/\/$/, '') + '/' + names.join('/');
    const w = await walkFid(this.client, this.live(), names, shown);
    return new CFid(this.client, w.fid, w.qid ?? this.qid, names.length ? shown : this.path);
  }

  /** Record an Ropen/Rlopen/Rcreate/Rlcreate: the fid is now open with mode. */
  opened(r: RMsg, mode: number): void {
    if (r.type !== 'Ropen' && r.type !== 'Rlopen' && r.type !== 'Rcreate' && r.type !== 'Rlcreate') {
      throw new P9Error(`protocol botch: ${r.type} where an open was expected`);
    }
    this.qid = r.qid;
    this.mode = mode;
    const max = this.client.msize - IOHDRSZ;
    this.iounit = r.iounit > 0 && r.iounit < max ? r.iounit : max;
    this.offset = 0;
    this.dirPos = this.client.dialect === Dialect.P2000L ? 0n : 0;
    this.removeOnClunk = this.client.dialect === Dialect.P2000L && (mode & ORCLOSE) !== 0;
  }

  /** Open with a Plan 9 mode (OREAD, OWRITE, ORDWR, OEXEC, | OTRUNC, ORCLOSE). */
  async open(mode: number): Promise<void> {
    const r = await this.client.rpc(openMsg(this.client.dialect, this.live(), mode));
    this.opened(r, mode);
  }

  /** Create name in this directory; the fid becomes the new file, open with mode (create(5)). */
  async create(name: string, perm: number, mode: number): Promise<void> {
    const msgs = createMsgs(this.client.dialect, this.live(), name, perm, mode, this.client.gid);
    let last: RMsg | undefined;
    for (const t of msgs) last = await this.client.rpc(t);
    this.path = this.path.replace(/\/$/, '') + '/' + name;
    this.opened(last!, mode);
  }

  private needOpen(): number {
    const fid = this.live();
    if (!this.isOpen) throw new P9Error(Enotopen);
    return fid;
  }

  /** One Tread of at most iounit bytes at offset; fewer bytes than asked means end of file. */
  async pread(count: number, offset: number, opts?: RpcOptions): Promise<Uint8Array> {
    const fid = this.needOpen();
    const r = await this.client.rpc({ type: 'Tread', fid, offset, count: Math.min(count, this.iounit) }, opts);
    return r.data;
  }

  /** Write data at offset (in iounit pieces, WINDOW in flight); returns the count written. */
  async pwrite(data: Uint8Array, offset: number, opts?: RpcOptions): Promise<number> {
    const fid = this.needOpen();
    if (data.length <= this.iounit) {
      const r = await this.client.rpc({ type: 'Twrite', fid, offset, data }, opts);
      return r.count;
    }
    await this.writeAll(data, offset, opts);
    return data.length;
  }

  /** Read at this.offset and advance it. */
  async read(count: number, opts?: RpcOptions): Promise<Uint8Array> {
    const d = await this.pread(count, this.offset, opts);
    this.offset += d.length;
    return d;
  }

  /** Write at this.offset and advance it. */
  async write(data: Uint8Array | string, opts?: RpcOptions): Promise<number> {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    const n = await this.pwrite(b, this.offset, opts);
    this.offset += n;
    return n;
  }

  /**
   * Read from offset to end of file with WINDOW Treads of iounit in flight, assembled in
   * order. A short read ends the file, unless a read beyond it still returned data (a
   * server that answers short reads mid-file): then reading goes on one request at a time
   * until an empty read.
   */
  async readAll(offset = 0, opts?: RpcOptions): Promise<Buffer> {
    const fid = this.needOpen();
    const n = this.iounit;
    // The length, asked for ahead of the first Treads (no extra round trip), lets each reply
    // be copied into one buffer as it arrives instead of kept and concatenated at the end.
    const length = this.client.rpc(statMsg(this.client.dialect, fid), opts).then((r) => dirOf(r, '').length, () => 0);
    const out = new Assembly();
    const queue: Promise<Msg<'Rread'>>[] = [];
    let next = offset;
    const issue = (): void => {
      const p = this.client.rpc({ type: 'Tread', fid, offset: next, count: n }, opts);
      p.catch(() => undefined); // judged in order below; don't let a later one go unhandled
      queue.push(p);
      next += n;
    };
    let eof = false, more = false;
    try {
      for (let i = 0; i < WINDOW; i++) issue();
      out.expect((await length) - offset);
      while (queue.length) {
        const d = (await queue.shift()!).data;
        if (eof) { if (d.length) more = true; continue; }
        out.push(d);
        if (d.length < n) eof = true; else issue();
      }
    } finally {
      await Promise.allSettled([length, ...queue]);
    }
    for (let at = offset + out.total; more;) {
      const d = (await this.client.rpc({ type: 'Tread', fid, offset: at, count: n }, opts)).data;
      out.push(d);
      at += d.length;
      more = d.length > 0;
    }
    return out.result();
  }

  /** Write all of data from offset, WINDOW Twrites of iounit in flight; throws on a short write. */
  async writeAll(data: Uint8Array, offset = 0, opts?: RpcOptions): Promise<void> {
    const fid = this.needOpen();
    const n = this.iounit;
    const inflight: { p: Promise<Msg<'Rwrite'>>; len: number }[] = [];
    let pos = 0;
    const issue = (): void => {
      const piece = data.subarray(pos, pos + n);
      const p = this.client.rpc({ type: 'Twrite', fid, offset: offset + pos, data: piece }, opts);
      p.catch(() => undefined);
      inflight.push({ p, len: piece.length });
      pos += piece.length;
    };
    try {
      while (pos < data.length && inflight.length < WINDOW) issue();
      while (inflight.length) {
        const w = inflight.shift()!;
        const r = await w.p;
        if (r.count !== w.len) throw new P9Error(Eshortwrite);
        if (pos < data.length) issue();
      }
    } finally {
      await Promise.allSettled(inflight.map((w) => w.p));
    }
  }

  /** The next entries of an open directory; [] at the end. '.' and '..' are never listed. */
  async dirread(opts?: RpcOptions): Promise<Dir[]> {
    const fid = this.needOpen();
    if (!(this.qid.type & QTDIR)) throw new P9Error(Enotdir);
    for (;;) {
      if (typeof this.dirPos === 'bigint') {
        const r = await this.client.rpc({ type: 'Treaddir', fid, offset: this.dirPos, count: this.iounit }, opts);
        const ents = unpackDirents(r.data);
        if (!ents.length) return [];
        this.dirPos = ents[ents.length - 1]!.offset;
        const dirs = ents.filter((e) => e.name !== '.' && e.name !== '..').map(direntToDir);
        if (dirs.length) return dirs;
      } else {
        const r = await this.client.rpc({ type: 'Tread', fid, offset: this.dirPos, count: this.iounit }, opts);
        this.dirPos += r.data.length;
        return unpackDirs(r.data);
      }
    }
  }

  /** Read an open directory from its start again (read(5): a read at offset 0 restarts it). */
  rewindDir(): void {
    this.needOpen();
    this.dirPos = this.client.dialect === Dialect.P2000L ? 0n : 0;
  }

  /** Every remaining entry of an open directory. */
  async dirreadall(opts?: RpcOptions): Promise<Dir[]> {
    const all: Dir[] = [];
    for (let d = await this.dirread(opts); d.length; d = await this.dirread(opts)) all.push(...d);
    return all;
  }

  async stat(opts?: RpcOptions): Promise<Dir> {
    const r = await this.client.rpc(statMsg(this.client.dialect, this.live()), opts);
    return dirOf(r, baseName(this.path));
  }

  /**
   * Change name, mode, length, times or owners (absent fields stay). 9P2000 sends one Twstat;
   * .L sends Tsetattr and, for a new name, Trename within the parent directory.
   */
  async wstat(ch: DirChanges): Promise<void> {
    const c = this.client, fid = this.live();
    if (c.dialect !== Dialect.P2000L) {
      await c.rpc({ type: 'Twstat', fid, stat: wstatDir(ch) });
    } else {
      const attr = setattrOf(ch);
      if (attr) await c.rpc({ type: 'Tsetattr', fid, attr });
      if (ch.name !== undefined && ch.name !== '' && ch.name !== baseName(this.path)) {
        wstatDir({ name: ch.name }); // checks the name
        // The parent is walked to from the root by this fid's path: '..' cannot be walked from a file.
        const dir = splitPath(this.path).slice(0, -1);
        const parent = await walkFid(c, c.rootFid, dir, '/' + dir.join('/'));
        try {
          await c.rpc({ type: 'Trename', fid, dfid: parent.fid, name: ch.name });
        } finally {
          await c.rpc({ type: 'Tclunk', fid: parent.fid }).catch(() => undefined);
          c.releaseFid(parent.fid);
        }
      }
    }
    if (ch.name) this.path = this.path.replace(/[^/]*\/?$/, ch.name);
  }

  /** Forget the fid (removing the file if it was opened ORCLOSE under .L). Safe to call twice. */
  async clunk(): Promise<void> {
    if (this.fid === NOFID) return;
    if (this.removeOnClunk) return this.remove();
    const fid = this.fid;
    this.fid = NOFID;
    try {
      await this.client.rpc({ type: 'Tclunk', fid });
    } finally {
      this.client.releaseFid(fid);
    }
  }

  /** Remove the file; the fid is clunked whether or not that succeeds (remove(5)). */
  async remove(): Promise<void> {
    const fid = this.live();
    this.fid = NOFID;
    try {
      await this.client.rpc({ type: 'Tremove', fid });
    } finally {
      this.client.releaseFid(fid);
    }
  }
}
