// The hand-written codecs of hot messages must say exactly what the layout table says.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, encode, encodeByTable, FAST_TYPES } from './codec.ts';
import type { Fcall } from './fcall.ts';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const qid = fc.record({ type: fc.integer({ min: 0, max: 255 }), version: u32, path: u64 });
const data = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const tag = fc.integer({ min: 0, max: 0xffff });

const attr = fc.record({
  valid: u64, qid, mode: u32, uid: u32, gid: u32, nlink: u64, rdev: u64, size: u64, blksize: u64, blocks: u64,
  atimeSec: u64, atimeNsec: u64, mtimeSec: u64, mtimeNsec: u64, ctimeSec: u64, ctimeNsec: u64,
  btimeSec: u64, btimeNsec: u64, gen: u64, dataVersion: u64,
});

const fast: fc.Arbitrary<Fcall> = fc.oneof(
  fc.record({ type: fc.constant('Tgetattr' as const), tag, fid: u32, requestMask: u64 }),
  fc.record({ type: fc.constant('Rgetattr' as const), tag, attr }),
  fc.record({ type: fc.constant('Tlopen' as const), tag, fid: u32, flags: u32 }),
  fc.record({ type: fc.constant('Rlopen' as const), tag, qid, iounit: u32 }),
  fc.record({ type: fc.constant('Tread' as const), tag, fid: u32, offset: u64, count: u32 }),
  fc.record({ type: fc.constant('Rread' as const), tag, data }),
  fc.record({ type: fc.constant('Twrite' as const), tag, fid: u32, offset: u64, data }),
  fc.record({ type: fc.constant('Rwrite' as const), tag, count: u32 }),
  fc.record({ type: fc.constant('Tclunk' as const), tag, fid: u32 }),
  fc.record({ type: fc.constant('Rclunk' as const), tag }),
) as fc.Arbitrary<Fcall>;

describe('fast codecs', () => {
  it('cover the types the arbitrary generates', () => {
    expect(FAST_TYPES.sort()).toEqual(['Rclunk', 'Rgetattr', 'Rlopen', 'Rread', 'Rwrite', 'Tclunk', 'Tgetattr', 'Tlopen', 'Tread', 'Twrite']);
  });
  it('encode byte for byte as the layout table does, and decode back', () => {
    fc.assert(fc.property(fast, (f) => {
      const a = encode(f), b = encodeByTable(f);
      expect(a.toString('hex')).toBe(b.toString('hex'));
      expect(encode(decode(b)).toString('hex')).toBe(b.toString('hex'));
    }), { numRuns: 3000 });
  });
});
