// A deliberately naive 9P client for tests: one request at a time over a raw socket, using
// only the codec, so server tests do not depend on fs/client.

import * as net from 'node:net';
import { decode, encode } from '../fs/9p/codec.ts';
import type { Fcall } from '../fs/9p/fcall.ts';
import type { Dialect } from '../fs/9p/constants.ts';
import { Framer } from '../fs/transport/framer.ts';
import { parseDialString } from '../fs/transport/dialstring.ts';

export class RawClient {
  readonly sock: net.Socket;
  private waiting: Array<(f: Fcall | Error) => void> = [];
  dialect: Dialect = '9P2000';
  closed = false;

  private constructor(sock: net.Socket) {
    this.sock = sock;
    const framer = new Framer({
      frame: (b) => { const w = this.waiting.shift(); w?.(decode(b, this.dialect)); },
      reject: (e) => { this.waiting.shift()?.(e); },
      broken: (e) => { this.waiting.shift()?.(e); },
    }, 1 << 24);
    sock.on('data', (b) => framer.push(b));
    sock.on('close', () => { this.closed = true; for (const w of this.waiting.splice(0)) w(new Error('connection closed')); });
    sock.on('error', () => {});
  }

  static connect(addr: string): Promise<RawClient> {
    const a = parseDialString(addr);
    if (a.proto !== 'tcp') throw new Error('tcp only');
    return new Promise((res, rej) => {
      const s = net.connect(a.port, a.host, () => { s.setNoDelay(true); res(new RawClient(s)); });
      s.once('error', rej);
    });
  }

  /** Send raw bytes and wait for the next reply frame. */
  sendRaw(b: Uint8Array): Promise<Fcall> {
    return new Promise((res, rej) => {
      this.waiting.push((f) => (f instanceof Error ? rej(f) : res(f)));
      this.sock.write(b);
    });
  }

  rpc(f: Fcall): Promise<Fcall> { return this.sendRaw(encode(f, this.dialect)); }

  async handshake(version: Dialect = '9P2000', uname = 'glenda'): Promise<void> {
    const r = await this.rpc({ type: 'Tversion', tag: 0xffff, msize: 65560, version });
    if (r.type !== 'Rversion') throw new Error('no Rversion');
    this.dialect = version;
    const a = await this.rpc({ type: 'Tattach', tag: 1, fid: 0, afid: 0xffffffff, uname, aname: '', ...(version === '9P2000.L' ? { nuname: 0xffffffff } : {}) });
    if (a.type !== 'Rattach') throw new Error(`attach failed: ${JSON.stringify(a)}`);
  }

  close(): void { this.sock.destroy(); }
}
