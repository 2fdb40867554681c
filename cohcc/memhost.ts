// A SyncHost over memory: files in a Map, fd 0 reading given bytes, fds 1 and 2 collected.
// The interpreter, WebAssembly in Node and the tests run programs against it, so the three
// can be compared byte for byte (the C backend gets the same view from POSIX in a temp dir).

import type { SyncHost } from './syscalls.ts';
import { OTRUNC } from './syscalls.ts';

interface OpenFile { path: string; off: number; mode: number }

export class MemHost implements SyncHost {
  readonly files: Map<string, Uint8Array>;
  readonly args: string[];
  readonly out: number[] = [];
  readonly err: number[] = [];
  private fds = new Map<number, OpenFile>();
  private last = '';

  constructor(args: string[] = ['prog'], files: Record<string, string | Uint8Array> = {}, stdin: string | Uint8Array = '') {
    this.args = args;
    this.files = new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]));
    this.files.set('\0stdin', typeof stdin === 'string' ? Buffer.from(stdin) : stdin);
    this.fds.set(0, { path: '\0stdin', off: 0, mode: 0 });
  }

  stdout(): string { return Buffer.from(this.out).toString('latin1'); }
  stderr(): string { return Buffer.from(this.err).toString('latin1'); }

  private failed(msg: string): number { this.last = msg; return -1; }
  private fd(n: number): OpenFile | undefined { return this.fds.get(n); }
  private install(f: OpenFile): number { let n = 3; while (this.fds.has(n)) n++; this.fds.set(n, f); return n; }

  open(path: string, mode: number): number {
    if (!this.files.has(path)) return this.failed(`'${path}' file does not exist`);
    if (mode & OTRUNC) this.files.set(path, new Uint8Array(0));
    return this.install({ path, off: 0, mode: mode & 3 });
  }
  create(path: string, mode: number): number {
    this.files.set(path, new Uint8Array(0));
    return this.install({ path, off: 0, mode: mode & 3 });
  }
  read(fd: number, n: number): Uint8Array | number {
    const f = this.fd(fd);
    if (!f) return this.failed('fd out of range or not open');
    const r = this.pread(fd, n, BigInt(f.off));
    if (typeof r !== 'number') f.off += r.length;
    return r;
  }
  write(fd: number, data: Uint8Array): number {
    if (fd === 1 || fd === 2) { for (const b of data) (fd === 1 ? this.out : this.err).push(b); return data.length; }
    const f = this.fd(fd);
    if (!f) return this.failed('fd out of range or not open');
    const w = this.pwrite(fd, data, BigInt(f.off));
    if (w > 0) f.off += w;
    return w;
  }
  pread(fd: number, n: number, off: bigint): Uint8Array | number {
    const f = this.fd(fd);
    if (!f) return this.failed('fd out of range or not open');
    const b = this.files.get(f.path)!;
    return b.slice(Number(off), Number(off) + n);
  }
  pwrite(fd: number, data: Uint8Array, off: bigint): number {
    const f = this.fd(fd);
    if (!f || f.mode === 0) return this.failed('inappropriate use of fd');
    const b = this.files.get(f.path)!;
    const end = Number(off) + data.length;
    const nb = new Uint8Array(Math.max(b.length, end));
    nb.set(b); nb.set(data, Number(off));
    this.files.set(f.path, nb);
    return data.length;
  }
  seek(fd: number, off: bigint, whence: number): bigint {
    const f = this.fd(fd);
    if (!f) { this.failed('fd out of range or not open'); return -1n; }
    const base = whence === 1 ? f.off : whence === 2 ? this.files.get(f.path)!.length : 0;
    const n = base + Number(off);
    if (n < 0) { this.failed('bad arg in system call'); return -1n; }
    f.off = n;
    return BigInt(n);
  }
  close(fd: number): number { return this.fds.delete(fd) ? 0 : this.failed('fd out of range or not open'); }
  remove(path: string): number { return this.files.delete(path) ? 0 : this.failed(`'${path}' file does not exist`); }
  errstr(): string { return this.last; }
}
