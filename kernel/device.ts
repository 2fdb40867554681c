// A kernel device or service: a FileServer reached through the in-process 9P pair, so
// local servers obey exactly the protocol remote ones do. One session per device; each
// attach is its own fid tree. A server that throws cannot take the kernel down: its
// session turns the failure into an error reply.

import { CFid, Client } from '../fs/client/index.ts';
import type { FileServer } from '../fs/server/fileserver.ts';
import { Server } from '../fs/server/server.ts';
import { linkPair } from '../fs/transport/pair.ts';
import type { Cap } from './cap.ts';
import { Chan } from './chan.ts';
import type { DevId, MntRef } from './chan.ts';

/** Dir.type of a mounted 9P connection, and of a service (a device whose name is not one letter). */
export const MNTTYPE = 0x4d; // 'M'

export class Device {
  /** '#c', '#p', '#e', '#sim', ... as named in namespace files. */
  readonly name: string;
  /** The capability object that gates it, e.g. 'dev:#c'. */
  readonly object: string;
  readonly fs: FileServer<unknown>;
  readonly server: Server<unknown>;
  private client: Promise<Client> | undefined;
  /** Dir.type of its files: its letter ('#c' is 'c'); a service ('#sim') is a mounted server, 'M'. */
  readonly type: number;
  /** Instances by attach name (not '' or a number): each attach tree is its own Dir.dev. */
  readonly #instances = new Map<string, DevId>();
  readonly #newDev: () => number;
  #lastNum: DevId | undefined;
  readonly devid: DevId;

  /** newDev numbers an 'M' instance (one sequence per kernel, shared with mounted connections). */
  constructor(name: string, fs: FileServer<unknown>, log?: (m: string) => void, newDev?: () => number) {
    this.name = name;
    this.object = `dev:${name}`;
    this.fs = fs;
    this.server = new Server(fs, log ? { log } : {});
    this.type = name.length === 2 ? name.charCodeAt(1) : MNTTYPE;
    let n = 0;
    this.#newDev = this.type === MNTTYPE ? newDev ?? (() => n++) : () => this.#instances.size;
    this.devid = { type: this.type, dev: this.type === MNTTYPE ? this.#newDev() : 0 };
  }

  /**
   * The instance an attach name reaches (Plan 9's c->dev). A per-process device's numeric
   * name (#d's pid, #e's group) is its own number, so no table grows per process; other
   * names (#c's consoles, a service's aname) are numbered as first seen: from 0 for a
   * kernel device (whose '' is its default tree, e.g. #c's first console), from the
   * kernel's 'M' sequence for a service.
   */
  instance(aname: string): DevId {
    if (aname === '') return this.devid;
    if (this.type !== MNTTYPE && /^[1-9][0-9]{0,8}$/.test(aname)) {
      const n = Number(aname);
      // A process walks its own /fd or /env again and again: the last one is kept.
      if (this.#lastNum?.dev !== n) this.#lastNum = { type: this.type, dev: n };
      return this.#lastNum;
    }
    let d = this.#instances.get(aname);
    if (!d) { d = { type: this.type, dev: this.#newDev() }; this.#instances.set(aname, d); }
    return d;
  }

  private conn(): Promise<Client> {
    if (!this.client) {
      const [a, b] = linkPair();
      this.server.serve(a);
      this.client = Client.connect(b, { version: '9P2000', uname: 'kernel' });
    }
    return this.client;
  }

  async attach(uname: string, aname: string, cap: Cap, path = '/'): Promise<Chan> {
    cap.check(0, 'attach');
    const c = await this.conn();
    const { fid, qid } = await c.attach(uname, aname);
    return new Chan(path, qid, cap, { kind: 'fid', fid: new CFid(c, fid, qid, '/') }, this.instance(aname));
  }

  async close(): Promise<void> {
    const c = await this.client;
    c?.close();
    this.server.closeAll();
    // A service holding resources (a physics world, inference sessions, timers) lets them go.
    await (this.fs as { close?: () => unknown }).close?.();
  }
}

/**
 * A 9P connection the kernel dialed (Plan 9's Mnt): its files are type 'M' with a dev of
 * their own. Mounts, /srv posts and open files hold it; when the last lets go it is closed,
 * and kernel shutdown closes whatever is left (an open socket would keep Node running).
 */
export class Mnt implements MntRef {
  readonly client: Client;
  readonly devid: DevId;
  #refs = 0;
  readonly #gone: (m: Mnt) => void;

  constructor(client: Client, dev: number, gone: (m: Mnt) => void) {
    this.client = client;
    this.devid = { type: MNTTYPE, dev, mnt: this };
    this.#gone = gone;
    void client.closed.then(() => gone(this)); // the server hung up
  }

  hold(): void { this.#refs++; }

  release(): void {
    if (--this.#refs <= 0) this.close();
  }

  /** Hang up now (last release, a revoked net capability, kernel shutdown). */
  close(): void {
    this.client.close();
    this.#gone(this);
  }

  /** A chan on the server's root (the fid attached when the connection was made). */
  rootChan(cap: Cap, path: string): Chan {
    const c = this.client;
    return new Chan(path, c.rootQid, cap, { kind: 'fid', fid: new CFid(c, c.rootFid, c.rootQid, '/') }, this.devid);
  }
}
