// #s: the posted 9P sessions (Plan 9 srv(3), adapted). Each name in kernel.posted is a
// file whose content is one line, `owner USER rights RIGHTS`; mounting it is the kernel's
// business (mount /srv/name), posting too (kernel.post, from the srv command): a request
// carries no process to take an fd from, so Tcreate is refused. Removing the file unposts
// the name; only its owner may. Sessions already mounted keep working (as in Plan 9, where
// removing /srv/x does not hang up its mounts).

import type { Dir } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { DMDIR, ORCLOSE, OTRUNC } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Enotdir, Eperm } from '../../fs/9p/errors.ts';
import { rightsText } from '../cap.ts';
import type { Kernel } from '../kernel.ts';
import { devDir, devQid, secs, wstatNoop } from './devdir.ts';

/** The answer to Tcreate in /srv. */
export const Esrvcreate = 'permission denied: use srv to post';

const DIRMODE = (DMDIR | 0o777) >>> 0;
const FILEMODE = 0o644;

/** What srv needs of the kernel. */
export type SrvKernel = Pick<Kernel, 'posted' | 'bootTime' | 'unpost'>;

/** The line a posted name's file holds. */
export function srvText(owner: string, rights: number): string {
  return `owner ${owner} rights ${rightsText(rights)}\n`;
}

/** A fid's handle: a posted name, or undefined for the directory. */
export class SrvHandle {
  readonly name: string | undefined;
  constructor(name: string | undefined) { this.name = name; }
}

export class SrvDevice implements FileServer<SrvHandle> {
  readonly kernel: SrvKernel;
  readonly #paths = new Map<string, number>();
  #nextPath = 1;

  constructor(kernel: SrvKernel) {
    this.kernel = kernel;
  }

  attach(_uname: string, _aname: string, _req: Req): Entry<SrvHandle> {
    return this.#entry(new SrvHandle(undefined));
  }

  walk(h: SrvHandle, name: string, _req: Req): Entry<SrvHandle> {
    if (h.name !== undefined) throw new Error(Enotdir);
    if (name === '..') return this.#entry(h);
    if (!this.kernel.posted.has(name)) throw new Error(Enoent);
    return this.#entry(new SrvHandle(name));
  }

  open(h: SrvHandle, mode: number, _req: Req): Opened<SrvHandle> | void {
    if (mode & (ORCLOSE | OTRUNC)) throw new Error(Eperm);
    if (h.name !== undefined) this.#posted(h);
  }

  create(_h: SrvHandle, _name: string, _perm: number, _mode: number, _req: Req): Entry<SrvHandle> {
    throw new Error(Esrvcreate);
  }

  read(h: SrvHandle, offset: number, count: number, _req: Req): Uint8Array {
    const p = this.#posted(h);
    const b = Buffer.from(srvText(p.owner, p.rights));
    if (offset >= b.length) return new Uint8Array(0);
    return b.subarray(offset, Math.min(b.length, offset + count));
  }

  readdir(h: SrvHandle, _req: Req): Dir[] {
    if (h.name !== undefined) throw new Error(Enotdir);
    return [...this.kernel.posted.keys()].sort().map((n) => this.#dir(new SrvHandle(n)));
  }

  write(_h: SrvHandle, _offset: number, _data: Uint8Array, _req: Req): number {
    throw new Error(Eperm);
  }

  /** Unpost: only the owner may. The session is closed only when no mount or open file uses it. */
  remove(h: SrvHandle, req: Req): void {
    const p = this.#posted(h);
    if (p.owner !== req.uname) throw new Error(Eperm);
    this.kernel.unpost(h.name!);
    this.#paths.delete(h.name!);
  }

  stat(h: SrvHandle, _req: Req): Dir {
    if (h.name !== undefined) this.#posted(h);
    return this.#dir(h);
  }

  wstat(h: SrvHandle, d: Dir, req: Req): void {
    wstatNoop(d, this.stat(h, req));
  }

  #posted(h: SrvHandle): { owner: string; rights: number } {
    if (h.name === undefined) throw new Error(Eisdir);
    const p = this.kernel.posted.get(h.name);
    if (!p) throw new Error(Enoent);
    return p;
  }

  #path(name: string | undefined): number {
    if (name === undefined) return 0;
    let p = this.#paths.get(name);
    if (p === undefined) { p = this.#nextPath++; this.#paths.set(name, p); }
    return p;
  }

  #entry(h: SrvHandle): Entry<SrvHandle> {
    return { qid: devQid(this.#path(h.name), h.name === undefined ? DIRMODE : FILEMODE), node: h };
  }

  #dir(h: SrvHandle): Dir {
    if (h.name === undefined) {
      return devDir({ path: 0, name: '/', mode: DIRMODE, uid: 'sys', time: secs(this.kernel.bootTime) });
    }
    const p = this.kernel.posted.get(h.name);
    const owner = p?.owner ?? 'none';
    return devDir({
      path: this.#path(h.name), name: h.name, mode: FILEMODE, uid: owner,
      length: p ? Buffer.byteLength(srvText(p.owner, p.rights)) : 0, time: secs(this.kernel.bootTime),
    });
  }
}
