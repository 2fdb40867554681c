// Fsys: a mounted 9P tree seen through paths (plan9port's lib9pclient CFsys), the same in
// 9P2000 and 9P2000.L. Common operations pipeline their requests (walk, open, read and
// clunk go out back to back) when the server keeps per-fid order (see FsysOptions.pipeline);
// an ambiguous failure is retried step by step and the session stops pipelining.

import { DMDIR, Dialect, OREAD, OTRUNC, OWRITE } from '../9p/constants.ts';
import type { Dir, RMsg } from '../9p/fcall.ts';
import { Errno, P9Error, errnoOf } from '../9p/errors.ts';
import type { Link } from '../transport/link.ts';
import { Client } from './client.ts';
import type { ConnectOptions, TRequest } from './client.ts';
import { CFid, Eshortwrite, WINDOW } from './cfid.ts';
import { createMsgs, dirOf, mkdirMsg, openMsg, setattrOf, statMsg, wstatDir } from './dialect.ts';
import type { DirChanges } from './dialect.ts';
import { pipeline } from './pipeline.ts';
import type { PipeResult } from './pipeline.ts';
import { WalkError, baseName, splitLast, splitPath, walkFid } from './walk.ts';

export interface FsysOptions {
  /**
   * Send dependent requests back to back (walk, open, read, clunk). This needs a server that
   * runs the requests on one fid in order, as Plan 9's and Cohesix's do. Default: on in a
   * 9P2000 session, off in 9P2000.L, whose servers (diod, QEMU) look fids up on arrival and
   * run requests on thread pools; diod 1.0.24 even crashes (SIGSEGV) when a Tclunk overtakes
   * a Tread on the same fid. When on, an ambiguous failure is retried step by step and
   * turns it off for the rest of the session.
   */
  pipeline?: boolean;
}

export interface ReaddirOptions {
  /** In 9P2000.L, fetch each entry's attributes (a Tgetattr each) instead of names and qids only. */
  stat?: boolean;
}

/** Returned by a fast path whose outcome is ambiguous: do it again step by step. */
const RETRY: unique symbol = Symbol('retry');
type Fast<T> = T | typeof RETRY;

/** Entries whose attributes are fetched at once by readdir({stat: true}). */
const STAT_BATCH = 64;

function isEnoent(e: unknown): boolean {
  return e instanceof Error && errnoOf(e.message) === Errno.ENOENT;
}

function clean(names: readonly string[]): string {
  return '/' + names.join('/');
}

export class Fsys {
  readonly client: Client;
  /** Whether dependent requests are sent without waiting (see pipeline.ts). */
  pipelining: boolean;

  constructor(client: Client, opts: FsysOptions = {}) {
    this.client = client;
    this.pipelining = opts.pipeline ?? client.dialect === Dialect.P2000;
  }

  /** Connect a Client over link (version, attach) and wrap it. */
  static async mount(link: Link, opts: ConnectOptions & FsysOptions = {}): Promise<Fsys> {
    return new Fsys(await Client.connect(link, opts), opts);
  }

  get dialect(): Dialect { return this.client.dialect; }

  /** End the session. */
  close(): void { this.client.close(); }

  private get root(): number { return this.client.rootFid; }

  /** Run fast (pipelined) unless pipelining is off; if fast is ambiguous, run slow and stop pipelining. */
  private async either<T>(fast: () => Promise<Fast<T>>, slow: () => Promise<T>): Promise<T> {
    if (!this.pipelining) return slow();
    const r = await fast();
    if (r !== RETRY) return r;
    const v = await slow();
    this.pipelining = false; // step by step worked where back to back did not
    return v;
  }

  private pipe(names: readonly string[], path: string, more: (fid: number) => TRequest[], end: 'clunk' | 'gone' | 'keep'): Promise<PipeResult> {
    return pipeline(this.client, this.root, names, path, more, end);
  }

  /** A new fid for path, not open. Throws WalkError (message 'file does not exist', .path) when it is missing. */
  async walk(path: string): Promise<CFid> {
    const names = splitPath(path);
    const w = await walkFid(this.client, this.root, names, clean(names));
    return new CFid(this.client, w.fid, w.qid ?? this.client.rootQid, clean(names));
  }

  /** Open path with a Plan 9 mode (OREAD, OWRITE, ORDWR, OEXEC, | OTRUNC, ORCLOSE): Twalk+Topen back to back. */
  open(path: string, mode: number): Promise<CFid> {
    const names = splitPath(path), p = clean(names);
    return this.either(async () => {
      const r = await this.pipe(names, p, (fid) => [openMsg(this.dialect, fid, mode)], 'keep');
      if (!r.ok) return RETRY;
      const f = new CFid(this.client, r.fid, r.qid ?? this.client.rootQid, p);
      f.opened(r.replies[0]!, mode);
      return f;
    }, () => this.openSlow(path, mode));
  }

  private async openSlow(path: string, mode: number): Promise<CFid> {
    const f = await this.walk(path);
    try { await f.open(mode); } catch (e) { await f.clunk().catch(() => undefined); throw e; }
    return f;
  }

  /** Create path (a directory when perm has DMDIR) and return it open with mode. Fails if it exists. */
  create(path: string, perm: number, mode: number): Promise<CFid> {
    const { dir, name } = splitLast(path);
    const p = clean([...dir, name]);
    let made = false; // a .L directory was made before the rest failed: just open it
    return this.either(async () => {
      const r = await this.pipe(dir, clean(dir), (fid) => createMsgs(this.dialect, fid, name, perm, mode, this.client.gid), 'keep');
      if (!r.ok) {
        made = this.dialect === Dialect.P2000L && (perm & DMDIR) !== 0 && r.settled[0]?.status === 'fulfilled';
        return RETRY;
      }
      const f = new CFid(this.client, r.fid, r.qid ?? this.client.rootQid, p);
      f.opened(r.replies[r.replies.length - 1]!, mode);
      return f;
    }, async () => {
      if (made) return this.openSlow(p, mode);
      const f = await this.walk(clean(dir));
      try { await f.create(name, perm, mode); } catch (e) { await f.clunk().catch(() => undefined); throw e; }
      return f;
    });
  }

  /** Make a directory. */
  mkdir(path: string, perm = 0o777): Promise<void> {
    const { dir, name } = splitLast(path);
    const msg = (fid: number): TRequest => mkdirMsg(this.dialect, fid, name, perm, this.client.gid);
    return this.either(async () => {
      const r = await this.pipe(dir, clean(dir), (fid) => [msg(fid)], 'clunk');
      return r.ok ? undefined : RETRY;
    }, async () => {
      const f = await this.walk(clean(dir));
      try { await this.client.rpc(msg(f.fid)); } finally { await f.clunk(); }
    });
  }

  /** Remove a file or an empty directory: Twalk+Tremove back to back. */
  remove(path: string): Promise<void> {
    const names = splitPath(path), p = clean(names);
    return this.either(async () => {
      const r = await this.pipe(names, p, (fid) => [{ type: 'Tremove', fid }], 'gone');
      return r.ok ? undefined : RETRY;
    }, async () => (await this.walk(p)).remove());
  }

  /** The Plan 9 Dir of path (in .L from Tgetattr; name is the last path element). */
  stat(path: string): Promise<Dir> {
    const names = splitPath(path), p = clean(names);
    return this.either(async () => {
      const r = await this.pipe(names, p, (fid) => [statMsg(this.dialect, fid)], 'clunk');
      return r.ok ? dirOf(r.replies[0]!, baseName(p)) : RETRY;
    }, async () => {
      const f = await this.walk(p);
      try { return await f.stat(); } finally { await f.clunk(); }
    });
  }

  /** Change name (within its directory), mode, length, atime, mtime, uid or gid of path. */
  wstat(path: string, ch: DirChanges): Promise<void> {
    const names = splitPath(path), p = clean(names);
    const renames = ch.name !== undefined && ch.name !== '' && ch.name !== baseName(p);
    const slow = async (): Promise<void> => {
      const f = await this.walk(p);
      try { await f.wstat(ch); } finally { await f.clunk(); }
    };
    if (this.dialect === Dialect.P2000L && renames) return slow();
    const msgs = (fid: number): TRequest[] => {
      if (this.dialect !== Dialect.P2000L) return [{ type: 'Twstat', fid, stat: wstatDir(ch) }];
      const attr = setattrOf(ch);
      return attr ? [{ type: 'Tsetattr', fid, attr }] : [];
    };
    return this.either(async () => {
      const r = await this.pipe(names, p, msgs, 'clunk');
      return r.ok ? undefined : RETRY;
    }, slow);
  }

  /**
   * The entries of directory path ('.' and '..' left out). 9P2000 gives full Dirs; 9P2000.L
   * gives names and qids only (see direntToDir) unless opts.stat asks for a Tgetattr each.
   */
  async readdir(path: string, opts: ReaddirOptions = {}): Promise<Dir[]> {
    const f = await this.open(path, OREAD);
    let dirs: Dir[];
    try { dirs = await f.dirreadall(); } finally { await f.clunk(); }
    if (!opts.stat || this.dialect !== Dialect.P2000L) return dirs;
    const base = f.path.replace(/\/$/, '');
    const out: Dir[] = [];
    for (let i = 0; i < dirs.length; i += STAT_BATCH) {
      const batch = dirs.slice(i, i + STAT_BATCH);
      out.push(...await Promise.all(batch.map((d) => this.stat(`${base}/${d.name}`))));
    }
    return out;
  }

  /** Like ls(1): a directory's entries, or the file's own Dir. */
  async ls(path: string, opts: ReaddirOptions = {}): Promise<Dir[]> {
    const d = await this.stat(path);
    return d.mode & DMDIR ? this.readdir(path, opts) : [d];
  }

  /**
   * The whole contents of path. A small file costs one round trip: Twalk, Topen, one Tread
   * of a full iounit and Tclunk go out together. If that read comes back full, the file is
   * opened again and read from there with several Treads in flight.
   */
  readFile(path: string): Promise<Buffer> {
    const names = splitPath(path), p = clean(names);
    const n = this.client.iounit;
    return this.either(async () => {
      const r = await this.pipe(names, p, (fid) => [openMsg(this.dialect, fid, OREAD), { type: 'Tread', fid, offset: 0, count: n }], 'clunk');
      if (!r.ok) return RETRY;
      const first = (r.replies[1] as RMsg & { type: 'Rread' }).data;
      if (first.length < n) return Buffer.from(first);
      return Buffer.concat([first, await this.readFrom(p, first.length)]);
    }, () => this.readFrom(p, 0));
  }

  private async readFrom(path: string, offset: number): Promise<Buffer> {
    const f = await this.open(path, OREAD);
    try { return await f.readAll(offset); } finally { await f.clunk(); }
  }

  /**
   * Replace the contents of path with data, creating it with perm if it does not exist.
   * Twalk, Topen (OTRUNC) or Tcreate, the first Twrites and Tclunk go out together; a
   * large file keeps WINDOW Twrites in flight.
   */
  writeFile(path: string, data: Uint8Array | string, perm = 0o666): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const names = splitPath(path), p = clean(names);
    const n = this.client.iounit, head = Math.min(bytes.length, n * WINDOW);
    const end = head < bytes.length ? 'keep' : 'clunk';
    const writes = (fid: number): TRequest[] => {
      const out: TRequest[] = [];
      for (let pos = 0; pos < head; pos += n) out.push({ type: 'Twrite', fid, offset: pos, data: bytes.subarray(pos, Math.min(pos + n, head)) });
      return out;
    };
    return this.either(async () => {
      let r: PipeResult, nopen = 1;
      try {
        r = await this.pipe(names, p, (fid) => [openMsg(this.dialect, fid, OWRITE | OTRUNC), ...writes(fid)], end);
      } catch (e) {
        if (!(e instanceof WalkError && isEnoent(e) && e.walked === names.length - 1)) throw e;
        const { dir, name } = splitLast(p);
        const create = (fid: number): TRequest[] => createMsgs(this.dialect, fid, name, perm, OWRITE, this.client.gid);
        nopen = create(0).length;
        r = await this.pipe(dir, clean(dir), (fid) => [...create(fid), ...writes(fid)], end);
      }
      if (!r.ok) return RETRY;
      const short = r.replies.slice(nopen).some((w, i) => w.type !== 'Rwrite' || w.count !== Math.min(n, head - i * n));
      if (end === 'clunk') {
        if (short) throw new P9Error(Eshortwrite);
        return undefined;
      }
      const f = new CFid(this.client, r.fid, r.qid ?? this.client.rootQid, p);
      f.opened(r.replies[nopen - 1]!, OWRITE);
      try {
        if (short) throw new P9Error(Eshortwrite);
        await f.writeAll(bytes.subarray(head), head);
      } finally { await f.clunk(); }
      return undefined;
    }, async () => {
      let f: CFid;
      try {
        f = await this.openSlow(p, OWRITE | OTRUNC);
      } catch (e) {
        if (!(e instanceof WalkError && isEnoent(e) && e.walked === names.length - 1)) throw e;
        const { dir, name } = splitLast(p);
        f = await this.walk(clean(dir));
        try { await f.create(name, perm, OWRITE); } catch (e2) { await f.clunk().catch(() => undefined); throw e2; }
      }
      try { await f.writeAll(bytes, 0); } finally { await f.clunk(); }
    });
  }
}
