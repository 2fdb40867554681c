// 10,000 fuzzed frames to each image over its real serial line: random bodies, mutated and
// well-formed messages with hostile fields, frames above msize, and now and then a size that
// cannot be believed or a frame cut short. Every frame whose size is believable gets exactly
// one reply with its tag, in order; broken framing gets Rerror and the line resynchronises;
// afterwards a clean session still reads /cpu.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode, encode } from '../../fs/9p/codec.ts';
import type { Fcall } from '../../fs/9p/fcall.ts';
import { IMAGE_MSIZE } from '../../srv/hw/bridge.ts';
import { ARCHES, buildImage } from '../../srv/hw/image.ts';
import type { Arch } from '../../srv/hw/image.ts';
import { startMachine } from '../../srv/hw/qemu.ts';
import type { Machine } from '../../srv/hw/qemu.ts';
import { stateDir, unavailable } from './kit.ts';
import { openSync, closeSync, ftruncateSync } from 'node:fs';

const FRAMES = 10_000;
const BATCH = 500;
const NOTAG = 0xffff;

/** A seeded generator (mulberry32): the same frames every run. */
function prng(seed: number): { int(n: number): number; bytes(n: number): Buffer } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { int: (n) => Math.floor(next() * n), bytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))) };
}

/** A well-formed message with hostile fields (no walk ever names ctl: the image must stay on). */
function message(r: ReturnType<typeof prng>, tag: number): Fcall {
  const fid = r.int(8), names = ['cpu', 'rng', 'blk', 'data', '..', 'log', 'timer', 'nope', '', 'x'.repeat(40)];
  switch (r.int(12)) {
    case 0: return { type: 'Tversion', tag, msize: r.int(20000), version: ['9P2000', '9P2000.L', 'bogus', ''][r.int(4)]! };
    case 1: return { type: 'Tattach', tag, fid, afid: r.int(2) ? 0xffffffff : r.int(8), uname: 'fuzz', aname: r.int(2) ? '' : 'x' };
    case 2: return { type: 'Twalk', tag, fid, newfid: r.int(9), wname: Array.from({ length: r.int(2) ? r.int(4) : r.int(17) }, () => names[r.int(names.length)]!) };
    case 3: return { type: 'Topen', tag, fid, mode: r.int(256) };
    case 4: return { type: 'Tread', tag, fid, offset: r.int(2) ? r.int(4096) : r.int(2 ** 40), count: r.int(512) };
    case 5: return { type: 'Twrite', tag, fid, offset: r.int(1 << 20), data: r.bytes(r.int(16)) };
    case 6: return { type: 'Tclunk', tag, fid };
    case 7: return { type: 'Tstat', tag, fid };
    case 8: return { type: 'Tflush', tag, oldtag: r.int(65536) };
    case 9: return { type: 'Tremove', tag, fid };
    case 10: return { type: 'Tcreate', tag, fid, name: 'f', perm: r.int(2 ** 32), mode: r.int(256) };
    default: return { type: 'Tauth', tag, afid: fid, uname: 'u', aname: '' };
  }
}

/**
 * One frame of believable size: random, mutated or well-formed. Small: the PL011 in QEMU
 * takes one byte from the host per turn of QEMU's main loop, so bytes sent cost time.
 */
function frame(r: ReturnType<typeof prng>, tag: number): Buffer {
  const kind = r.int(200);
  let f: Buffer;
  if (kind < 70) {
    f = Buffer.concat([Buffer.alloc(7), r.bytes(r.int(24))]);  // random body, any type byte
    f[4] = r.int(2) ? 100 + r.int(28) : r.int(256);
  } else {
    f = encode(message(r, tag), '9P2000');
    if (f[4] === 110 && r.int(4) === 0) f.writeUInt16LE(r.int(65536), 15);   // a walk claiming any number of names
    if (kind < 130) {                                         // mutate: bytes flipped, or cut
      if (r.int(2) && f.length > 7) for (let i = 0; i < 1 + r.int(4); i++) f[7 + r.int(f.length - 7)] = r.int(256);
      else f = f.subarray(0, 7 + r.int(f.length - 6));
    }
  }
  f.writeUInt32LE(f.length, 0);
  f.writeUInt16LE(tag, 5);
  return f;
}

/** Replies as they come off the line, whole frames only. */
class Replies {
  frames: Buffer[] = [];
  #pending = Buffer.alloc(0);
  #wake: (() => void) | undefined;
  constructor(m: Machine) {
    m.serial.on('data', (b: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, b]);
      while (this.#pending.length >= 4 && this.#pending.length >= this.#pending.readUInt32LE(0)) {
        const n = this.#pending.readUInt32LE(0);
        this.frames.push(this.#pending.subarray(0, n));
        this.#pending = this.#pending.subarray(n);
      }
      this.#wake?.();
    });
    m.serial.resume();
  }
  async count(n: number, ms = 20000): Promise<void> {
    const t0 = Date.now();
    while (this.frames.length < n) {
      if (Date.now() - t0 > ms) throw new Error(`${this.frames.length} replies, waited for ${n}`);
      await new Promise<void>((res) => { this.#wake = res; setTimeout(res, 50); });
    }
  }
}

async function fuzz(arch: Arch, disk: string): Promise<{ sent: number; ms: number }> {
  const m = await startMachine({ arch, kernel: buildImage(arch), disk });
  try {
    const rep = new Replies(m);
    const r = prng(arch === 'x86' ? 86 : 64);
    const t0 = performance.now();
    let expected = 0;
    const tags: number[] = [];
    for (let sent = 0, batch = 0; sent < FRAMES; batch++) {
      const frames: Buffer[] = [];
      for (let i = 0; i < BATCH && sent < FRAMES; i++, sent++) {
        const tag = sent % 0xfffe;
        tags.push(tag);
        frames.push(frame(r, tag));
      }
      m.serial.write(Buffer.concat(frames));
      expected += frames.length;
      await rep.count(expected);
      // Every fifth batch ends with framing that cannot be trusted: Rerror(NOTAG), then the
      // image drains the line until it is quiet; once, a frame is cut short by silence.
      if (batch % 5 === 4) {
        const bad = Buffer.alloc(12);
        bad.writeUInt32LE(r.int(2) ? r.int(7) : 0x7f000000 + r.int(1000), 0);
        m.serial.write(bad);
        await rep.count(++expected);
        tags.push(NOTAG);
        await new Promise((res) => setTimeout(res, 80));
      }
      // Frames above msize are skipped and answered: one above the image's own msize, and
      // (cheaper on the line) others after a Tversion that lowers it to 256.
      if (batch === 3 || batch === 13) {
        const lower = encode({ type: 'Tversion', tag: NOTAG, msize: 256, version: '9P2000' }, '9P2000');
        const big = r.bytes(batch === 3 ? IMAGE_MSIZE + 100 : 300 + r.int(200));
        big.writeUInt32LE(big.length, 0);
        big[4] = 118;
        big.writeUInt16LE(4343, 5);
        m.serial.write(batch === 3 ? big : Buffer.concat([lower, big]));
        expected += batch === 3 ? 1 : 2;
        if (batch !== 3) tags.push(NOTAG);
        tags.push(4343);
        await rep.count(expected);
      }
      if (batch === 10) {
        const cut = encode({ type: 'Tstat', tag: 4242, fid: 0 }, '9P2000').subarray(0, 9);
        m.serial.write(cut);
        await rep.count(++expected);
        tags.push(4242);
      }
    }
    const ms = performance.now() - t0;
    expect(rep.frames.length).toBe(expected);
    // Each reply decodes, answers its request's tag, in order.
    const got = rep.frames.map((f) => decode(f, '9P2000'));
    expect(got.map((f) => (f.type === 'Rversion' ? tags[got.indexOf(f)] : f.tag))).toEqual(tags);
    const errors = got.filter((f) => f.type === 'Rerror').map((f) => (f as { ename: string }).ename);
    expect(errors).toContain('bad frame size');
    expect(errors).toContain('message larger than msize');
    expect(errors).toContain('message cut short');
    expect(errors).toContain('malformed message');
    expect(errors.length).toBeLessThan(expected);

    // Still serving: a clean session reads /cpu.
    const clean: Fcall[] = [
      { type: 'Tversion', tag: NOTAG, msize: IMAGE_MSIZE, version: '9P2000' },
      { type: 'Tattach', tag: 1, fid: 1, afid: 0xffffffff, uname: 'glenda', aname: '' },
      { type: 'Twalk', tag: 2, fid: 1, newfid: 2, wname: ['cpu'] },
      { type: 'Topen', tag: 3, fid: 2, mode: 0 },
      { type: 'Tread', tag: 4, fid: 2, offset: 0, count: 200 },
    ];
    m.serial.write(Buffer.concat(clean.map((f) => encode(f, '9P2000'))));
    await rep.count(expected + clean.length);
    const last = rep.frames.slice(expected).map((f) => decode(f, '9P2000'));
    expect(last.map((f) => f.type)).toEqual(['Rversion', 'Rattach', 'Rwalk', 'Ropen', 'Rread']);
    const cpu = Buffer.from((last[4] as { data: Uint8Array }).data).toString();
    expect(cpu).toMatch(arch === 'aarch64' ? /^Cortex-A57/ : /^(GenuineIntel|AuthenticAMD)/);
    return { sent: FRAMES, ms };
  } finally {
    m.kill();
    await m.exited;
  }
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

for (const arch of ARCHES) {
  const why = unavailable(arch);
  describe.skipIf(why !== undefined)(`fuzzing the ${arch} image${why ? ` (skipped: ${why})` : ''}`, () => {
    it(`answers ${FRAMES} fuzzed frames one reply each, resynchronises, and keeps serving`, async () => {
      const dir = stateDir();
      dirs.push(dir);
      const disk = join(dir, 'fuzz.img');
      const fd = openSync(disk, 'w');
      ftruncateSync(fd, 1 << 20);
      closeSync(fd);
      const { ms } = await fuzz(arch, disk);
      expect(ms).toBeLessThan(20000);
    }, 40000);
  });
}
