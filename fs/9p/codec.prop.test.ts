// Property tests of the 9P codec (fast-check):
//  - decode(encode(f)) deep-equals f for arbitrary messages of every type, in both dialects;
//  - decode of random bytes, random bodies behind a valid header, and mutated valid frames
//    either returns an Fcall or throws ProtocolError (with the tag when the header was
//    readable) -- never RangeError, TypeError or anything else;
//  - whatever decode returns, encode accepts and decode gives back again.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decode, encode, isDotL, peekTag } from './codec.ts';
import { Dialect, HEADER_SIZE, MAXWELEM, MsgType } from './constants.ts';
import type { Attr, Dir, Fcall, FcallType, Msg, Qid, SetAttr, StatFs } from './fcall.ts';
import { U64_MAX } from './fcall.ts';
import { ProtocolError } from './wire.ts';

// decode hands back data as a Buffer view of the frame; compare bytes, not constructors.
expect.addEqualityTesters([
  (a: unknown, b: unknown) =>
    a instanceof Uint8Array && b instanceof Uint8Array
      ? a.length === b.length && a.every((x, i) => x === b[i])
      : undefined,
]);

const L = Dialect.P2000L;
const P = Dialect.P2000;
/** fast-check picks a fresh seed each run and prints seed and path on failure. */
const runs = (numRuns: number): fc.Parameters<unknown> => ({ numRuns });

// ---------------------------------------------------------------------------
// value arbitraries

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** u64 fields are numbers: exact up to 2^53; ~0 is kept as 2^64 (U64_MAX). */
const u64 = fc.oneof(
  { weight: 6, arbitrary: fc.maxSafeNat() },
  { weight: 3, arbitrary: u32 },
  { weight: 1, arbitrary: fc.constant(U64_MAX) },
);
const u64big = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

/** Characters that are easy to get wrong: BOM, combining marks, astral planes, the highest scalar, quote, DEL. */
const TRICKY = ['\uFEFF', 'é', 'e\u0301', '日', '😀', '\u0080', '\u07ff', '\u0800', '\uFFFD', '\uFFFF', '\u{10000}', '\u{10FFFF}', '/', '.', ' ', "'", '\n', '\x7f', 'a'];
/** Well-formed strings (no lone surrogates), unicode included, never NUL. */
const str = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 6 }),
).map((s) => s.replaceAll('\0', ''));

const qid: fc.Arbitrary<Qid> = fc.record({ type: u8, version: u32, path: u64 });
const dir: fc.Arbitrary<Dir> = fc.record({
  type: u16, dev: u32, qid, mode: u32, atime: u32, mtime: u32, length: u64,
  name: str, uid: str, gid: str, muid: str,
});
const data = fc.uint8Array({ maxLength: 300 });
const attr: fc.Arbitrary<Attr> = fc.record({
  valid: u64, qid, mode: u32, uid: u32, gid: u32, nlink: u64, rdev: u64, size: u64, blksize: u64, blocks: u64,
  atimeSec: u64, atimeNsec: u64, mtimeSec: u64, mtimeNsec: u64, ctimeSec: u64, ctimeNsec: u64,
  btimeSec: u64, btimeNsec: u64, gen: u64, dataVersion: u64,
});
const setattr: fc.Arbitrary<SetAttr> = fc.record({
  valid: u32, mode: u32, uid: u32, gid: u32, size: u64, atimeSec: u64, atimeNsec: u64, mtimeSec: u64, mtimeNsec: u64,
});
const statfs: fc.Arbitrary<StatFs> = fc.record({
  type: u32, bsize: u32, blocks: u64, bfree: u64, bavail: u64, files: u64, ffree: u64, fsid: u64, namelen: u32,
});

// ---------------------------------------------------------------------------
// one arbitrary per message type

type Arbs = { [K in FcallType]: fc.Arbitrary<Msg<K>> };

const ct = <const T extends FcallType>(t: T) => fc.constant(t);

/** 9P2000 shapes (Tauth/Tattach without n_uname); the .L-only types are here too. */
const BASE: Arbs = {
  Tversion: fc.record({ type: ct('Tversion'), tag: u16, msize: u32, version: str }),
  Rversion: fc.record({ type: ct('Rversion'), tag: u16, msize: u32, version: str }),
  Tauth: fc.record({ type: ct('Tauth'), tag: u16, afid: u32, uname: str, aname: str }),
  Rauth: fc.record({ type: ct('Rauth'), tag: u16, aqid: qid }),
  Tattach: fc.record({ type: ct('Tattach'), tag: u16, fid: u32, afid: u32, uname: str, aname: str }),
  Rattach: fc.record({ type: ct('Rattach'), tag: u16, qid }),
  Rerror: fc.record({ type: ct('Rerror'), tag: u16, ename: str }),
  Tflush: fc.record({ type: ct('Tflush'), tag: u16, oldtag: u16 }),
  Rflush: fc.record({ type: ct('Rflush'), tag: u16 }),
  Twalk: fc.record({ type: ct('Twalk'), tag: u16, fid: u32, newfid: u32, wname: fc.array(str, { maxLength: MAXWELEM }) }),
  Rwalk: fc.record({ type: ct('Rwalk'), tag: u16, wqid: fc.array(qid, { maxLength: MAXWELEM }) }),
  Topen: fc.record({ type: ct('Topen'), tag: u16, fid: u32, mode: u8 }),
  Ropen: fc.record({ type: ct('Ropen'), tag: u16, qid, iounit: u32 }),
  Tcreate: fc.record({ type: ct('Tcreate'), tag: u16, fid: u32, name: str, perm: u32, mode: u8 }),
  Rcreate: fc.record({ type: ct('Rcreate'), tag: u16, qid, iounit: u32 }),
  Tread: fc.record({ type: ct('Tread'), tag: u16, fid: u32, offset: u64, count: u32 }),
  Rread: fc.record({ type: ct('Rread'), tag: u16, data }),
  Twrite: fc.record({ type: ct('Twrite'), tag: u16, fid: u32, offset: u64, data }),
  Rwrite: fc.record({ type: ct('Rwrite'), tag: u16, count: u32 }),
  Tclunk: fc.record({ type: ct('Tclunk'), tag: u16, fid: u32 }),
  Rclunk: fc.record({ type: ct('Rclunk'), tag: u16 }),
  Tremove: fc.record({ type: ct('Tremove'), tag: u16, fid: u32 }),
  Rremove: fc.record({ type: ct('Rremove'), tag: u16 }),
  Tstat: fc.record({ type: ct('Tstat'), tag: u16, fid: u32 }),
  Rstat: fc.record({ type: ct('Rstat'), tag: u16, stat: dir }),
  Twstat: fc.record({ type: ct('Twstat'), tag: u16, fid: u32, stat: dir }),
  Rwstat: fc.record({ type: ct('Rwstat'), tag: u16 }),
  Rlerror: fc.record({ type: ct('Rlerror'), tag: u16, ecode: u32 }),
  Tstatfs: fc.record({ type: ct('Tstatfs'), tag: u16, fid: u32 }),
  Rstatfs: fc.record({ type: ct('Rstatfs'), tag: u16, statfs }),
  Tlopen: fc.record({ type: ct('Tlopen'), tag: u16, fid: u32, flags: u32 }),
  Rlopen: fc.record({ type: ct('Rlopen'), tag: u16, qid, iounit: u32 }),
  Tlcreate: fc.record({ type: ct('Tlcreate'), tag: u16, fid: u32, name: str, flags: u32, mode: u32, gid: u32 }),
  Rlcreate: fc.record({ type: ct('Rlcreate'), tag: u16, qid, iounit: u32 }),
  Tsymlink: fc.record({ type: ct('Tsymlink'), tag: u16, fid: u32, name: str, symtgt: str, gid: u32 }),
  Rsymlink: fc.record({ type: ct('Rsymlink'), tag: u16, qid }),
  Tmknod: fc.record({ type: ct('Tmknod'), tag: u16, dfid: u32, name: str, mode: u32, major: u32, minor: u32, gid: u32 }),
  Rmknod: fc.record({ type: ct('Rmknod'), tag: u16, qid }),
  Trename: fc.record({ type: ct('Trename'), tag: u16, fid: u32, dfid: u32, name: str }),
  Rrename: fc.record({ type: ct('Rrename'), tag: u16 }),
  Treadlink: fc.record({ type: ct('Treadlink'), tag: u16, fid: u32 }),
  Rreadlink: fc.record({ type: ct('Rreadlink'), tag: u16, target: str }),
  Tgetattr: fc.record({ type: ct('Tgetattr'), tag: u16, fid: u32, requestMask: u64 }),
  Rgetattr: fc.record({ type: ct('Rgetattr'), tag: u16, attr }),
  Tsetattr: fc.record({ type: ct('Tsetattr'), tag: u16, fid: u32, attr: setattr }),
  Rsetattr: fc.record({ type: ct('Rsetattr'), tag: u16 }),
  Txattrwalk: fc.record({ type: ct('Txattrwalk'), tag: u16, fid: u32, newfid: u32, name: str }),
  Rxattrwalk: fc.record({ type: ct('Rxattrwalk'), tag: u16, size: u64 }),
  Txattrcreate: fc.record({ type: ct('Txattrcreate'), tag: u16, fid: u32, name: str, attrSize: u64, flags: u32 }),
  Rxattrcreate: fc.record({ type: ct('Rxattrcreate'), tag: u16 }),
  Treaddir: fc.record({ type: ct('Treaddir'), tag: u16, fid: u32, offset: u64big, count: u32 }),
  Rreaddir: fc.record({ type: ct('Rreaddir'), tag: u16, data }),
  Tfsync: fc.record({ type: ct('Tfsync'), tag: u16, fid: u32, datasync: u32 }),
  Rfsync: fc.record({ type: ct('Rfsync'), tag: u16 }),
  Tlock: fc.record({ type: ct('Tlock'), tag: u16, fid: u32, lockType: u8, flags: u32, start: u64, length: u64, procId: u32, clientId: str }),
  Rlock: fc.record({ type: ct('Rlock'), tag: u16, status: u8 }),
  Tgetlock: fc.record({ type: ct('Tgetlock'), tag: u16, fid: u32, lockType: u8, start: u64, length: u64, procId: u32, clientId: str }),
  Rgetlock: fc.record({ type: ct('Rgetlock'), tag: u16, lockType: u8, start: u64, length: u64, procId: u32, clientId: str }),
  Tlink: fc.record({ type: ct('Tlink'), tag: u16, dfid: u32, fid: u32, name: str }),
  Rlink: fc.record({ type: ct('Rlink'), tag: u16 }),
  Tmkdir: fc.record({ type: ct('Tmkdir'), tag: u16, dfid: u32, name: str, mode: u32, gid: u32 }),
  Rmkdir: fc.record({ type: ct('Rmkdir'), tag: u16, qid }),
  Trenameat: fc.record({ type: ct('Trenameat'), tag: u16, olddirfid: u32, oldname: str, newdirfid: u32, newname: str }),
  Rrenameat: fc.record({ type: ct('Rrenameat'), tag: u16 }),
  Tunlinkat: fc.record({ type: ct('Tunlinkat'), tag: u16, dirfd: u32, name: str, flags: u32 }),
  Runlinkat: fc.record({ type: ct('Runlinkat'), tag: u16 }),
};

/** 9P2000.L shapes: Tauth and Tattach carry n_uname[4]. */
const DOTL: Arbs = {
  ...BASE,
  Tauth: fc.record({ type: ct('Tauth'), tag: u16, afid: u32, uname: str, aname: str, nuname: u32 }),
  Tattach: fc.record({ type: ct('Tattach'), tag: u16, fid: u32, afid: u32, uname: str, aname: str, nuname: u32 }),
};

const TYPES = Object.keys(BASE) as FcallType[];
const P2000_TYPES = TYPES.filter((t) => !isDotL(t));
const anyL: fc.Arbitrary<Fcall> = fc.oneof(...TYPES.map((t) => DOTL[t] as fc.Arbitrary<Fcall>));
const anyP: fc.Arbitrary<Fcall> = fc.oneof(...P2000_TYPES.map((t) => BASE[t] as fc.Arbitrary<Fcall>));
/** A message together with the dialect it is valid in. */
const anyMsg: fc.Arbitrary<[Fcall, Dialect]> = fc.oneof(
  anyL.map((f): [Fcall, Dialect] => [f, L]),
  anyP.map((f): [Fcall, Dialect] => [f, P]),
);
const dialect = fc.constantFrom<Dialect>(L, P);

// ---------------------------------------------------------------------------
// the decode contract

const NAMES = new Set<string>(Object.keys(MsgType));

/**
 * decode either returns a well-formed Fcall (its tag is the header's) or throws a
 * ProtocolError whose tag is the header's when 7 bytes were there, else undefined.
 */
function decodeOrProtocolError(frame: Uint8Array, d: Dialect): Fcall | undefined {
  let f: Fcall;
  try {
    f = decode(frame, d);
  } catch (e) {
    if (!(e instanceof ProtocolError)) {
      const err = e as Error;
      throw new Error(`decode threw ${err?.name ?? typeof e} instead of ProtocolError: ${err?.message ?? String(e)}`);
    }
    const want = frame.length >= HEADER_SIZE ? peekTag(frame) : undefined;
    if (e.tag !== want) throw new Error(`ProtocolError tag ${e.tag}, header says ${want}: ${e.message}`);
    if (!e.message) throw new Error('ProtocolError without a message');
    return undefined;
  }
  if (!NAMES.has(f.type)) throw new Error(`decoded an unknown type ${f.type}`);
  if (f.tag !== peekTag(frame)) throw new Error(`decoded tag ${f.tag}, header says ${peekTag(frame)}`);
  if (d === P && isDotL(f.type)) throw new Error(`decoded .L ${f.type} in a 9P2000 session`);
  return f;
}

/** Anything decode produced must encode, and decode again to the same value. */
function reencodes(f: Fcall, d: Dialect): void {
  const again = decode(encode(f, d), d);
  expect(again).toEqual(f);
}

// ---------------------------------------------------------------------------

describe('encode∘decode is the identity', () => {
  test('the arbitraries cover every Fcall type', () => {
    expect(new Set(TYPES)).toEqual(new Set(Object.keys(MsgType).filter((n) => n !== 'Tlerror')));
  });

  test.each(TYPES)('%s (9P2000.L)', (t) => {
    fc.assert(fc.property(DOTL[t] as fc.Arbitrary<Fcall>, (f) => {
      expect(decode(encode(f, L), L)).toEqual(f);
    }), runs(1000));
  });

  test.each(P2000_TYPES)('%s (9P2000)', (t) => {
    fc.assert(fc.property(BASE[t] as fc.Arbitrary<Fcall>, (f) => {
      expect(decode(encode(f, P), P)).toEqual(f);
    }), runs(600));
  });

  test('any message, either dialect', () => {
    fc.assert(fc.property(anyMsg, ([f, d]) => {
      const wire = encode(f, d);
      expect(wire.readUInt32LE(0)).toBe(wire.length);
      expect(decode(wire, d)).toEqual(f);
    }), runs(10000));
  });

  test('well-formed strings survive in every string position', () => {
    fc.assert(fc.property(str, u16, (s, tag) => {
      const f: Fcall = { type: 'Twalk', tag, fid: 1, newfid: 2, wname: [s, s] };
      expect(decode(encode(f, P), P)).toEqual(f);
    }), runs(10000));
  });
});

describe('decode never throws anything but ProtocolError', () => {
  test('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), dialect, (b, d) => {
      decodeOrProtocolError(b, d);
    }), runs(5000));
  });

  test('random bodies behind a valid header of a known or unknown type', () => {
    const typeNum = fc.oneof(fc.constantFrom(...Object.values(MsgType), 106), u8);
    fc.assert(fc.property(typeNum, u16, fc.uint8Array({ maxLength: 200 }), dialect, (type, tag, body, d) => {
      const frame = Buffer.alloc(7 + body.length);
      frame.writeUInt32LE(frame.length, 0);
      frame[4] = type;
      frame.writeUInt16LE(tag, 5);
      frame.set(body, 7);
      const f = decodeOrProtocolError(frame, d);
      if (f) reencodes(f, d);
    }), runs(20000));
  });

  // One edit to a valid frame; `fix` re-stamps the size field so the body parser is reached.
  type Edit =
    | { k: 'flip'; at: number; xor: number; fix: boolean }
    | { k: 'set'; at: number; v: number; fix: boolean }
    | { k: 'truncate'; len: number; fix: boolean }
    | { k: 'extend'; extra: Uint8Array; fix: boolean }
    | { k: 'insert'; at: number; extra: Uint8Array; fix: boolean }
    | { k: 'size'; size: number; fix: false };
  const at = fc.nat({ max: 400 });
  /** Mostly re-stamp the size, so most mutants get past the size check into the body parser. */
  const fix = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ k: fc.constant('flip' as const), at, xor: fc.integer({ min: 1, max: 255 }), fix }),
    fc.record({ k: fc.constant('set' as const), at, v: fc.constantFrom(0, 0xff, 0x80, 0x11, 0x10), fix }),
    fc.record({ k: fc.constant('truncate' as const), len: at, fix }),
    fc.record({ k: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }), fix }),
    fc.record({ k: fc.constant('insert' as const), at, extra: fc.uint8Array({ minLength: 1, maxLength: 8 }), fix }),
    fc.record({ k: fc.constant('size' as const), size: fc.oneof(u32, fc.integer({ min: 0, max: 300 })), fix: fc.constant(false as const) }),
  );
  function apply(frame: Buffer, e: Edit): Buffer {
    let b = Buffer.from(frame);
    const i = b.length ? ('at' in e ? e.at % b.length : 0) : 0;
    switch (e.k) {
      case 'flip': if (b.length) b[i] = b[i]! ^ e.xor; break;
      case 'set': if (b.length) b[i] = e.v; break;
      case 'truncate': b = b.subarray(0, e.len % (b.length + 1)); break;
      case 'extend': b = Buffer.concat([b, e.extra]); break;
      case 'insert': b = Buffer.concat([b.subarray(0, i), e.extra, b.subarray(i)]); break;
      case 'size': if (b.length >= 4) b.writeUInt32LE(e.size, 0); break;
    }
    if (e.fix && b.length >= 4) b.writeUInt32LE(b.length, 0);
    return b;
  }

  test('mutated valid frames (flip, set, truncate, extend, insert, change size)', () => {
    fc.assert(fc.property(anyMsg, fc.array(edit, { minLength: 1, maxLength: 3 }), dialect, fc.nat({ max: 7 }), ([f, d0], edits, d, offset) => {
      let frame = encode(f, d0);
      for (const e of edits) frame = apply(frame, e);
      // decode from a view into a larger buffer, as a transport slicing frames off a stream would
      const big = new Uint8Array(offset + frame.length + 5).fill(0xee);
      big.set(frame, offset);
      const view = big.subarray(offset, offset + frame.length);
      const g = decodeOrProtocolError(view, d);
      if (g) reencodes(g, d);
    }), runs(30000));
  });

  test('every proper prefix of a valid frame (size re-stamped) is a ProtocolError', () => {
    fc.assert(fc.property(anyMsg, fc.nat(), ([f, d], n) => {
      const wire = encode(f, d);
      if (wire.length <= HEADER_SIZE) return; // nothing shorter than the header has a body to cut
      const len = HEADER_SIZE + (n % (wire.length - HEADER_SIZE));
      const cut = Buffer.from(wire.subarray(0, len));
      cut.writeUInt32LE(len, 0);
      // every message ends in a fixed-size or length-prefixed field, so no cut parses
      expect(decodeOrProtocolError(cut, d)).toBeUndefined();
    }), runs(3000));
  });

  test('the size field never lies: a frame whose size disagrees is rejected with its tag', () => {
    fc.assert(fc.property(anyMsg, u32, ([f, d], size) => {
      const wire = encode(f, d);
      fc.pre(size !== wire.length);
      const b = Buffer.from(wire);
      b.writeUInt32LE(size, 0);
      let err: unknown;
      try { decode(b, d); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).tag).toBe(f.tag);
      expect((err as ProtocolError).message).toContain(`size field ${size} disagrees`);
    }), runs(2000));
  });
});
