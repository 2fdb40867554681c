// The one interface every Cohesix file server implements (lib9p's Srv, as async callbacks).
// The framework (session.ts) does all protocol checks first: fids, open modes, permissions,
// directory offsets, dialect translation (9P2000.L messages map onto these calls).
// Handlers return results or throw Error(<Plan 9 error string>) from fs/9p/errors.ts.

import type { Dir, Qid, StatFs } from '../9p/fcall.ts';

/** What the framework knows about the request being served. */
export interface Req {
  /** The user the fid was attached as. */
  readonly uname: string;
  /** Aborted when the client flushes the request or the connection drops. */
  readonly signal: AbortSignal;
  /**
   * The same event without making an AbortSignal (about 1.5 us each): cb runs once when the
   * request is flushed or dropped; the returned function stops listening. Optional: Reqs made
   * outside the server framework may have only signal.
   */
  onAbort?(cb: () => void): () => void;
  /** '9P2000' or '9P2000.L'. */
  readonly dialect: string;
}

/** A file reached by attach, walk or create: its qid and the server's own handle for it. */
export interface Entry<N> {
  qid: Qid;
  node: N;
}

/** Result of open: a new node replaces the fid's handle for this open (per-open state). */
export interface Opened<N> {
  node?: N;
  qid?: Qid;
  /** 0 means msize - IOHDRSZ. */
  iounit?: number;
}

export interface FileServer<N = unknown> {
  attach(uname: string, aname: string, req: Req): Promise<Entry<N>> | Entry<N>;
  /** One path element; '..' at the root stays at the root. Throw Enoent when missing. */
  walk(node: N, name: string, req: Req): Promise<Entry<N>> | Entry<N>;
  /** mode is a Plan 9 open mode (OREAD..OEXEC | OTRUNC | ORCLOSE); permission is already checked. */
  open(node: N, mode: number, req: Req): Promise<Opened<N> | void> | Opened<N> | void;
  /** Create name in directory dir (perm includes DMDIR for a directory) and open it with mode. */
  create(dir: N, name: string, perm: number, mode: number, req: Req): Promise<Entry<N>> | Entry<N>;
  /** Read a file (never a directory: the framework serves those from readdir). */
  read(node: N, offset: number, count: number, req: Req): Promise<Uint8Array> | Uint8Array;
  /** The entries of a directory, read once per directory scan. */
  readdir(node: N, req: Req): Promise<Dir[]> | Dir[];
  write(node: N, offset: number, data: Uint8Array, req: Req): Promise<number> | number;
  /** The fid is gone (clunk, remove, session end). */
  clunk?(node: N, req: Req): Promise<void> | void;
  remove(node: N, req: Req): Promise<void> | void;
  stat(node: N, req: Req): Promise<Dir> | Dir;
  /** Fields equal to nullDir() values are "don't touch" (stat(5)). */
  wstat(node: N, dir: Dir, req: Req): Promise<void> | void;

  // Optional, used for 9P2000.L clients; without them the framework answers a proper error.
  /** Move node to directory newDir under newName (Trename, Trenameat). */
  rename?(node: N, newDir: N, newName: string, req: Req): Promise<void> | void;
  symlink?(dir: N, name: string, target: string, req: Req): Promise<Entry<N>> | Entry<N>;
  readlink?(node: N, req: Req): Promise<string> | string;
  link?(dir: N, node: N, name: string, req: Req): Promise<void> | void;
  statfs?(req: Req): Promise<StatFs> | StatFs;
}
