// The syscall ABI's glue between a program's memory and a SyncHost: the functions a
// WebAssembly instance imports (module "cohesix") and the interpreter calls. Self-contained
// on purpose (no imports, no outer names): the kernel's worker embeds its source text.

import type { SyncHost } from './syscalls.ts';

export type SyscallFn = (...a: Array<number | bigint>) => number | bigint | void;

export function syscallGlue(mem: () => Uint8Array, host: SyncHost, exit: (code: number) => never): Record<string, SyscallFn> {
  const oob = (): never => { throw new Error('trap: out of bounds memory access'); };
  const range = (p: number, n: number): Uint8Array => {
    const m = mem();
    if (n < 0 || p < 0 || p + n > m.length) oob();
    return m.subarray(p, p + n);
  };
  const cstr = (p: number): string => {
    const m = mem();
    let e = p;
    while (e < m.length && m[e] !== 0) e++;
    if (e >= m.length) oob();
    return new TextDecoder().decode(m.subarray(p, e));
  };
  const into = (r: Uint8Array | number, p: number): number => {
    if (typeof r === 'number') return r;
    mem().set(r, p);
    return r.length;
  };
  const copyOut = (s: string, p: number, n: number): number => {
    const b = new TextEncoder().encode(s);
    range(p, Math.min(n, b.length)).set(b.subarray(0, Math.min(n, b.length)));
    return b.length;
  };
  const N = (x: number | bigint): number => Number(x);
  const B = (x: number | bigint): bigint => BigInt(x);
  return {
    open: (p, mode) => host.open(cstr(N(p)), N(mode)),
    create: (p, mode, perm) => host.create(cstr(N(p)), N(mode), N(perm)),
    read: (fd, p, n) => { range(N(p), N(n)); return into(host.read(N(fd), N(n)), N(p)); },
    // A view, not a copy (SyncHost: valid during the call): a copy per write was most of a small write's cost.
    write: (fd, p, n) => host.write(N(fd), range(N(p), N(n))),
    pread: (fd, p, n, off) => { range(N(p), N(n)); return into(host.pread(N(fd), N(n), B(off)), N(p)); },
    pwrite: (fd, p, n, off) => host.pwrite(N(fd), range(N(p), N(n)), B(off)),
    seek: (fd, off, wh) => host.seek(N(fd), B(off), N(wh)),
    close: (fd) => host.close(N(fd)),
    remove: (p) => host.remove(cstr(N(p))),
    exits: (code) => exit(N(code)),
    argc: () => host.args.length,
    argv: (i, p, n) => { const a = host.args[N(i)]; return a === undefined ? -1 : copyOut(a, N(p), N(n)); },
    errstr: (p, n) => copyOut(host.errstr(), N(p), N(n)),
  };
}
