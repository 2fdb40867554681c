// The syscall table: the only surface programs see. Every call resolves names in the
// caller's namespace and checks the capability it uses; errors are Plan 9 strings.

import type { Interrupt } from '../fs/interrupt.ts';
import type { Dir } from '../fs/9p/fcall.ts';
import { DMDIR, OREAD, ORDWR, OTRUNC, OWRITE, OEXEC } from '../fs/9p/constants.ts';
import { packDir } from '../fs/9p/wire.ts';
import * as E from '../fs/9p/errors.ts';
import type { DirChanges } from '../fs/client/index.ts';
import { Right, rightsText } from './cap.ts';
import { Chan } from './chan.ts';
import { absPath, baseOf, parentOf } from './cleanname.ts';
import type { Fd } from './fd.ts';
import type { Kernel, Program, SpawnOptions } from './kernel.ts';
import type { NoteHandler, Proc, WaitMsg } from './proc.ts';
import { Ebadarg, Ebadusefd, Eisstream } from './errors.ts';
import { MAFTER, MBEFORE, MCREATE, MREPL } from './namespace.ts';

export { OREAD, OWRITE, ORDWR, OEXEC, OTRUNC, MREPL, MBEFORE, MAFTER, MCREATE };

export class Sys {
  readonly proc: Proc;
  readonly kernel: Kernel;

  constructor(kernel: Kernel, proc: Proc) {
    this.kernel = kernel;
    this.proc = proc;
  }

  get pid(): number { return this.proc.pid; }
  get args(): string[] { return this.proc.args; }
  get user(): string { return this.proc.user; }
  /** Aborted when a note arrives: pass it to long waits of your own. */
  get signal(): AbortSignal { return this.proc.signal; }
  /** The same, for the kernel's own waits (cheaper than an AbortSignal). */
  private get intr(): Interrupt { return this.proc.interrupt; }

  private abs(p: string): string { return absPath(this.proc.cwd, p); }

  /** Run a call, recording its error for errstr (Plan 9 keeps the last error per process). */
  private async call<T>(f: () => Promise<T>): Promise<T> {
    const slice = this.kernel.preempt();
    if (slice) await slice;
    if (this.proc.killed) throw new Error('killed');
    try { return await f(); } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.proc.errstr = msg;
      throw e instanceof Error ? e : new Error(msg);
    }
  }

  private install(fd: Fd): number { return this.proc.fds.install(fd).n; }

  open(path: string, mode: number): Promise<number> {
    return this.call(async () => {
      const c = await this.proc.ns.walk(this.abs(path), this.proc.ctx);
      if (c.cap.object === 'dev:#d' && !c.isDir) {
        // /fd/N (dup(3)): the same open file as fd N, not a new one.
        await this.proc.ns.drop(c);
        return this.proc.fds.dup(c.qid.path - 1).n;
      }
      try { await c.open(mode, this.intr); } catch (e) { await this.proc.ns.drop(c); throw e; }
      return this.install({ chan: c, mode, offset: 0, refs: 1 });
    });
  }

  create(path: string, mode: number, perm: number): Promise<number> {
    return this.call(async () => {
      const abs = this.abs(path);
      const dir = await this.proc.ns.createDir(parentOf(abs), this.proc.ctx);
      try {
        dir.check(Right.create, 'create');
        const f = await dir.fid.walk('');
        try { await f.create(baseOf(abs), perm, mode); } catch (e) {
          await f.clunk();
          // Plan 9 create(2) of an existing file truncates it instead.
          if (!(e instanceof Error && e.message === E.Eexist) || (perm & DMDIR)) throw e;
          return this.open(path, mode | OTRUNC);
        }
        const c = new Chan(abs, f.qid, dir.cap, { kind: 'fid', fid: f }, dir.devid);
        c.mode = mode;
        dir.devid.mnt?.hold(); // an open file keeps its connection (Chan.clunk releases it)
        return this.install({ chan: c, mode, offset: 0, refs: 1 });
      } finally { await this.proc.ns.drop(dir); }
    });
  }

  private fd(n: number): Fd { return this.proc.fds.get(n); }

  pread(n: number, count: number, offset: number): Promise<Uint8Array> {
    return this.call(async () => {
      const fd = this.fd(n);
      if (fd.chan.mode < 0 || (fd.mode & 3) === OWRITE) throw new Error(Ebadusefd);
      fd.chan.check(Right.read, 'read');
      if (fd.chan.isDir) return this.readDir(fd, count, offset);
      const impl = fd.chan.impl;
      if (impl.kind === 'pipe') return impl.end.read(count, this.intr);
      return fd.chan.fid.pread(count, offset, { signal: this.intr });
    });
  }

  /** Directory reads return whole stat records (read(5)); the entries are snapshotted at offset 0. */
  private async readDir(fd: Fd, count: number, offset: number): Promise<Uint8Array> {
    if (offset === 0 || !fd.dirents) fd.dirents = Buffer.concat((await fd.chan.readdir(this.intr)).map(packDir));
    const b = fd.dirents;
    let end = offset;
    while (end < b.length) {
      const sz = b.readUInt16LE(end) + 2;
      if (end + sz - offset > count) break;
      end += sz;
    }
    return b.subarray(offset, end);
  }

  async read(n: number, count: number): Promise<Uint8Array> {
    const fd = this.fd(n);
    const d = await this.pread(n, count, fd.offset);
    fd.offset += d.length;
    return d;
  }

  pwrite(n: number, data: Uint8Array | string, offset: number): Promise<number> {
    return this.call(async () => {
      const fd = this.fd(n);
      const acc = fd.mode & 3;
      if (fd.chan.mode < 0 || (acc !== OWRITE && acc !== ORDWR)) throw new Error(Ebadusefd);
      fd.chan.check(Right.write, 'write');
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      const impl = fd.chan.impl;
      if (impl.kind === 'pipe') return impl.end.write(buf, this.intr);
      const f = fd.chan.fid;
      let done = 0;
      // Split at the iounit; each piece is one Twrite (a ctl line longer than that still arrives whole).
      while (done < buf.length || buf.length === 0) {
        const piece = buf.subarray(done, done + f.iounit);
        const w = await f.pwrite(piece, offset + done, { signal: this.intr });
        done += w;
        if (w < piece.length || buf.length === 0) break;
      }
      return done;
    });
  }

  async write(n: number, data: Uint8Array | string): Promise<number> {
    const fd = this.fd(n);
    const w = await this.pwrite(n, data, fd.offset);
    fd.offset += w;
    return w;
  }

  /** whence 0 set, 1 current, 2 end (from stat length). */
  seek(n: number, offset: number, whence: 0 | 1 | 2): Promise<number> {
    return this.call(async () => {
      const fd = this.fd(n);
      if (fd.chan.isDir && !(whence === 0 && offset === 0)) throw new Error(Eisstream);
      let base = 0;
      if (whence === 1) base = fd.offset;
      else if (whence === 2) base = (await fd.chan.stat()).length;
      const off = base + offset;
      if (off < 0) throw new Error(Ebadarg);
      fd.offset = off;
      return off;
    });
  }

  close(n: number): Promise<void> {
    return this.call(async () => {
      const fd = this.proc.fds.close(n);
      if (fd) await this.proc.ns.drop(fd.chan);
    });
  }

  async dup(from: number, to = -1): Promise<number> {
    return this.call(async () => {
      const r = this.proc.fds.dup(from, to);
      if (r.closed) await this.proc.ns.drop(r.closed.chan);
      return r.n;
    });
  }

  /** Mark an fd close-on-exec (Plan 9's OCEXEC at open). */
  /** May this process start program name? (The role's commands line, which spawn enforces.) */
  mayRun(name: string): boolean { return this.kernel.commandPolicy?.allows(name) ?? true; }

  /** This process's namespace as replayable bind/mount lines (what /proc/N/ns reads). */
  nsText(): string { return this.proc.ns.nsText(); }

  /** The name fd n was opened by (Plan 9 fd2path). */
  fd2path(n: number): string { return this.fd(n).chan.path; }

  cloexec(n: number): void {
    this.proc.fds.setCloexec(n);
  }

  /** A pipe: two fds, each end readable and writable (Plan 9 pipes are bidirectional). */
  pipe(): Promise<[number, number]> {
    return this.call(async () => {
      const [a, b] = await this.kernel.newPipe(this.proc);
      return [this.install({ chan: a, mode: ORDWR, offset: 0, refs: 1 }), this.install({ chan: b, mode: ORDWR, offset: 0, refs: 1 })];
    });
  }

  stat(path: string): Promise<Dir> {
    return this.call(async () => {
      const c = await this.proc.ns.walk(this.abs(path), this.proc.ctx);
      try { return await c.stat(); } finally { await this.proc.ns.drop(c); }
    });
  }

  fstat(n: number): Promise<Dir> { return this.call(() => this.fd(n).chan.stat()); }

  wstat(path: string, ch: DirChanges): Promise<void> {
    return this.call(async () => {
      const c = await this.proc.ns.walk(this.abs(path), this.proc.ctx);
      try {
        c.check(Right.write, 'wstat');
        await c.fid.wstat(ch);
      } finally { await this.proc.ns.drop(c); }
    });
  }

  remove(path: string): Promise<void> {
    return this.call(async () => {
      const c = await this.proc.ns.walk(this.abs(path), this.proc.ctx);
      try { c.check(Right.remove, 'remove'); } catch (e) { await this.proc.ns.drop(c); throw e; }
      await c.fid.remove();
    });
  }

  /** Directory entries of path (dirread(2) over a whole directory). */
  dirread(path: string): Promise<Dir[]> {
    return this.call(() => this.proc.ns.list(this.abs(path), this.proc.ctx, this.intr));
  }

  chdir(path: string): Promise<void> {
    return this.call(async () => {
      const abs = this.abs(path);
      const c = await this.proc.ns.walk(abs, this.proc.ctx);
      try { if (!c.isDir) throw new Error(E.Enotdir); } finally { await this.proc.ns.drop(c); }
      this.proc.cwd = abs;
    });
  }

  get cwd(): string { return this.proc.cwd; }

  /** bind new old: new is evaluated now; needs mount authority over the namespace. */
  bind(newPath: string, old: string, flags = MREPL): Promise<void> {
    return this.call(async () => {
      this.proc.cspace.need('ns', Right.mount, 'bind');
      const src = newPath.startsWith('#') ? newPath : this.abs(newPath);
      if (src.startsWith('#')) return this.kernel.mountDevice(this.proc, src, this.abs(old), flags, '', 'bind');
      const c = await this.proc.ns.walk(src, this.proc.ctx);
      try {
        await this.proc.ns.bind(c, src, this.abs(old), flags, { ctx: this.proc.ctx });
      } catch (e) { await this.proc.ns.drop(c); throw e; }
    });
  }

  /** mount src old [aname]: src is a device ('#c'), a posted channel ('/srv/x') or a dial string. */
  mount(src: string, old: string, flags = MREPL, aname = ''): Promise<void> {
    return this.call(async () => {
      this.proc.cspace.need('ns', Right.mount, 'mount');
      await this.kernel.mountSource(this.proc, src, this.abs(old), flags, aname);
    });
  }

  /**
   * srv name src: post a 9P channel in /srv (srv(4)). src is a dial string (dialed now, as
   * this user) or an fd whose channel is on a 9P session. The poster receives the
   * capability srv:NAME with mount, to use or to hand to children.
   */
  srv(name: string, src: string | number): Promise<void> {
    return this.call(async () => {
      if (!name || name.includes('/')) throw new Error(E.Ebadname);
      if (typeof src === 'number') {
        const fd = this.fd(src);
        this.kernel.post(this.proc, name, fd.chan.fid.client, undefined, fd.chan.devid);
        return;
      }
      this.proc.cspace.need('net', Right.mount, 'srv');
      await this.kernel.postDial(this.proc, name, src);
    });
  }

  unmount(src: string | undefined, old: string): Promise<void> {
    return this.call(async () => {
      this.proc.cspace.need('ns', Right.mount, 'unmount');
      const s = src === undefined ? undefined : src.startsWith('#') || src.includes('!') ? src : this.abs(src);
      await this.proc.ns.unmount(s, this.abs(old));
    });
  }

  /** rfork: n/N namespace copy/clean, e/E environment copy/clean, f/F fd table copy/clean. */
  rfork(flags: string): Promise<void> { return this.call(() => this.kernel.rfork(this.proc, flags)); }

  spawn(path: string, argv: string[], opts: SpawnOptions = {}): Promise<number> {
    return this.call(async () => (await this.kernel.spawn(this.proc, path, argv, opts)).pid);
  }

  /**
   * spawn that answers a failure (the Plan 9 error string) instead of throwing it: a shell
   * tries each directory of $path and most tries fail, so a name absent from the skeleton
   * root (./cmd run from /) is answered without a walk or an exception.
   */
  async trySpawn(path: string, argv: string[], opts: SpawnOptions = {}): Promise<number | string> {
    const full = absPath(this.proc.cwd, path);
    if (path.includes('/') && this.proc.ns.absentAtRoot(full) && this.proc.ns.rootCap.has(Right.walk)) {
      const slice = this.kernel.preempt();
      if (slice) await slice;
      if (this.proc.killed) throw new Error('killed');
      return (this.proc.errstr = E.Enoent);
    }
    try { return await this.spawn(path, argv, opts); } catch (e) {
      if (this.proc.killed) throw e;
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** Wait for the next child to exit; undefined when there are none. */
  await(): Promise<WaitMsg | undefined> { return this.call(() => this.proc.nextWait(this.intr)); }

  /** Start a child running prog, a function of this program (a shell's subshell, pipeline element). */
  fork(prog: Program, args: string[] = this.proc.args, opts: SpawnOptions = {}): Promise<number> {
    return this.call(async () => (await this.kernel.fork(this.proc, prog, args, opts)).pid);
  }

  /**
   * Wait for one child by pid; its status string. Its wait message is consumed, as Plan 9's
   * waitpid does. Notes do not end the wait (a shell waits out its interrupted child), but a
   * kill does: the waiter is being killed.
   */
  waitpid(pid: number): Promise<string> {
    return this.call(async () => {
      const c = this.proc.children.get(pid);
      if (!c) throw new Error('no such child');
      let s: string | undefined;
      while (s === undefined) {
        const sig = this.intr;
        s = await new Promise<string | undefined>((resolve) => {
          const on = (): void => resolve(undefined);
          sig.addEventListener('abort', on, { once: true });
          void c.whenExited().then((x) => { sig.removeEventListener('abort', on); resolve(x); });
        });
        if (s === undefined && this.proc.killed) throw new Error('killed');
      }
      this.proc.takeWait(pid);
      return s;
    });
  }

  /** Let the rest of the node run if this process has had the loop for a whole slice (loops call it). */
  preempt(): Promise<void> | undefined { return this.kernel.preempt(); }

  exits(status = ''): never {
    throw new ExitSignal(status);
  }

  notify(h: NoteHandler | undefined): void { this.proc.notify = h; }

  postnote(pid: number, note: string): Promise<void> {
    return this.call(async () => this.kernel.postnote(this.proc, pid, note));
  }

  sleep(ms: number): Promise<void> {
    return this.call(() => new Promise<void>((resolve, reject) => {
      const sig = this.intr;
      if (sig.aborted) { reject(new Error('interrupted')); return; }
      const t = setTimeout(() => { sig.removeEventListener('abort', on); resolve(); }, ms);
      const on = (): void => { clearTimeout(t); reject(new Error('interrupted')); };
      sig.addEventListener('abort', on, { once: true });
    }));
  }

  errstr(): string { return this.proc.errstr; }

  // Capabilities: programs see slot numbers, never the objects.
  caps(): Array<{ slot: number; object: string; rights: string; badge: number; revoked: boolean }> {
    return this.proc.cspace.list().map(({ slot, cap }) => ({ slot, object: cap.object, rights: rightsText(cap.rights), badge: cap.badge, revoked: cap.revoked }));
  }
  mint(slot: number, rights: number, badge?: number): number {
    const c = this.proc.cspace.get(slot);
    c.check(Right.grant, 'mint');
    return this.proc.cspace.install(c.mint(rights, badge));
  }
  revoke(slot: number): number { return this.proc.cspace.get(slot).revoke(); }

  /** Convenience: read a whole file. */
  async readFile(path: string): Promise<Buffer> {
    const fd = await this.open(path, OREAD);
    try {
      const parts: Uint8Array[] = [];
      for (;;) { const d = await this.read(fd, 65536); if (d.length === 0) break; parts.push(d); }
      return Buffer.concat(parts);
    } finally { await this.close(fd); }
  }

  /** Convenience: write (truncating) or create a file. */
  async writeFile(path: string, data: string | Uint8Array, perm = 0o664): Promise<void> {
    let fd: number;
    try { fd = await this.open(path, OWRITE | OTRUNC); } catch (e) {
      if ((e as Error).message !== E.Enoent) throw e;
      fd = await this.create(path, OWRITE, perm);
    }
    try { await this.write(fd, data); } finally { await this.close(fd); }
  }

  async mkdir(path: string, perm = 0o775): Promise<void> { await this.close(await this.create(path, OREAD, DMDIR | perm)); }
}

/** Thrown by exits() to end the program with a status. */
export class ExitSignal extends Error {
  readonly status: string;
  constructor(status: string) { super(`exits ${status}`); this.status = status; }
}
