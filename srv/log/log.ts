// /log: the node's logs (log(4)). A directory of append-only files plus a ctl file:
//
//   /log/NAME.log     append-only (every write lands at the end); anyone may create one
//   /log/NAME.log.N   older generations after rotation, newest .1
//   /log/ctl          read: one line per log: `NAME size=B limit=B age=S keep=N generations=G`
//                     write: `rotate NAME` | `limit NAME BYTES` | `age NAME SECONDS` |
//                            `keep NAME N` (NAME `*` sets the default for every log)
//
// Rotation happens when a write leaves NAME.log over its size limit, or older than its age,
// or on `rotate`, but only at a line boundary: a line being written is never split between
// generations (a `rotate` that finds a partial line waits for the write that ends it).
// No line is lost by accident: as open(5) says of append-only files, OTRUNC opens without
// truncating, a wstat may not change a log's length, and only a log's owner may remove or
// rename it or one of its generations.
// A writer that keeps NAME.log open across a rotation goes on appending to the new NAME.log
// (it is the log it opened, not the bytes); readers of the old one keep their bytes, and
// `tail -f` sees the live file shrink and starts over. The kernel's log lines are appended
// to queen.log.

import type { Dir } from '../../fs/9p/fcall.ts';
import { nullDir, U64_MAX } from '../../fs/9p/fcall.ts';
import { DMAPPEND, DMDIR, ORCLOSE, OTRUNC, OWRITE } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Eperm } from '../../fs/9p/errors.ts';
import type { Entry, FileServer, Opened, Req } from '../../fs/server/fileserver.ts';
import { Ramfs } from '../../fs/server/ramfs.ts';
import type { RamHandle } from '../../fs/server/ramfs.ts';
import { Ebadctl } from '../../fs/server/tree.ts';

export interface LogLimits {
  /** Rotate when the file is larger than this (bytes; 0: never). */
  limit: number;
  /** Rotate when the current generation is older than this (seconds; 0: never). */
  age: number;
  /** Generations kept besides the live one. */
  keep: number;
}

export const DEFAULT_LIMITS: LogLimits = { limit: 1 << 20, age: 0, keep: 4 };
const CTLPATH = 0x7ff0_0000;

/** A fid's handle: the ctl file, or a file of the ramfs (with its log name when it is a live log). */
export type LogHandle = { kind: 'ctl' } | { kind: 'file'; h: RamHandle; log: string | undefined };

function isLog(name: string): boolean { return name.endsWith('.log') && name.length > 4; }
/** A live log or one of its generations (NAME.log.N). */
function isLogFile(name: string): boolean { return isLog(name) || /^.+\.log\.\d+$/.test(name); }
const sysReq = (signal = new AbortController().signal): Req => ({ uname: 'sys', signal, dialect: '9P2000' });

export class LogService implements FileServer<LogHandle> {
  readonly fs = new Ramfs({ owner: 'sys' });
  readonly #limits = new Map<string, Partial<LogLimits>>();
  #default: LogLimits = { ...DEFAULT_LIMITS };
  /** When each live log's current generation began (ms). */
  readonly #born = new Map<string, number>();
  readonly #now: () => number;
  /** Logs a `rotate` found mid-line: rotated by the write that ends the line. */
  readonly #pending = new Set<string>();

  constructor(opts: { now?: () => number; defaults?: Partial<LogLimits> } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#default = { ...DEFAULT_LIMITS, ...opts.defaults };
  }

  limits(name: string): LogLimits { return { ...this.#default, ...this.#limits.get(name) }; }

  /** Append bytes to log NAME (created if missing), rotating as its limits say. */
  append(name: string, data: Uint8Array | string): void {
    const req = sysReq();
    const h = this.#live(name, req, true)!;
    this.fs.write(h, 0, typeof data === 'string' ? Buffer.from(data) : data, req);
    this.fs.clunk(h, req);
    this.#maybeRotate(name);
  }

  /** An opened handle on live log NAME (made when asked). */
  #live(name: string, req: Req, make: boolean): RamHandle | undefined {
    const root = this.fs.attach('sys', '', req).node;
    try {
      const h = this.fs.walk(root, name, req).node;
      return this.fs.open(h, OWRITE, req).node ?? h;
    } catch (e) {
      if (!make || (e as Error).message !== Enoent) throw e;
      this.#born.set(name, this.#now());
      return this.fs.create(root, name, (DMAPPEND | 0o666) >>> 0, OWRITE, req).node;
    }
  }

  #size(name: string): number | undefined {
    const req = sysReq();
    try { return this.fs.stat(this.fs.walk(this.fs.attach('sys', '', req).node, name, req).node, req).length; } catch { return undefined; }
  }

  #maybeRotate(name: string): void {
    const l = this.limits(name);
    const size = this.#size(name) ?? 0;
    const born = this.#born.get(name) ?? this.#now();
    const over = (l.limit > 0 && size > l.limit) || (l.age > 0 && this.#now() - born >= l.age * 1000 && size > 0);
    if ((over || this.#pending.has(name)) && this.#endsLine(name)) this.rotate(name);
  }

  #endsLine(name: string): boolean {
    const req = sysReq();
    const h = this.fs.walk(this.fs.attach('sys', '', req).node, name, req).node;
    const n = this.fs.stat(h, req).length;
    return n === 0 || this.fs.read(h, n - 1, 1, req)[0] === 0x0a;
  }

  /** Rotate NAME now if its last line is complete, else when a write completes it. */
  requestRotate(name: string): void {
    if (this.#size(name) === undefined) throw new Error(Enoent);
    if (this.#endsLine(name)) this.rotate(name);
    else this.#pending.add(name);
  }

  /** NAME -> NAME.1 -> ... -> NAME.keep (the oldest dropped); a fresh empty NAME. */
  rotate(name: string): void {
    const req = sysReq();
    const root = this.fs.attach('sys', '', req).node;
    const keep = this.limits(name).keep;
    const walk = (n: string): RamHandle | undefined => { try { return this.fs.walk(root, n, req).node; } catch { return undefined; } };
    if (walk(name) === undefined) throw new Error(Enoent);
    const oldest = walk(`${name}.${keep}`);
    if (oldest) this.fs.remove(oldest, req);
    for (let i = keep - 1; i >= 1; i--) { const h = walk(`${name}.${i}`); if (h) this.fs.rename(h, root, `${name}.${i + 1}`, req); }
    const cur = walk(name)!;
    if (keep > 0) this.fs.rename(cur, root, `${name}.1`, req); else this.fs.remove(cur, req);
    this.fs.clunk(this.fs.create(root, name, (DMAPPEND | 0o666) >>> 0, OWRITE, req).node, req);
    this.#born.set(name, this.#now());
    this.#pending.delete(name);
  }

  ctlText(): string {
    const req = sysReq();
    const names = this.fs.readdir(this.fs.attach('sys', '', req).node, req).map((d) => d.name);
    return names.filter(isLog).sort().map((n) => {
      const l = this.limits(n);
      const gens = names.filter((x) => x.startsWith(`${n}.`) && /^\d+$/.test(x.slice(n.length + 1))).length;
      return `${n} size=${this.#size(n) ?? 0} limit=${l.limit} age=${l.age} keep=${l.keep} generations=${gens}\n`;
    }).join('');
  }

  ctl(line: string): void {
    const [verb, name, value, ...rest] = line.trim().split(/\s+/);
    if (!verb) return;
    if (verb === 'rotate' && name && value === undefined) {
      if (name === '*') { for (const n of this.#logs()) this.requestRotate(n); return; }
      this.requestRotate(name);
      return;
    }
    if ((verb === 'limit' || verb === 'age' || verb === 'keep') && name && value !== undefined && rest.length === 0) {
      const v = Number(value);
      if (!Number.isInteger(v) || v < 0 || (verb === 'keep' && v > 100)) throw new Error(`${Ebadctl}: ${verb} wants a whole number${verb === 'keep' ? ' up to 100' : ''}, not '${value}'`);
      if (name === '*') this.#default = { ...this.#default, [verb]: v };
      else this.#limits.set(name, { ...this.#limits.get(name), [verb]: v });
      if (name !== '*' && this.#size(name) !== undefined) this.#maybeRotate(name);
      return;
    }
    throw new Error(`${Ebadctl}: '${line.trim()}' (want rotate NAME, limit NAME BYTES, age NAME SECONDS or keep NAME N)`);
  }

  #logs(): string[] {
    const req = sysReq();
    return this.fs.readdir(this.fs.attach('sys', '', req).node, req).map((d) => d.name).filter(isLog);
  }

  // ---- FileServer ----

  attach(uname: string, aname: string, req: Req): Entry<LogHandle> {
    const e = this.fs.attach(uname, aname, req);
    return { qid: e.qid, node: { kind: 'file', h: e.node, log: undefined } };
  }

  walk(n: LogHandle, name: string, req: Req): Entry<LogHandle> {
    if (n.kind === 'ctl') throw new Error(Enoent);
    if (name === 'ctl' && n.h.file === this.fs.root) return { qid: { type: 0, version: 0, path: CTLPATH }, node: { kind: 'ctl' } };
    const e = this.fs.walk(n.h, name, req);
    const atRoot = n.h.file === this.fs.root && name !== '..';
    return { qid: e.qid, node: { kind: 'file', h: e.node, log: atRoot && isLog(name) ? name : undefined } };
  }

  open(n: LogHandle, mode: number, req: Req): Opened<LogHandle> | void {
    if (n.kind === 'ctl') return;
    // open(5): an append-only file opened with OTRUNC is not truncated.
    if (mode & OTRUNC && this.fs.stat(n.h, req).mode & DMAPPEND) mode &= ~OTRUNC;
    if (mode & ORCLOSE) this.#ownerOnly(n.h, req);
    const o = this.fs.open(n.h, mode, req);
    return { ...o, node: { kind: 'file', h: o.node ?? n.h, log: n.log } };
  }

  create(n: LogHandle, name: string, perm: number, mode: number, req: Req): Entry<LogHandle> {
    if (n.kind === 'ctl') throw new Error(Eperm);
    const atRoot = n.h.file === this.fs.root;
    if (atRoot && name === 'ctl') throw new Error(Eperm);
    const log = atRoot && isLog(name) && !(perm & DMDIR);
    const e = this.fs.create(n.h, name, log ? (perm | DMAPPEND) >>> 0 : perm, mode, req);
    if (log) this.#born.set(name, this.#now());
    return { qid: e.qid, node: { kind: 'file', h: e.node, log: log ? name : undefined } };
  }

  read(n: LogHandle, offset: number, count: number, req: Req): Uint8Array {
    if (n.kind === 'ctl') return Buffer.from(this.ctlText()).subarray(offset, offset + count);
    return this.fs.read(n.h, offset, count, req);
  }

  readdir(n: LogHandle, req: Req): Dir[] {
    if (n.kind === 'ctl') throw new Error(Eisdir);
    const ds = this.fs.readdir(n.h, req);
    return n.h.file === this.fs.root ? [this.#ctlDir(), ...ds] : ds;
  }

  write(n: LogHandle, offset: number, data: Uint8Array, req: Req): number {
    if (n.kind === 'ctl') {
      for (const line of Buffer.from(data).toString('utf8').split('\n')) this.ctl(line);
      return data.length;
    }
    if (n.log === undefined || this.#size(n.log) === undefined) return this.fs.write(n.h, offset, data, req);
    // The live log, whichever generation this fid first reached.
    const h = this.#live(n.log, req, false)!;
    const w = this.fs.write(h, 0, data, req);
    this.fs.clunk(h, req);
    this.#maybeRotate(n.log);
    return w;
  }

  clunk(n: LogHandle, req: Req): void { if (n.kind === 'file') this.fs.clunk(n.h, req); }

  remove(n: LogHandle, req: Req): void {
    if (n.kind === 'ctl') throw new Error(Eperm);
    this.#ownerOnly(n.h, req);
    this.fs.remove(n.h, req);
  }

  /** A log and its generations go away only by their owner's hand, whatever /log's mode. */
  #ownerOnly(h: RamHandle, req: Req): void {
    if (h.file.parent !== this.fs.root || h.file === this.fs.root) return;
    const d = this.fs.stat(h, req);
    if (isLogFile(d.name) && !(d.mode & DMDIR) && req.uname !== d.uid) throw new Error(Eperm);
  }

  stat(n: LogHandle, req: Req): Dir { return n.kind === 'ctl' ? this.#ctlDir() : this.fs.stat(n.h, req); }

  wstat(n: LogHandle, d: Dir, req: Req): void {
    if (n.kind === 'ctl') throw new Error(Eperm);
    const cur = this.fs.stat(n.h, req);
    if (d.name !== '' && d.name !== cur.name) this.#ownerOnly(n.h, req);
    // Truncating (or padding) an append-only file would lose or forge lines.
    if (d.length !== U64_MAX && d.length !== cur.length && cur.mode & DMAPPEND) throw new Error(Eperm);
    this.fs.wstat(n.h, d, req);
  }

  #ctlDir(): Dir {
    const t = Math.floor(this.#now() / 1000);
    return { ...nullDir(), type: 0, dev: 0, qid: { type: 0, version: 0, path: CTLPATH }, mode: 0o666, atime: t, mtime: t, length: 0, name: 'ctl', uid: 'sys', gid: 'sys', muid: 'sys' };
  }
}
