// #man: the manual, a host directory tree (the repository's man/: 1/ls, 3/cons, ...) served
// read-only, so `man` and `lookman` read pages through the namespace like any other file
// (bound at /sys/man, as Plan 9 keeps its pages). Directories are mode 0555, files 0444,
// owned by sys; writes, creates, removes and wstats that change anything are refused.
//
// The host is read lazily and kept: the root on the first attach, a directory's entries when
// first walked or listed, a file's bytes on its first read, so booting a node costs one stat.
// Editing the host pages therefore shows only in a new ManDevice (a new boot), which is what
// a node wants: its manual does not change under a reader. Names starting with '.' (editor
// droppings), anything neither file nor directory, and links back up to a directory above
// are left out.

import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Dir } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { DMDIR, ORCLOSE, ORDWR, OTRUNC, OWRITE } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Enotdir, Eperm, p9error } from '../../fs/9p/errors.ts';
import { devDir, devQid, secs, wstatNoop } from './devdir.ts';

const DIRMODE = (DMDIR | 0o555) >>> 0;
const FILEMODE = 0o444;

/**
 * The repository's man/ directory: beside kernel/ when running from source, and the same one
 * from the compiled tree (dist/kernel/dev -> ../../../man), unless a build copied it to dist/.
 */
export function manRoot(): string | undefined {
  for (const rel of ['../../man', '../../../man']) {
    const d = resolve(import.meta.dirname, rel);
    try { if (existsSync(d) && statSync(d).isDirectory()) return d; } catch { /* next */ }
  }
  return undefined;
}

/** A file or directory of the served tree; also a fid's handle (nothing per fid changes). */
export class ManNode {
  readonly name: string;
  readonly host: string;
  readonly path: number;
  readonly parent: ManNode | undefined;
  readonly isDir: boolean;
  readonly length: number;
  readonly mtime: number;
  /** The host file's device and inode: a directory whose id an ancestor has is a link back up. */
  readonly id: string;
  /** A directory's children by name, once listed; a file's bytes, once read. */
  kids: Promise<Map<string, ManNode>> | undefined;
  data: Promise<Buffer> | undefined;

  constructor(init: { name: string; host: string; path: number; parent: ManNode | undefined; isDir: boolean; length: number; mtime: number; id: string }) {
    this.name = init.name;
    this.host = init.host;
    this.path = init.path;
    this.parent = init.parent;
    this.isDir = init.isDir;
    this.length = init.length;
    this.mtime = init.mtime;
    this.id = init.id;
  }

  /** Whether this node or one above it is the host directory id. */
  within(id: string): boolean {
    for (let n: ManNode | undefined = this; n; n = n.parent) if (n.id === id) return true;
    return false;
  }
}

export interface ManOptions {
  /** The host directory to serve (default: manRoot()). */
  root?: string;
  /** Owner of every file (default 'sys'). */
  owner?: string;
}

export class ManDevice implements FileServer<ManNode> {
  readonly root: string | undefined;
  readonly owner: string;
  #top: Promise<ManNode> | undefined;
  #next = 0;

  constructor(opts: ManOptions = {}) {
    this.root = opts.root ?? manRoot();
    this.owner = opts.owner ?? 'sys';
  }

  async attach(_uname: string, _aname: string, _req: Req): Promise<Entry<ManNode>> {
    const root = this.root;
    if (root === undefined) throw new Error(`${Enoent}: no manual directory`);
    // One look at the host shared by concurrent attaches; a failed one is tried again at the next attach.
    this.#top ??= stat(root).then((st) => {
      if (!st.isDirectory()) throw new Error(`${Enotdir}: ${root}`);
      return new ManNode({ name: '/', host: root, path: this.#next++, parent: undefined, isDir: true, length: 0, mtime: secs(st.mtimeMs), id: `${st.dev}:${st.ino}` });
    }).catch((e: unknown) => { this.#top = undefined; throw e; });
    return this.#entry(await this.#top);
  }

  async walk(n: ManNode, name: string, _req: Req): Promise<Entry<ManNode>> {
    if (!n.isDir) throw new Error(Enotdir);
    if (name === '..') return this.#entry(n.parent ?? n);
    const c = (await this.#children(n)).get(name);
    if (!c) throw p9error(Enoent);
    return this.#entry(c);
  }

  open(_n: ManNode, mode: number, _req: Req): Opened<ManNode> | void {
    const rw = mode & 3;
    if (rw === OWRITE || rw === ORDWR || mode & (OTRUNC | ORCLOSE)) throw new Error(Eperm);
  }

  create(_n: ManNode, _name: string, _perm: number, _mode: number, _req: Req): Entry<ManNode> {
    throw new Error(Eperm);
  }

  async read(n: ManNode, offset: number, count: number, _req: Req): Promise<Uint8Array> {
    if (n.isDir) throw new Error(Eisdir);
    n.data ??= readFile(n.host).catch((e: unknown) => { n.data = undefined; throw e; });
    const b = await n.data;
    if (offset >= b.length) return new Uint8Array(0);
    return b.subarray(offset, Math.min(b.length, offset + count));
  }

  async readdir(n: ManNode, _req: Req): Promise<Dir[]> {
    if (!n.isDir) throw new Error(Enotdir);
    return [...(await this.#children(n)).values()].map((c) => this.#dir(c));
  }

  write(_n: ManNode, _offset: number, _data: Uint8Array, _req: Req): number {
    throw new Error(Eperm);
  }

  remove(_n: ManNode, _req: Req): void {
    throw new Error(Eperm);
  }

  stat(n: ManNode, _req: Req): Dir {
    return this.#dir(n);
  }

  wstat(n: ManNode, d: Dir, _req: Req): void {
    wstatNoop(d, this.#dir(n));
  }

  /** A directory's entries, read from the host the first time they are asked for, sorted by name. */
  #children(d: ManNode): Promise<Map<string, ManNode>> {
    d.kids ??= (async () => {
      const out = new Map<string, ManNode>();
      for (const name of (await readdir(d.host)).filter((x) => !x.startsWith('.')).sort()) {
        const host = join(d.host, name);
        let s;
        try { s = await stat(host); } catch { continue; } // a dangling link, or gone meanwhile
        const id = `${s.dev}:${s.ino}`;
        if (!(s.isFile() || (s.isDirectory() && !d.within(id)))) continue;
        out.set(name, new ManNode({
          name, host, path: this.#next++, parent: d, isDir: s.isDirectory(), length: s.isFile() ? s.size : 0, mtime: secs(s.mtimeMs), id,
        }));
      }
      return out;
    })().catch((e: unknown) => { d.kids = undefined; throw e; });
    return d.kids;
  }

  #entry(n: ManNode): Entry<ManNode> {
    return { qid: devQid(n.path, n.isDir ? DIRMODE : FILEMODE), node: n };
  }

  #dir(n: ManNode): Dir {
    return devDir({
      path: n.path, name: n.name, mode: n.isDir ? DIRMODE : FILEMODE, uid: this.owner, length: n.length, time: n.mtime,
    });
  }
}
