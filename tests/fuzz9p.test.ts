// Fuzz the live server with random and mutated frames over real TCP, then check it still
// serves a well-behaved client. The server must never crash, and a connection may only be
// closed when a frame's boundary could not be trusted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import fc from 'fast-check';
import { encode } from '../fs/9p/codec.ts';
import type { Fcall } from '../fs/9p/fcall.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { listen } from '../fs/transport/net.ts';
import type { Listener } from '../fs/transport/net.ts';
import { RawClient } from './rawclient.ts';

const encode9 = (f: Fcall): Buffer => encode(f, '9P2000');
const qid = { type: 0, version: 1, path: 7 };
const dir = { type: 0, dev: 0, qid, mode: 0o644, atime: 1, mtime: 2, length: 3, name: 'n', uid: 'u', gid: 'g', muid: 'm' };
const SEEDS: Fcall[] = [
  { type: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000' },
  { type: 'Tattach', tag: 1, fid: 5, afid: 0xffffffff, uname: 'glenda', aname: '' },
  { type: 'Twalk', tag: 2, fid: 0, newfid: 9, wname: ['a', 'b', 'c'] },
  { type: 'Topen', tag: 3, fid: 9, mode: 2 },
  { type: 'Tcreate', tag: 4, fid: 9, name: 'f', perm: 0o644, mode: 1 },
  { type: 'Tread', tag: 5, fid: 9, offset: 0, count: 100 },
  { type: 'Twrite', tag: 6, fid: 9, offset: 0, data: Buffer.from('hello') },
  { type: 'Tclunk', tag: 7, fid: 9 },
  { type: 'Tremove', tag: 8, fid: 9 },
  { type: 'Tstat', tag: 9, fid: 0 },
  { type: 'Twstat', tag: 10, fid: 9, stat: dir },
  { type: 'Tflush', tag: 11, oldtag: 3 },
  { type: 'Tgetattr', tag: 12, fid: 0, requestMask: 0x7ff },
  { type: 'Treaddir', tag: 13, fid: 0, offset: 0n, count: 4096 },
  { type: 'Tlcreate', tag: 14, fid: 9, name: 'x', flags: 2, mode: 0o644, gid: 0 },
];
const SEED_FRAMES = SEEDS.map((f) => encode(f, '9P2000'));

let listener: Listener;
let server: Server;

beforeAll(async () => {
  server = new Server(new Ramfs(), { log: (m) => { if (process.env.FUZZ_DEBUG) console.log('server:', m); } });
  listener = await listen('tcp!127.0.0.1!0', (l) => server.serve(l));
});
afterAll(async () => {
  server.closeAll();
  await listener.close();
});

function port(): number { return Number(listener.address.split('!')[2]); }

/** Mutate a valid frame: flip bytes, truncate or extend, keeping or breaking the size field. */
function mutate(rnd: () => number, f: Buffer): Buffer {
  const b = Buffer.from(f);
  const kind = Math.floor(rnd() * 5);
  if (kind === 0) { for (let i = 0; i < 1 + rnd() * 4; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256); b.writeUInt32LE(b.length, 0); return b; }
  if (kind === 1) { const n = 7 + Math.floor(rnd() * Math.max(1, b.length - 7)); const t = b.subarray(0, n); t.writeUInt32LE(n, 0); return Buffer.from(t); }
  if (kind === 2) { const extra = Buffer.alloc(Math.floor(rnd() * 20), Math.floor(rnd() * 256)); const t = Buffer.concat([b, extra]); t.writeUInt32LE(t.length, 0); return t; }
  if (kind === 3) { b[4] = Math.floor(rnd() * 256); return b; }
  // random body of a believable size
  const n = 7 + Math.floor(rnd() * 64);
  const t = Buffer.alloc(n);
  for (let i = 4; i < n; i++) t[i] = Math.floor(rnd() * 256);
  t.writeUInt32LE(n, 0);
  return t;
}

function blast(frames: Buffer[]): Promise<{ replies: number; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port(), '127.0.0.1');
    let bytes = 0, closed = false;
    s.on('data', (d) => { bytes += d.length; });
    s.on('error', () => {});
    s.on('close', () => { closed = true; });
    s.on('connect', () => {
      // Done when replies have stopped arriving for a while (or the server closed us);
      // a busy machine only makes this slower, never a false failure.
      s.write(Buffer.concat(frames), () => {
        const start = Date.now();
        let seen = -1;
        const tick = (): void => {
          if (closed || (bytes > 0 && bytes === seen) || Date.now() - start > 10_000) { const c = closed; s.destroy(); resolve({ replies: bytes, closed: c }); return; }
          seen = bytes;
          setTimeout(tick, 40);
        };
        setTimeout(tick, 40);
      });
    });
  });
}

describe('9P server under fuzz', () => {
  it('survives 100k random and mutated frames and keeps connections usable', async () => {
    let seed = 12345;
    const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 0x100000000; };
    let sent = 0;
    while (sent < 100_000) {
      // Each batch starts with a real version+attach so later frames reach deeper code.
      const batch = [SEED_FRAMES[0]!, SEED_FRAMES[1]!];
      for (let i = 0; i < 1000; i++) batch.push(mutate(rnd, SEED_FRAMES[Math.floor(rnd() * SEED_FRAMES.length)]!));
      sent += batch.length;
      const r = await blast(batch);
      if (process.env.FUZZ_DEBUG && r.replies === 0) console.log('no replies; closed', r.closed, batch.slice(2, 12).map((b) => b.toString('hex')));
      expect(r.replies).toBeGreaterThan(0);
    }
    expect(sent).toBeGreaterThanOrEqual(100_000);
  }, 120_000);

  it('answers malformed frames with errors and keeps the connection', async () => {
    const c = await RawClient.connect(listener.address);
    await c.handshake();
    const bad: Array<[Buffer, string]> = [
      [Buffer.from([5, 0, 0, 0, 100]), 'shorter than the 7-byte header'],
      [Buffer.from([7, 0, 0, 0, 99, 1, 0]), 'unknown message type 99'],
      [Buffer.from([7, 0, 0, 0, 106, 1, 0]), 'unknown message type 106'],
      [(() => { const b = encode9({ type: 'Twalk', tag: 3, fid: 0, newfid: 1, wname: ['a'] }); return b.subarray(0, b.length - 1); })(), 'truncated'],
      [(() => { const b = encode9({ type: 'Twalk', tag: 3, fid: 0, newfid: 1, wname: ['\u00e9'] }); b[b.length - 1] = 0xff; return b; })(), 'UTF-8'],
      [(() => { // the encoder refuses 17 names, so append the 17th by hand
        const b = Buffer.concat([encode9({ type: 'Twalk', tag: 3, fid: 0, newfid: 1, wname: Array(16).fill('a') }), Buffer.from([1, 0, 0x61])]);
        b.writeUInt16LE(17, 15); b.writeUInt32LE(b.length, 0); return b;
      })(), 'exceed the limit of 16'],
      [encode9({ type: 'Tclunk', tag: 3, fid: 77 }), 'unknown fid'],
      [encode9({ type: 'Tread', tag: 3, fid: 0, offset: 0, count: 10 }), 'fid not open'],
      [encode9({ type: 'Tattach', tag: 3, fid: 0, afid: 0xffffffff, uname: 'x', aname: '' }), 'fid already in use'],
    ];
    for (const [frame, want] of bad) {
      const wire = Buffer.from(frame);
      if (wire.length >= 4 && want === 'truncated') wire.writeUInt32LE(wire.length, 0);
      const r = await c.sendRaw(wire);
      expect(r.type, want).toBe('Rerror');
      expect((r as { ename: string }).ename).toContain(want);
    }
    // flush of an unknown tag is answered with Rflush
    expect((await c.rpc({ type: 'Tflush', tag: 4, oldtag: 999 })).type).toBe('Rflush');
    // still usable
    const w = await c.rpc({ type: 'Twalk', tag: 5, fid: 0, newfid: 1, wname: [] });
    expect(w.type).toBe('Rwalk');
    c.close();
  });

  it('closes only the connection that sent an absurd size', async () => {
    const good = await RawClient.connect(listener.address);
    await good.handshake();
    const bad = await RawClient.connect(listener.address);
    await bad.handshake();
    const b = Buffer.alloc(7); b.writeUInt32LE(0x7fffffff, 0);
    await expect(bad.sendRaw(b)).rejects.toThrow(/closed/);
    expect((await good.rpc({ type: 'Tstat', tag: 2, fid: 0 })).type).toBe('Rstat');
    good.close();
  });

  it('skips a frame larger than msize, answers it, and stays in sync', async () => {
    const c = await RawClient.connect(listener.address);
    await c.handshake();
    const big = encode9({ type: 'Twrite', tag: 9, fid: 0, offset: 0, data: Buffer.alloc(200_000) });
    const r = await c.sendRaw(big);
    expect(r.type).toBe('Rerror');
    expect((r as { ename: string }).ename).toContain('exceeds msize');
    expect((await c.rpc({ type: 'Tstat', tag: 2, fid: 0 })).type).toBe('Rstat');
    c.close();
  });

  it('a half-sent frame on one connection does not block another', async () => {
    const slow = net.connect(port(), '127.0.0.1');
    await new Promise((r) => slow.on('connect', r));
    slow.write(Buffer.from([100, 0, 0, 0, 100, 0xff, 0xff])); // promises 100 bytes, sends 7
    const c = await RawClient.connect(listener.address);
    await c.handshake();
    expect((await c.rpc({ type: 'Tstat', tag: 2, fid: 0 })).type).toBe('Rstat');
    c.close(); slow.destroy();
  });

  it('survives 1000 garbage connections, then serves a good client', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), async (junk) => {
      await new Promise<void>((resolve) => {
        const s = net.connect(port(), '127.0.0.1', () => { s.end(Buffer.from(junk)); });
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        setTimeout(() => { s.destroy(); resolve(); }, 200);
      });
    }), { numRuns: 1000 });
    const c = await RawClient.connect(listener.address);
    await c.handshake();
    const cr = await c.rpc({ type: 'Twalk', tag: 2, fid: 0, newfid: 1, wname: [] });
    expect(cr.type).toBe('Rwalk');
    const mk = await c.rpc({ type: 'Tcreate', tag: 3, fid: 1, name: 'afterfuzz', perm: 0o644, mode: 2 });
    expect(mk.type).toBe('Rcreate');
    expect((await c.rpc({ type: 'Twrite', tag: 4, fid: 1, offset: 0, data: Buffer.from('alive') })).type).toBe('Rwrite');
    const rd = await c.rpc({ type: 'Tread', tag: 5, fid: 1, offset: 0, count: 100 });
    expect(Buffer.from((rd as { data: Uint8Array }).data).toString()).toBe('alive');
    c.close();
  }, 120_000);
});
