// #mntgen: Plan 9's mntgen(4) as a device: a directory in which every name exists, as an empty
// directory, so anything can be mounted at /n/<name> or /mnt/<name> without making it first.
// Listing the root shows nothing (the mounts themselves live in each namespace).

import type { Dir, Qid } from '../fs/9p/fcall.ts';
import type { Entry, FileServer, Req } from '../fs/server/fileserver.ts';
import { DMDIR, QTDIR } from '../fs/9p/constants.ts';
import { Eisdir, Enoent, Eperm } from '../fs/9p/errors.ts';
import { validName } from '../fs/server/fid.ts';

const MODE = (DMDIR | 0o555) >>> 0;

/** A fid's handle: '' for the root, else the name walked to. */
export class MntgenNode {
  readonly name: string;
  constructor(name: string) { this.name = name; }
}

export class Mntgen implements FileServer<MntgenNode> {
  readonly #paths = new Map<string, number>([['', 0]]);
  readonly #time = Math.floor(Date.now() / 1000);

  #qid(name: string): Qid {
    let p = this.#paths.get(name);
    if (p === undefined) {
      p = this.#paths.size;
      this.#paths.set(name, p);
    }
    return { type: QTDIR, version: 0, path: p };
  }

  #entry(name: string): Entry<MntgenNode> { return { qid: this.#qid(name), node: new MntgenNode(name) }; }

  attach(_uname: string, _aname: string, _req: Req): Entry<MntgenNode> { return this.#entry(''); }

  walk(n: MntgenNode, name: string, _req: Req): Entry<MntgenNode> {
    if (name === '..') return this.#entry('');
    if (n.name !== '' || !validName(name)) throw new Error(Enoent);
    return this.#entry(name);
  }

  open(): void {}
  create(): Entry<MntgenNode> { throw new Error(Eperm); }
  read(): Uint8Array { throw new Error(Eisdir); }
  readdir(): Dir[] { return []; }
  write(): number { throw new Error(Eisdir); }
  remove(): void { throw new Error(Eperm); }

  stat(n: MntgenNode, _req: Req): Dir {
    return {
      type: 0, dev: 0, qid: this.#qid(n.name), mode: MODE, atime: this.#time, mtime: this.#time, length: 0,
      name: n.name || '/', uid: 'sys', gid: 'sys', muid: 'sys',
    };
  }

  wstat(): void { throw new Error(Eperm); }
}
