// #man: the manual, a host directory tree (the repository's man/: 1/ls, 3/cons, ...) served
// read-only, so `man` and `lookman` read pages through the namespace like any other file
// (bound at /sys/man, as Plan 9 keeps its pages). Directories are mode 0555, files 0444,
// owned by sys; writes, creates, removes and wstats that change anything are refused.
//
// The tree's shape is read from the host on the first attach and kept; a file's bytes are
// read on its first read and kept. Editing the host pages therefore needs a new ManDevice
// (a new boot), which is what a node wants: its manual does not change under a reader.
// Names starting with '.' (editor droppings) and anything neither file nor directory are
// left out.

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
  readonly length: number;
  readonly mtime: number;
  /** Children by name, sorted; undefined for a file. */
  readonly children: Map<string, ManNode> | undefined;
  /** The bytes, once read. */
  data: Promise<Buffer> | undefined;

  constructor(init: { name: string; host: string; path: number; parent: ManNode | undefined; length: number; mtime: number; dir: boolean }) {
    this.name = init.name;
    this.host = init.host;
    this.path = init.path;
    this.parent = init.parent;
    this.length = init.length;
    this.mtime = init.mtime;
    this.children = init.dir ? new Map() : undefined;
  }

  get isDir(): boolean { return this.children !== undefined; }
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
  #tree: Promise<ManNode> | undefined;

  constructor(opts: ManOptions = {}) {
    this.root = opts.root ?? manRoot();
    this.owner = opts.owner ?? 'sys';
  }

  async attach(_uname: string, _aname: string, _req: Req): Promise<Entry<ManNode>> {
    if (this.root === undefined) throw new Error(`${Enoent}: no manual directory`);
    // One load shared by concurrent attaches; a failed one is tried again at the next attach.
    this.#tree ??= this.#load(this.root).catch((e: unknown) => { this.#tree = undefined; throw e; });
    return this.#entry(await this.#tree);
  }

  walk(n: ManNode, name: string, _req: Req): Entry<ManNode> {
    if (!n.children) throw new Error(Enotdir);
    if (name === '..') return this.#entry(n.parent ?? n);
    const c = n.children.get(name);
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

  readdir(n: ManNode, _req: Req): Dir[] {
    if (!n.children) throw new Error(Enotdir);
    return [...n.children.values()].map((c) => this.#dir(c));
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

  /** The tree under root: shapes, sizes and times now, contents on demand. */
  async #load(root: string): Promise<ManNode> {
    let next = 0;
    const st = await stat(root);
    if (!st.isDirectory()) throw new Error(`${Enotdir}: ${root}`);
    const top = new ManNode({ name: '/', host: root, path: next++, parent: undefined, length: 0, mtime: secs(st.mtimeMs), dir: true });
    // Directories already served, by device and inode: a symbolic link back up is left out, not followed forever.
    const seen = new Set<string>([`${st.dev}:${st.ino}`]);
    const fill = async (d: ManNode): Promise<void> => {
      const names = (await readdir(d.host)).filter((n) => !n.startsWith('.')).sort();
      for (const name of names) {
        const host = join(d.host, name);
        let s;
        try { s = await stat(host); } catch { continue; } // a dangling link, or gone meanwhile
        if (!s.isDirectory() && !s.isFile()) continue;
        if (s.isDirectory()) {
          const id = `${s.dev}:${s.ino}`;
          if (seen.has(id)) continue;
          seen.add(id);
        }
        const c = new ManNode({ name, host, path: next++, parent: d, length: s.isFile() ? s.size : 0, mtime: secs(s.mtimeMs), dir: s.isDirectory() });
        d.children!.set(name, c);
        if (c.isDir) await fill(c);
      }
    };
    await fill(top);
    return top;
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
