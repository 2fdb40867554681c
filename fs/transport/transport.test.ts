// Every transport carries the same 9P session: framer edge cases, dial strings, and a real
// server (ramfs) reached over the pair, TCP, a unix socket and a WebSocket.

import { describe, expect, it } from 'vitest';
import * as os from 'node:os';
import * as path from 'node:path';
import { encode } from '../9p/codec.ts';
import { Framer } from './framer.ts';
import { parseDialString } from './dialstring.ts';
import { dial, listen } from './net.ts';
import { dialWebSocket, listenWebSocket } from './websocket.ts';
import { linkPair } from './pair.ts';
import { Ramfs } from '../server/ramfs.ts';
import { Server } from '../server/server.ts';
import { Fsys } from '../client/index.ts';
import type { Link } from './link.ts';

describe('Framer', () => {
  const frames = [
    encode({ type: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000' }),
    encode({ type: 'Twrite', tag: 1, fid: 2, offset: 3, data: Buffer.alloc(1000, 7) }),
    encode({ type: 'Tclunk', tag: 2, fid: 2 }),
  ];
  const all = Buffer.concat(frames);

  it('reassembles frames from any chunking, byte by byte included', () => {
    for (const step of [1, 2, 3, 7, 100, all.length]) {
      const got: Buffer[] = [];
      const f = new Framer({ frame: (b) => got.push(Buffer.from(b)), reject: () => { throw new Error('reject'); }, broken: () => { throw new Error('broken'); } }, 8192);
      for (let i = 0; i < all.length; i += step) f.push(all.subarray(i, i + step));
      expect(got).toEqual(frames);
      expect(f.buffered).toBe(0);
    }
  });

  it('skips an oversized frame by its size and resynchronises', () => {
    const got: string[] = [];
    const f = new Framer({ frame: () => got.push('frame'), reject: (e) => got.push(`reject ${e.tag}: ${e.message}`), broken: () => got.push('broken') }, 200);
    f.push(Buffer.concat([frames[1]!, frames[2]!]));
    expect(got).toEqual(['reject 1: frame of 1023 bytes exceeds msize 200', 'frame']);
  });

  it('declares the stream broken on an unbelievable size', () => {
    const got: string[] = [];
    const f = new Framer({ frame: () => got.push('frame'), reject: () => got.push('reject'), broken: (e) => got.push(e.message) }, 8192);
    f.push(Buffer.from([2, 0, 0, 0, 1, 2, 3]));
    f.push(frames[2]!);
    expect(got).toEqual(['frame size 2 is not believable; closing the connection']);
  });
});

describe('dial strings', () => {
  it('parses Plan 9 and host:port forms', () => {
    expect(parseDialString('tcp!127.0.0.1!5640')).toEqual({ proto: 'tcp', host: '127.0.0.1', port: 5640 });
    expect(parseDialString('127.0.0.1:564')).toEqual({ proto: 'tcp', host: '127.0.0.1', port: 564 });
    expect(parseDialString('tcp!localhost!9fs')).toEqual({ proto: 'tcp', host: 'localhost', port: 564 });
    expect(parseDialString('unix!/tmp/s')).toEqual({ proto: 'unix', path: '/tmp/s' });
    expect(parseDialString('[::1]:80')).toEqual({ proto: 'tcp', host: '::1', port: 80 });
    expect(() => parseDialString('udp!x!1')).toThrow("unknown network 'udp'");
    expect(() => parseDialString('tcp!x!http')).toThrow("port 'http' is not a number");
  });
});

async function exercise(link: Link): Promise<void> {
  const fsys = await Fsys.mount(link, { version: '9P2000', uname: 'glenda' });
  const data = Buffer.alloc(300_000);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  await fsys.writeFile('/x', data);
  expect(Buffer.compare(await fsys.readFile('/x'), data)).toBe(0);
  expect((await fsys.readdir('/')).map((d) => d.name)).toEqual(['x']);
  fsys.close();
}

describe('a ramfs session over each transport', () => {
  it('in-process pair', async () => {
    const [a, b] = linkPair();
    new Server(new Ramfs()).serve(a);
    await exercise(b);
  });

  it('TCP', async () => {
    const server = new Server(new Ramfs());
    const l = await listen('tcp!127.0.0.1!0', (link) => server.serve(link));
    expect(l.address).toMatch(/^tcp!127\.0\.0\.1!\d+$/);
    await exercise(await dial(l.address));
    await l.close();
  });

  it('unix socket', async () => {
    const sock = path.join(os.tmpdir(), `cohesix-test-${process.pid}.sock`);
    const server = new Server(new Ramfs());
    const l = await listen(`unix!${sock}`, (link) => server.serve(link));
    await exercise(await dial(`unix!${sock}`));
    await l.close();
  });

  it('WebSocket', async () => {
    const server = new Server(new Ramfs());
    const l = await listenWebSocket('127.0.0.1', 0, (link) => server.serve(link));
    await exercise(await dialWebSocket(l.address));
    await l.close();
  });

  it('dialing nothing fails with the reason', async () => {
    await expect(dial('tcp!127.0.0.1!1')).rejects.toThrow(/ECONNREFUSED/);
  });
});
