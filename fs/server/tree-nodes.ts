// The nodes of a synthetic file tree (see tree.ts for the server and a usage example):
// static directories, generated directories, and files whose every open yields a Session.
// The builders (dir, gen, text, ctl, file, session, feed) are the API services use.

import type { Req } from './fileserver.ts';
import { DMDIR } from '../9p/constants.ts';
import { Eexist } from '../9p/errors.ts';
import type { Feed } from './tree-feed.ts';
import { readStr, toBytes } from './tree-feed.ts';

export type MaybePromise<T> = T | Promise<T>;

/** Longest unterminated ctl line kept between writes. */
export const MAXLINE = 1 << 20;
/** Error for a ctl line past MAXLINE (not in errors.ts). */
export const Elinelong = 'control line too long';

/** What one open of a file does. Missing read or write answers Eperm. */
export interface Session {
  /** Data at offset; a longer answer is cut to count. */
  read?(offset: number, count: number, req: Req): MaybePromise<Uint8Array | string>;
  /** Returns the bytes taken (default: all). */
  write?(offset: number, data: Uint8Array, req: Req): MaybePromise<number | void>;
  /** The fid is gone. An error thrown here is reported to the clunk. */
  clunk?(req: Req): MaybePromise<void>;
}

export interface NodeOpts {
  /** Permission bits, plus DMAPPEND/DMEXCL if wanted (DMDIR is added for directories). */
  mode?: number;
  /** Owner and group (default: the tree's). */
  owner?: string;
  group?: string;
  /** Makes the node removable (rm, ORCLOSE): called, then the node leaves its directory. The hook is the policy. */
  remove?: (req: Req) => MaybePromise<void>;
}

export interface DirOpts extends NodeOpts {
  /** Makes the directory accept Tcreate: return the new node (named name); it is added and opened. */
  create?: (name: string, perm: number, req: Req) => MaybePromise<TreeNode>;
}

export class TreeNode {
  /** Set by the builder; a generated child is renamed to the name it was made for. */
  name: string;
  parent: TreeDir | TreeGen | undefined;
  mode: number;
  owner: string | undefined;
  group: string | undefined;
  readonly onRemove: ((req: Req) => MaybePromise<void>) | undefined;
  /** Open fids (for DMEXCL). */
  opens = 0;
  /** Set once removed through the tree (rm or ORCLOSE). */
  removed = false;

  constructor(name: string, mode: number, opts: NodeOpts) {
    this.name = name;
    this.parent = undefined;
    this.mode = (opts.mode ?? mode) >>> 0;
    this.owner = opts.owner;
    this.group = opts.group;
    this.onRemove = opts.remove;
  }

  get isDir(): boolean { return false; }
}

/** A file: every open calls opener for the Session that serves that fid. */
export class TreeFile extends TreeNode {
  readonly opener: (mode: number, req: Req) => MaybePromise<Session>;
  constructor(name: string, mode: number, opts: NodeOpts, opener: (mode: number, req: Req) => MaybePromise<Session>) {
    super(name, mode & ~DMDIR, opts);
    this.mode = (this.mode & ~DMDIR) >>> 0;
    this.opener = opener;
  }
}

/** A directory with a fixed (but editable) set of children. */
export class TreeDir extends TreeNode {
  readonly children = new Map<string, TreeNode>();
  readonly onCreate: DirOpts['create'];

  constructor(name: string, children: TreeNode[], opts: DirOpts) {
    super(name, opts.create ? 0o777 : 0o555, opts);
    this.mode = (this.mode | DMDIR) >>> 0;
    this.onCreate = opts.create;
    this.add(...children);
  }

  override get isDir(): boolean { return true; }

  /** Add children (e.g. /srv/<posted>); a duplicate name throws Eexist. */
  add(...nodes: TreeNode[]): this {
    for (const n of nodes) {
      if (this.children.has(n.name)) throw new Error(Eexist);
      if (n.parent && n.parent !== this) throw new Error(`tree: ${n.name} already has a parent`);
      n.parent = this;
      this.children.set(n.name, n);
    }
    return this;
  }

  /** Remove a child by name; returns it, or undefined. */
  drop(name: string): TreeNode | undefined {
    const n = this.children.get(name);
    if (n) { this.children.delete(name); n.parent = undefined; }
    return n;
  }

  get(name: string): TreeNode | undefined { return this.children.get(name); }
}

export interface GenSpec {
  /** The children's names now. */
  list(): MaybePromise<Iterable<string>>;
  /** Build the child called name (once while it stays listed); undefined means it does not exist. */
  make(name: string): TreeNode | undefined;
}

/** A directory whose children are listed on demand (e.g. /proc/<pid>); made children are kept while listed. */
export class TreeGen extends TreeNode {
  readonly spec: GenSpec;
  readonly #made = new Map<string, TreeNode>();

  constructor(name: string, spec: GenSpec, opts: NodeOpts) {
    super(name, 0o555, opts);
    this.mode = (this.mode | DMDIR) >>> 0;
    this.spec = spec;
  }

  override get isDir(): boolean { return true; }

  async lookup(name: string): Promise<TreeNode | undefined> {
    const names = await this.#names();
    return names.has(name) ? this.#child(name) : undefined;
  }

  async entries(): Promise<TreeNode[]> {
    const out: TreeNode[] = [];
    for (const name of await this.#names()) {
      const n = this.#child(name);
      if (n) out.push(n);
    }
    return out;
  }

  /** Forget a made child (it was removed). */
  forget(name: string): void { this.#made.delete(name); }

  async #names(): Promise<Set<string>> {
    const names = new Set(await this.spec.list());
    for (const k of this.#made.keys()) if (!names.has(k)) this.#made.delete(k);
    return names;
  }

  #child(name: string): TreeNode | undefined {
    let n = this.#made.get(name);
    if (!n) {
      n = this.spec.make(name);
      if (!n) return undefined;
      n.name = name;
      n.parent = this;
      this.#made.set(name, n);
    }
    return n;
  }
}

// ---- builders ----

/** A directory of static children. */
export function dir(name: string, children: TreeNode[] = [], opts: DirOpts = {}): TreeDir {
  return new TreeDir(name, children, opts);
}

/** A directory generated on each walk/read from spec.list and spec.make. */
export function gen(name: string, spec: GenSpec, opts: NodeOpts = {}): TreeGen {
  return new TreeGen(name, spec, opts);
}

/** A read-only text file (0o444); content is generated when an open reads at offset 0. */
export function text(name: string, content: string | Uint8Array | (() => MaybePromise<string | Uint8Array>), opts: NodeOpts = {}): TreeFile {
  const get = typeof content === 'function' ? content : () => content;
  return new TreeFile(name, 0o444, opts, () => {
    let snap: Uint8Array | undefined;
    return {
      async read(offset, count) {
        if (offset === 0 || !snap) snap = toBytes(await get());
        return readStr(snap, offset, count);
      },
    };
  });
}

export interface CtlHandlers {
  /** Text a read returns (generated when an open reads at offset 0); empty if absent. */
  status?: () => MaybePromise<string>;
  /**
   * One command: a complete line, trimmed, never empty. Throw a Plan 9 error string to refuse
   * it: the write fails and the rest of that write is dropped.
   */
  command: (line: string, req: Req) => MaybePromise<void>;
}

/**
 * A control file (0o666): reads give the status text; written bytes are split into lines,
 * each complete line runs command in order; a last unterminated line runs at clunk.
 */
export function ctl(name: string, h: CtlHandlers, opts: NodeOpts = {}): TreeFile {
  return new TreeFile(name, 0o666, opts, () => {
    const decoder = new TextDecoder();
    let pending = new Uint8Array(0);
    let snap: Uint8Array | undefined;
    let queue: Promise<unknown> = Promise.resolve();
    const serial = <T>(fn: () => Promise<T>): Promise<T> => {
      const p = queue.then(fn);
      queue = p.catch(() => undefined);
      return p;
    };
    const run = async (bytes: Uint8Array, req: Req): Promise<void> => {
      for (const line of decoder.decode(bytes).split('\n')) {
        const cmd = line.trim();
        if (cmd !== '') await h.command(cmd, req);
      }
    };
    return {
      async read(offset, count) {
        if (offset === 0 || !snap) snap = toBytes(h.status ? await h.status() : '');
        return readStr(snap, offset, count);
      },
      write: (_offset, data, req) => serial(async () => {
        const all = new Uint8Array(pending.length + data.length);
        all.set(pending);
        all.set(data, pending.length);
        const nl = all.lastIndexOf(0x0a);
        pending = all.slice(nl + 1);
        if (pending.length > MAXLINE) { pending = new Uint8Array(0); throw new Error(Elinelong); }
        if (nl >= 0) {
          try { await run(all.subarray(0, nl), req); } catch (e) { pending = new Uint8Array(0); throw e; }
        }
        return data.length;
      }),
      clunk: (req) => serial(async () => {
        const rest = pending;
        pending = new Uint8Array(0);
        if (rest.length > 0) await run(rest, req);
      }),
    };
  });
}

/** A file served by shared stateless handlers (mode from which handlers exist: 0o444, 0o222, 0o666). */
export function file(name: string, h: Omit<Session, 'clunk'>, opts: NodeOpts = {}): TreeFile {
  const mode = (h.read ? 0o444 : 0) | (h.write ? 0o222 : 0);
  return new TreeFile(name, mode, opts, () => h);
}

/** A file whose every open gets its own Session from open (0o666): e.g. an inference session. */
export function session(name: string, open: (mode: number, req: Req) => MaybePromise<Session>, opts: NodeOpts = {}): TreeFile {
  return new TreeFile(name, 0o666, opts, open);
}

/** A read-only stream (0o444): each open reads the records of source pushed after it opened, blocking for more. */
export function feed(name: string, source: Feed, opts: NodeOpts = {}): TreeFile {
  return new TreeFile(name, 0o444, opts, () => {
    const r = source.open();
    return {
      read: (_offset, count, req) => r.read(count, req.signal),
      clunk: () => r.close(),
    };
  });
}
