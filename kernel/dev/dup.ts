// #d: the dup device (Plan 9 dup(3)), bound at /fd. /fd lists the walking process's open
// descriptors; opening /fd/N is dup(N), done by Sys.open when the file it reached is on
// this device, so a command named `/fd/5` by rc's <{...} reads the very pipe rc made.
// The attach name is the walking process's pid (kernel.perProcessAname).

import type { Dir } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { DMDIR } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Enotdir, Eperm } from '../../fs/9p/errors.ts';
import type { Kernel } from '../kernel.ts';
import { devDir, devQid, secs, wstatNoop } from './devdir.ts';

const DIRMODE = (DMDIR | 0o555) >>> 0;
const MODES = [0o444, 0o222, 0o666, 0o111];

export type DupKernel = Pick<Kernel, 'procs' | 'bootTime'>;

/** A fid's handle: the process and the fd number, or undefined for the directory. */
export interface DupHandle { pid: number; fd: number | undefined }

export class DupDevice implements FileServer<DupHandle> {
  readonly kernel: DupKernel;
  constructor(kernel: DupKernel) { this.kernel = kernel; }

  /** The descriptor an open of this handle stands for (Sys.open dups it). */
  static fdOf(h: unknown): number | undefined {
    return typeof h === 'object' && h !== null && 'fd' in h ? (h as DupHandle).fd : undefined;
  }

  attach(_uname: string, aname: string, _req: Req): Entry<DupHandle> {
    return this.#entry({ pid: Number(aname) || 0, fd: undefined });
  }

  walk(h: DupHandle, name: string, _req: Req): Entry<DupHandle> {
    if (h.fd !== undefined) throw new Error(Enotdir);
    if (name === '..') return this.#entry(h);
    if (!/^(0|[1-9][0-9]*)$/.test(name) || !this.#open(h.pid).has(Number(name))) throw new Error(Enoent);
    return this.#entry({ pid: h.pid, fd: Number(name) });
  }

  open(_h: DupHandle, _mode: number, _req: Req): Opened<DupHandle> | void {}
  create(): Entry<DupHandle> { throw new Error(Eperm); }
  read(h: DupHandle): Uint8Array { if (h.fd === undefined) throw new Error(Eisdir); return new Uint8Array(0); }
  write(): number { throw new Error(Eperm); }
  remove(): void { throw new Error(Eperm); }

  readdir(h: DupHandle, _req: Req): Dir[] {
    if (h.fd !== undefined) throw new Error(Enotdir);
    return [...this.#open(h.pid).keys()].sort((a, b) => a - b).map((fd) => this.#dir({ pid: h.pid, fd }));
  }

  stat(h: DupHandle, _req: Req): Dir { return this.#dir(h); }
  wstat(h: DupHandle, d: Dir, req: Req): void { wstatNoop(d, this.stat(h, req)); }

  /** fd number -> its open mode, for the process. */
  #open(pid: number): Map<number, number> {
    const p = this.kernel.procs.get(pid);
    return new Map((p?.fds.list() ?? []).map(({ n, fd }) => [n, fd.mode]));
  }

  #entry(h: DupHandle): Entry<DupHandle> {
    return { qid: devQid(h.fd === undefined ? 0 : h.fd + 1, h.fd === undefined ? DIRMODE : 0), node: h };
  }

  #dir(h: DupHandle): Dir {
    const mode = h.fd === undefined ? DIRMODE : MODES[(this.#open(h.pid).get(h.fd) ?? 0) & 3]!;
    return devDir({ path: h.fd === undefined ? 0 : h.fd + 1, name: h.fd === undefined ? '/' : String(h.fd), mode, uid: 'sys', time: secs(this.kernel.bootTime) });
  }
}
