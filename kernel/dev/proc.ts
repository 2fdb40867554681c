// #p: the process device (Plan 9 proc(3)) over kernel.procs, plus the node's boot record
// and 9P counters:
//
//   /proc/<pid>/status   name, user, state, then times and sizes in Plan 9's columns
//   /proc/<pid>/ns       the process's namespace as replayable bind/mount lines
//   /proc/<pid>/note     write: post the note to the process
//   /proc/<pid>/ctl      write: kill | interrupt
//   /proc/<pid>/args     the argument vector, quoted as rc would
//   /proc/<pid>/fd       one line per open fd: number, mode, offset, path
//   /proc/boot           key=value lines: what boot did (kernel.bootlog)
//   /proc/9p/sessions    key=value: 9P sessions served, in total and per server
//   /proc/9p/outstanding key=value: requests in flight, in total and per server
//
// A 9P request carries no process, so note and ctl act directly on the target (the process
// side check of kernel.postnote belongs to the kill command). The pid directories follow
// kernel.procs at every walk and listing of the root.

import type { Dir } from '../../fs/9p/fcall.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import type { Server } from '../../fs/server/server.ts';
import { Ebadctl, Tree, dir, file, text } from '../../fs/server/tree.ts';
import type { TreeDir, TreeFid } from '../../fs/server/tree.ts';
import { Enoent } from '../../fs/9p/errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Proc } from '../proc.ts';

/** What proc needs of the kernel. */
export type ProcKernel = Pick<Kernel, 'procs' | 'bootlog' | 'devices'>;

export interface ProcDeviceOptions {
  /** More 9P servers to count in /proc/9p (the node's exports), by name. */
  servers?: () => Iterable<[string, Server<unknown>]>;
}

const MODES = ['r', 'w', 'rw', 'x'];

/** Plan 9's /proc/n/status layout: name, user, state, six times, memory, priorities. */
export function statusText(p: Proc, now = Date.now()): string {
  const pad = (s: string, w: number): string => (s.length >= w ? s.slice(0, w - 1) : s).padEnd(w);
  const num = (n: number): string => String(Math.max(0, Math.floor(n))).padStart(11) + ' ';
  const real = now - p.started;
  return pad(p.name, 28) + pad(p.user, 28) + pad(p.state, 12) + num(0) + num(0) + num(real) + num(0) + num(0) + num(0)
    + num(0) + num(10) + num(10) + '\n';
}

/** rc's quoting: words with special characters in single quotes, quotes doubled. */
function rcQuote(s: string): string {
  return s !== '' && /^[A-Za-z0-9_.\/#!:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

export function fdText(p: Proc): string {
  return p.fds.list().map(({ n, fd }) => `${String(n).padStart(3)} ${MODES[fd.mode & 3]!.padEnd(2)} ${String(fd.offset).padStart(8)} ${fd.chan.path}\n`).join('');
}

export class ProcDevice implements FileServer<TreeFid> {
  readonly kernel: ProcKernel;
  readonly tree: Tree;
  readonly #opts: ProcDeviceOptions;
  /** The pid directories now in the root, by pid. */
  readonly #pids = new Map<number, { proc: Proc; node: TreeDir }>();

  constructor(kernel: ProcKernel, opts: ProcDeviceOptions = {}) {
    this.kernel = kernel;
    this.#opts = opts;
    this.tree = new Tree([
      text('boot', () => this.kernel.bootlog.map((l) => l + '\n').join('')),
      dir('9p', [
        text('sessions', () => this.#count((s) => s.sessions.size)),
        text('outstanding', () => this.#count((s) => [...s.sessions].reduce((n, x) => n + x.outstanding, 0))),
      ]),
    ], { owner: 'sys' });
  }

  /** Servers counted in /proc/9p: every device, then the extra ones. */
  servers(): Array<[string, Server<unknown>]> {
    const out: Array<[string, Server<unknown>]> = [];
    for (const [name, d] of this.kernel.devices) out.push([name, d.server]);
    for (const x of this.#opts.servers?.() ?? []) out.push(x);
    return out;
  }

  #count(f: (s: Server<unknown>) => number): string {
    const rows = this.servers().map(([name, s]) => [name, f(s)] as const);
    const total = rows.reduce((n, [, v]) => n + v, 0);
    return `total=${total}\n` + rows.map(([name, v]) => `${name}=${v}\n`).join('');
  }

  /** Bring the pid directories in line with kernel.procs. */
  #sync(): void {
    const root = this.tree.root;
    for (const [pid, x] of this.#pids) {
      if (this.kernel.procs.get(pid) !== x.proc) { root.drop(String(pid)); this.#pids.delete(pid); }
    }
    for (const [pid, p] of this.kernel.procs) {
      if (this.#pids.has(pid)) continue;
      const node = this.#pidDir(p);
      root.add(node);
      this.#pids.set(pid, { proc: p, node });
    }
  }

  #pidDir(p: Proc): TreeDir {
    const live = (): Proc => {
      if (this.kernel.procs.get(p.pid) !== p) throw new Error(Enoent);
      return p;
    };
    const o = { owner: p.user };
    return dir(String(p.pid), [
      text('status', () => statusText(live()), o),
      text('ns', () => live().ns.nsText(), o),
      text('args', () => live().args.map(rcQuote).join(' ') + '\n', o),
      text('fd', () => fdText(live()), o),
      file('note', {
        write: (_off, data) => {
          const note = new TextDecoder().decode(data).replace(/\n$/, '');
          if (note === '') throw new Error(Ebadctl);
          live().postnote(note);
          return data.length;
        },
      }, o),
      file('ctl', {
        write: (_off, data) => {
          const t = live();
          for (const line of new TextDecoder().decode(data).split('\n')) {
            const cmd = line.trim();
            if (cmd === '') continue;
            if (cmd === 'kill') t.postnote('kill');
            else if (cmd === 'interrupt') t.postnote('interrupt');
            else throw new Error(Ebadctl);
          }
          return data.length;
        },
      }, o),
    ], o);
  }

  attach(uname: string, aname: string, req: Req): Entry<TreeFid> {
    return this.tree.attach(uname, aname, req);
  }

  walk(fid: TreeFid, name: string, req: Req): Promise<Entry<TreeFid>> {
    if (fid.node === this.tree.root) this.#sync();
    return this.tree.walk(fid, name, req);
  }

  open(fid: TreeFid, mode: number, req: Req): Promise<Opened<TreeFid>> {
    return this.tree.open(fid, mode, req);
  }

  create(fid: TreeFid, name: string, perm: number, mode: number, req: Req): Promise<Entry<TreeFid>> {
    return this.tree.create(fid, name, perm, mode, req);
  }

  read(fid: TreeFid, offset: number, count: number, req: Req): Promise<Uint8Array> {
    return this.tree.read(fid, offset, count, req);
  }

  readdir(fid: TreeFid, req: Req): Promise<Dir[]> {
    if (fid.node === this.tree.root) this.#sync();
    return this.tree.readdir(fid, req);
  }

  write(fid: TreeFid, offset: number, data: Uint8Array, req: Req): Promise<number> {
    return this.tree.write(fid, offset, data, req);
  }

  clunk(fid: TreeFid, req: Req): Promise<void> {
    return this.tree.clunk(fid, req);
  }

  remove(fid: TreeFid, req: Req): Promise<void> {
    return this.tree.remove(fid, req);
  }

  stat(fid: TreeFid, req: Req): Dir {
    return this.tree.stat(fid, req);
  }

  wstat(fid: TreeFid, d: Dir, req: Req): void {
    this.tree.wstat(fid, d, req);
  }
}
