// #b: the builtin programs as files (bound at /bin). Each program the kernel knows is a file,
// mode 0555, holding `#!builtin NAME\n`, which kernel.resolveProgram turns back into the
// program. The listing is live: programs registered later appear, removed ones go.

import type { Dir } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { DMDIR, ORCLOSE, OTRUNC } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Enotdir, Eperm, p9error } from '../../fs/9p/errors.ts';
import type { Kernel } from '../kernel.ts';
import { devDir, devQid, secs, wstatNoop } from './devdir.ts';

const DIRMODE = (DMDIR | 0o555) >>> 0;
const FILEMODE = 0o555;

/** What bin needs of the kernel. */
export type BinKernel = Pick<Kernel, 'programs' | 'bootTime'>;

/** The content of a builtin program's file. */
export function builtinText(name: string): string {
  return `#!builtin ${name}\n`;
}

/** Names a directory entry can carry (a program registered as 'a/b' is not listed). */
function validName(n: string): boolean {
  return n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\0');
}

/** A fid's handle: a program name, or undefined for the directory. */
export class BinHandle {
  readonly name: string | undefined;
  constructor(name: string | undefined) { this.name = name; }
}

export interface BinOptions {
  /** Owner of the files (default 'sys'). */
  owner?: string;
}

export class BinDevice implements FileServer<BinHandle> {
  readonly kernel: BinKernel;
  readonly owner: string;
  readonly #paths = new Map<string, number>();
  #nextPath = 1;

  constructor(kernel: BinKernel, opts: BinOptions = {}) {
    this.kernel = kernel;
    this.owner = opts.owner ?? 'sys';
  }

  attach(_uname: string, _aname: string, _req: Req): Entry<BinHandle> {
    return this.#entry(new BinHandle(undefined));
  }

  walk(h: BinHandle, name: string, _req: Req): Entry<BinHandle> {
    if (h.name !== undefined) throw new Error(Enotdir);
    if (name === '..') return this.#entry(h);
    if (!this.kernel.programs.has(name)) throw p9error(Enoent);
    return this.#entry(new BinHandle(name));
  }

  open(h: BinHandle, mode: number, _req: Req): Opened<BinHandle> | void {
    if (mode & (ORCLOSE | OTRUNC)) throw new Error(Eperm);
    if (h.name !== undefined && !this.kernel.programs.has(h.name)) throw new Error(Enoent);
  }

  create(_h: BinHandle, _name: string, _perm: number, _mode: number, _req: Req): Entry<BinHandle> {
    throw new Error(Eperm);
  }

  read(h: BinHandle, offset: number, count: number, _req: Req): Uint8Array {
    if (h.name === undefined) throw new Error(Eisdir);
    const b = Buffer.from(builtinText(h.name));
    if (offset >= b.length) return new Uint8Array(0);
    return b.subarray(offset, Math.min(b.length, offset + count));
  }

  readdir(h: BinHandle, _req: Req): Dir[] {
    if (h.name !== undefined) throw new Error(Enotdir);
    return [...this.kernel.programs.keys()].filter(validName).sort().map((n) => this.#dir(new BinHandle(n)));
  }

  write(_h: BinHandle, _offset: number, _data: Uint8Array, _req: Req): number {
    throw new Error(Eperm);
  }

  remove(_h: BinHandle, _req: Req): void {
    throw new Error(Eperm);
  }

  stat(h: BinHandle, _req: Req): Dir {
    if (h.name !== undefined && !this.kernel.programs.has(h.name)) throw new Error(Enoent);
    return this.#dir(h);
  }

  wstat(h: BinHandle, d: Dir, req: Req): void {
    wstatNoop(d, this.stat(h, req));
  }

  /** The program a walk of name from this device's directory would find, if any. */
  programNamed(name: string): string | undefined {
    return validName(name) && this.kernel.programs.has(name) ? name : undefined;
  }

  /** The program a file of this device stands for, by its qid path (its content is fixed: `#!builtin NAME`). */
  programAt(qidPath: number): string | undefined {
    for (const [n, p] of this.#paths) if (p === qidPath) return this.kernel.programs.has(n) ? n : undefined;
    return undefined;
  }

  #path(name: string | undefined): number {
    if (name === undefined) return 0;
    let p = this.#paths.get(name);
    if (p === undefined) { p = this.#nextPath++; this.#paths.set(name, p); }
    return p;
  }

  #entry(h: BinHandle): Entry<BinHandle> {
    return { qid: devQid(this.#path(h.name), h.name === undefined ? DIRMODE : FILEMODE), node: h };
  }

  #dir(h: BinHandle): Dir {
    const isDir = h.name === undefined;
    return devDir({
      path: this.#path(h.name), name: h.name ?? '/', mode: isDir ? DIRMODE : FILEMODE, uid: this.owner,
      length: isDir ? 0 : Buffer.byteLength(builtinText(h.name!)), time: secs(this.kernel.bootTime),
    });
  }
}
