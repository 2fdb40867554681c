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

export class Device {
  /** '#c', '#p', '#e', '#sim', ... as named in namespace files. */
  readonly name: string;
  /** The capability object that gates it, e.g. 'dev:#c'. */
  readonly object: string;
  readonly fs: FileServer<unknown>;
  readonly server: Server<unknown>;
  private client: Promise<Client> | undefined;

  constructor(name: string, fs: FileServer<unknown>, log?: (m: string) => void) {
    this.name = name;
    this.object = `dev:${name}`;
    this.fs = fs;
    this.server = new Server(fs, log ? { log } : {});
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
    return new Chan(path, qid, cap, { kind: 'fid', fid: new CFid(c, fid, qid, '/') });
  }

  async close(): Promise<void> {
    const c = await this.client;
    c?.close();
    this.server.closeAll();
    // A service holding resources (a physics world, inference sessions, timers) lets them go.
    await (this.fs as { close?: () => unknown }).close?.();
  }
}

/** A chan on the root of a remote 9P server, dialed by the caller (see fs/transport). */
export async function remoteChan(client: Client, cap: Cap, path: string): Promise<Chan> {
  return new Chan(path, client.rootQid, cap, { kind: 'fid', fid: new CFid(client, client.rootFid, client.rootQid, '/') });
}
