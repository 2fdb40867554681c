// Example-based tests of the 9P2000 / 9P2000.L codec: one round trip per message type,
// golden frames derived by hand from intro(5), stat(5) and diod's protocol.md, and the
// ProtocolErrors that malformed frames must raise.

import { describe, expect, test } from 'vitest';
import { decode, encode, isDotL, peekTag } from './codec.ts';
import {
  AT_REMOVEDIR, DMDIR, Dialect, GETATTR, L_O, LOCK_STATUS, LOCK_TYPE, MAXWELEM, MsgType, NOFID, NOTAG,
  OREAD, ORDWR, OTRUNC, QTAUTH, QTDIR, S_IF, SETATTR,
} from './constants.ts';
import type { MsgName } from './constants.ts';
import type { Dir, Fcall, FcallType, Msg, Qid } from './fcall.ts';
import { U64_MAX, nullDir } from './fcall.ts';
import { ProtocolError, packDir, unpackDirs } from './wire.ts';

// ---------------------------------------------------------------------------
// helpers

// decode hands back data as a Buffer view of the frame; compare bytes, not constructors.
expect.addEqualityTesters([
  (a: unknown, b: unknown) =>
    a instanceof Uint8Array && b instanceof Uint8Array
      ? a.length === b.length && a.every((x, i) => x === b[i])
      : undefined,
]);

const L = Dialect.P2000L;
const P = Dialect.P2000;

/** Bytes from hex with optional whitespace, so golden frames can be laid out field by field. */
function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}
const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
/** A 9P string: length[2] then the raw bytes (which may deliberately be invalid). */
function s9(v: string | number[]): number[] {
  const b = typeof v === 'string' ? [...Buffer.from(v, 'utf8')] : v;
  return [...le16(b.length), ...b];
}
/** A frame with a correct size field around the given body. */
function frame(type: number, tag: number, ...body: number[][]): Buffer {
  const b = body.flat();
  return Buffer.from([...le32(7 + b.length), type, ...le16(tag), ...b]);
}
/** Copy of f with the size field replaced. */
function withSize(f: Uint8Array, size: number): Buffer {
  const b = Buffer.from(f);
  b.writeUInt32LE(size >>> 0, 0);
  return b;
}
/** Copy of f with extra bytes and the size field adjusted to match. */
function extended(f: Uint8Array, ...extra: number[]): Buffer {
  const b = Buffer.concat([f, Buffer.from(extra)]);
  b.writeUInt32LE(b.length, 0);
  return b;
}

/** The ProtocolError decode throws; fails the test if it throws anything else or nothing. */
function decodeError(f: Uint8Array, dialect: Dialect = L): ProtocolError {
  let got: unknown;
  try {
    decode(f, dialect);
  } catch (e) {
    got = e;
  }
  if (got === undefined) throw new Error('decode did not throw');
  expect(got).toBeInstanceOf(ProtocolError);
  const e = got as ProtocolError;
  expect(e.name).toBe('ProtocolError');
  return e;
}
function encodeError(f: Fcall, dialect: Dialect = L): ProtocolError {
  let got: unknown;
  try {
    encode(f, dialect);
  } catch (e) {
    got = e;
  }
  if (got === undefined) throw new Error('encode did not throw');
  expect(got).toBeInstanceOf(ProtocolError);
  return got as ProtocolError;
}

function roundTrip(f: Fcall, dialect: Dialect): Fcall {
  return decode(encode(f, dialect), dialect);
}

// ---------------------------------------------------------------------------
// one representative of every message

const QDIR: Qid = { type: QTDIR, version: 0, path: 1 };
/** path above 2^32 so the high word of the u64 is exercised. */
const QFILE: Qid = { type: 0, version: 7, path: 0x123456789ab };
const DIR: Dir = {
  type: 0, dev: 0, qid: { type: QTDIR, version: 1, path: 2 }, mode: (DMDIR | 0o755) >>> 0,
  atime: 10, mtime: 20, length: 0, name: 'd', uid: 'u', gid: 'g', muid: 'm',
};
const FILE_DIR: Dir = {
  type: 'M'.charCodeAt(0), dev: 3, qid: QFILE, mode: 0o644, atime: 1700000000, mtime: 1700000001,
  length: 2 ** 40 + 17, name: 'résumé.txt', uid: 'glenda', gid: 'sys', muid: 'bootes',
};

// stat(5): Rstat carries stat[n], i.e. n[2] followed by the record, and the record
// itself begins with its own size[2] -- "the size appears twice". Rstat of DIR, tag 4.
const RSTAT_GOLDEN = hex(`
  3e000000 7d 0400
  3500
  3300 0000 00000000 80 01000000 0200000000000000
  ed010080 0a000000 14000000 0000000000000000
  0100 64 0100 75 0100 67 0100 6d`);
/** The 7-byte header of RSTAT_GOLDEN, for building variants with extended(). */
function RSTAT_BODYLESS(): Buffer {
  return Buffer.from(RSTAT_GOLDEN.subarray(0, 7));
}

/** 9P2000.L form of every Fcall type (Tauth/Tattach carry n_uname). */
const EX: { [K in FcallType]: Msg<K> } = {
  Tversion: { type: 'Tversion', tag: NOTAG, msize: 8192 + 24, version: '9P2000.L' },
  Rversion: { type: 'Rversion', tag: NOTAG, msize: 8192, version: '9P2000.L' },
  Tauth: { type: 'Tauth', tag: 1, afid: 5, uname: 'glenda', aname: '', nuname: 1000 },
  Rauth: { type: 'Rauth', tag: 1, aqid: { type: QTAUTH, version: 0, path: 9 } },
  Tattach: { type: 'Tattach', tag: 2, fid: 0, afid: NOFID, uname: 'glenda', aname: '/', nuname: 1000 },
  Rattach: { type: 'Rattach', tag: 2, qid: QDIR },
  Rerror: { type: 'Rerror', tag: 3, ename: 'file does not exist' },
  Tflush: { type: 'Tflush', tag: 4, oldtag: 3 },
  Rflush: { type: 'Rflush', tag: 4 },
  Twalk: { type: 'Twalk', tag: 5, fid: 0, newfid: 1, wname: ['usr', 'glenda', 'lib'] },
  Rwalk: { type: 'Rwalk', tag: 5, wqid: [QDIR, QFILE] },
  Topen: { type: 'Topen', tag: 6, fid: 1, mode: OREAD | OTRUNC },
  Ropen: { type: 'Ropen', tag: 6, qid: QFILE, iounit: 8168 },
  Tcreate: { type: 'Tcreate', tag: 7, fid: 1, name: 'new', perm: (DMDIR | 0o755) >>> 0, mode: ORDWR },
  Rcreate: { type: 'Rcreate', tag: 7, qid: QDIR, iounit: 0 },
  Tread: { type: 'Tread', tag: 8, fid: 1, offset: 2 ** 40 + 5, count: 8168 },
  Rread: { type: 'Rread', tag: 8, data: new Uint8Array([0, 1, 2, 0xff, 0x41]) },
  Twrite: { type: 'Twrite', tag: 9, fid: 1, offset: 0, data: new Uint8Array(Buffer.from('hello\n')) },
  Rwrite: { type: 'Rwrite', tag: 9, count: 6 },
  Tclunk: { type: 'Tclunk', tag: 10, fid: 1 },
  Rclunk: { type: 'Rclunk', tag: 10 },
  Tremove: { type: 'Tremove', tag: 11, fid: 2 },
  Rremove: { type: 'Rremove', tag: 11 },
  Tstat: { type: 'Tstat', tag: 12, fid: 1 },
  Rstat: { type: 'Rstat', tag: 12, stat: FILE_DIR },
  Twstat: { type: 'Twstat', tag: 13, fid: 1, stat: nullDir() },
  Rwstat: { type: 'Rwstat', tag: 13 },
  Rlerror: { type: 'Rlerror', tag: 14, ecode: 2 },
  Tstatfs: { type: 'Tstatfs', tag: 15, fid: 0 },
  Rstatfs: {
    type: 'Rstatfs', tag: 15,
    statfs: { type: 0x01021997, bsize: 4096, blocks: 1_000_000, bfree: 500_000, bavail: 400_000, files: 2 ** 33, ffree: 7, fsid: 2 ** 40 + 1, namelen: 255 },
  },
  Tlopen: { type: 'Tlopen', tag: 16, fid: 1, flags: L_O.RDWR | L_O.TRUNC },
  Rlopen: { type: 'Rlopen', tag: 16, qid: QFILE, iounit: 8168 },
  Tlcreate: { type: 'Tlcreate', tag: 17, fid: 1, name: 'f.txt', flags: L_O.CREAT | L_O.WRONLY, mode: S_IF.REG | 0o644, gid: 100 },
  Rlcreate: { type: 'Rlcreate', tag: 17, qid: QFILE, iounit: 0 },
  Tsymlink: { type: 'Tsymlink', tag: 18, fid: 1, name: 'ln', symtgt: '../target', gid: 100 },
  Rsymlink: { type: 'Rsymlink', tag: 18, qid: { type: 0x02, version: 0, path: 77 } },
  Tmknod: { type: 'Tmknod', tag: 19, dfid: 1, name: 'null', mode: S_IF.CHR | 0o666, major: 1, minor: 3, gid: 0 },
  Rmknod: { type: 'Rmknod', tag: 19, qid: QFILE },
  Trename: { type: 'Trename', tag: 20, fid: 2, dfid: 1, name: 'renamed' },
  Rrename: { type: 'Rrename', tag: 20 },
  Treadlink: { type: 'Treadlink', tag: 21, fid: 2 },
  Rreadlink: { type: 'Rreadlink', tag: 21, target: '/dev/null' },
  Tgetattr: { type: 'Tgetattr', tag: 22, fid: 1, requestMask: GETATTR.ALL },
  Rgetattr: {
    type: 'Rgetattr', tag: 22,
    attr: {
      valid: GETATTR.BASIC, qid: QFILE, mode: S_IF.REG | 0o644, uid: 1000, gid: 100, nlink: 1, rdev: 0,
      size: 2 ** 40 + 3, blksize: 4096, blocks: 8, atimeSec: 1700000000, atimeNsec: 999_999_999,
      mtimeSec: 1700000001, mtimeNsec: 1, ctimeSec: 1700000002, ctimeNsec: 2, btimeSec: 0, btimeNsec: 0,
      gen: 0, dataVersion: Number.MAX_SAFE_INTEGER,
    },
  },
  Tsetattr: {
    type: 'Tsetattr', tag: 23, fid: 1,
    attr: { valid: SETATTR.MODE | SETATTR.SIZE | SETATTR.MTIME | SETATTR.MTIME_SET, mode: 0o600, uid: 0, gid: 0, size: 4096, atimeSec: 0, atimeNsec: 0, mtimeSec: 1700000000, mtimeNsec: 5 },
  },
  Rsetattr: { type: 'Rsetattr', tag: 23 },
  Txattrwalk: { type: 'Txattrwalk', tag: 24, fid: 1, newfid: 2, name: 'user.comment' },
  Rxattrwalk: { type: 'Rxattrwalk', tag: 24, size: 12 },
  Txattrcreate: { type: 'Txattrcreate', tag: 25, fid: 2, name: 'user.comment', attrSize: 12, flags: 1 },
  Rxattrcreate: { type: 'Rxattrcreate', tag: 25 },
  Treaddir: { type: 'Treaddir', tag: 26, fid: 1, offset: 0xfedcba9876543210n, count: 8168 },
  Rreaddir: { type: 'Rreaddir', tag: 26, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) },
  Tfsync: { type: 'Tfsync', tag: 27, fid: 1, datasync: 1 },
  Rfsync: { type: 'Rfsync', tag: 27 },
  Tlock: { type: 'Tlock', tag: 28, fid: 1, lockType: LOCK_TYPE.WRLCK, flags: 1, start: 0, length: 2 ** 40, procId: 4321, clientId: 'cpu' },
  Rlock: { type: 'Rlock', tag: 28, status: LOCK_STATUS.BLOCKED },
  Tgetlock: { type: 'Tgetlock', tag: 29, fid: 1, lockType: LOCK_TYPE.RDLCK, start: 10, length: 20, procId: 4321, clientId: 'cpu' },
  Rgetlock: { type: 'Rgetlock', tag: 29, lockType: LOCK_TYPE.UNLCK, start: 10, length: 20, procId: 99, clientId: 'term' },
  Tlink: { type: 'Tlink', tag: 30, dfid: 1, fid: 2, name: 'hard' },
  Rlink: { type: 'Rlink', tag: 30 },
  Tmkdir: { type: 'Tmkdir', tag: 31, dfid: 1, name: 'sub', mode: 0o755, gid: 100 },
  Rmkdir: { type: 'Rmkdir', tag: 31, qid: QDIR },
  Trenameat: { type: 'Trenameat', tag: 32, olddirfid: 1, oldname: 'a', newdirfid: 3, newname: 'b' },
  Rrenameat: { type: 'Rrenameat', tag: 32 },
  Tunlinkat: { type: 'Tunlinkat', tag: 33, dirfd: 1, name: 'sub', flags: AT_REMOVEDIR },
  Runlinkat: { type: 'Runlinkat', tag: 33 },
};

const ALL = Object.values(EX) as Fcall[];
/** The 9P2000 form: no .L messages, and Tauth/Tattach without n_uname. */
const P2000_EX: Fcall[] = ALL.filter((f) => !isDotL(f.type)).map((f) => {
  if (f.type === 'Tauth' || f.type === 'Tattach') {
    const { nuname: _drop, ...rest } = f;
    return rest;
  }
  return f;
});

describe('coverage of MsgType', () => {
  test('every message number in MsgType has a round-trip example, except Tlerror', () => {
    // Tlerror (6) is defined by Linux but never sent; like Terror (106) it is not a
    // message anyone may put on the wire, and Fcall has no variant for it.
    const names = Object.keys(MsgType).filter((n) => n !== 'Tlerror').sort();
    expect(Object.keys(EX).sort()).toEqual(names);
  });

  test('MsgType numbers are the ones from intro(5) and the Linux/diod headers', () => {
    expect(MsgType.Tversion).toBe(100);
    expect(MsgType.Rerror).toBe(107);
    expect(MsgType.Twstat).toBe(126);
    expect(MsgType.Rwstat).toBe(127);
    expect(MsgType.Rlerror).toBe(7);
    expect(MsgType.Tgetattr).toBe(24);
    expect(MsgType.Treaddir).toBe(40);
    expect(MsgType.Tunlinkat).toBe(76);
    // every T is even and its R is T+1
    for (const [name, num] of Object.entries(MsgType)) {
      if (name.startsWith('T')) {
        expect(num % 2, name).toBe(0);
        const r = ('R' + name.slice(1)) as MsgName;
        if (r in MsgType) expect(MsgType[r], r).toBe(num + 1);
      }
    }
  });

  test('isDotL', () => {
    expect(isDotL('Tlopen')).toBe(true);
    expect(isDotL('Rlerror')).toBe(true);
    expect(isDotL('Tunlinkat')).toBe(true);
    expect(isDotL('Twalk')).toBe(false);
    expect(isDotL('Tattach')).toBe(false);
    expect(isDotL('Rerror')).toBe(false);
    expect(isDotL('Tbogus')).toBe(false);
  });
});

describe('round trip', () => {
  test.each(ALL.map((f) => [f.type, f] as const))('%s in 9P2000.L', (_name, f) => {
    const wire = encode(f, L);
    expect(wire.readUInt32LE(0)).toBe(wire.length);
    expect(wire[4]).toBe(MsgType[f.type]);
    expect(wire.readUInt16LE(5)).toBe(f.tag);
    expect(decode(wire, L)).toEqual(f);
  });

  test.each(P2000_EX.map((f) => [f.type, f] as const))('%s in 9P2000', (_name, f) => {
    expect(roundTrip(f, P)).toEqual(f);
  });

  test('the default dialect is 9P2000.L', () => {
    const f = EX.Tattach;
    expect(encode(f)).toEqual(encode(f, L));
    expect(decode(encode(f, L))).toEqual(f);
  });

  test('a .L Tattach without n_uname goes out as NONUNAME (~0)', () => {
    const { nuname: _n, ...f } = EX.Tattach;
    const wire = encode(f, L);
    expect(wire.readUInt32LE(wire.length - 4)).toBe(0xffffffff);
    expect(decode(wire, L)).toEqual({ ...f, nuname: 0xffffffff });
  });

  test('n_uname is not on the wire in 9P2000', () => {
    const withN = encode(EX.Tauth, P);
    const { nuname: _n, ...without } = EX.Tauth;
    expect(withN).toEqual(encode(without, P));
    expect(encode(EX.Tauth, L).length).toBe(withN.length + 4);
    expect(decode(withN, P)).toEqual(without);
  });

  test('Tattach of one dialect is malformed in the other', () => {
    const l = encode(EX.Tattach, L);
    const e1 = decodeError(l, P);
    expect(e1.tag).toBe(2);
    expect(e1.message).toContain('Tattach: 4 trailing bytes');
    const p = encode(EX.Tattach, P);
    const e2 = decodeError(p, L);
    expect(e2.tag).toBe(2);
    expect(e2.message).toContain('Tattach: truncated at nuname');
  });

  test('empty strings, empty walks, empty data', () => {
    const cases: Fcall[] = [
      { type: 'Rerror', tag: 0, ename: '' },
      { type: 'Twalk', tag: 0, fid: 0, newfid: 0, wname: [] },
      { type: 'Rwalk', tag: 0, wqid: [] },
      { type: 'Rread', tag: 0, data: new Uint8Array(0) },
      { type: 'Twrite', tag: 0, fid: 0, offset: 0, data: new Uint8Array(0) },
      { type: 'Rreaddir', tag: 0, data: new Uint8Array(0) },
      { type: 'Rstat', tag: 0, stat: { ...DIR, name: '', uid: '', gid: '', muid: '' } },
    ];
    for (const f of cases) expect(roundTrip(f, L)).toEqual(f);
  });

  test('exactly MAXWELEM names and qids are allowed', () => {
    const w: Fcall = { type: 'Twalk', tag: 1, fid: 1, newfid: 2, wname: Array.from({ length: MAXWELEM }, (_, i) => `e${i}`) };
    expect(roundTrip(w, P)).toEqual(w);
    const r: Fcall = { type: 'Rwalk', tag: 1, wqid: Array.from({ length: MAXWELEM }, (_, i) => ({ type: 0, version: i, path: i })) };
    expect(roundTrip(r, P)).toEqual(r);
  });

  test('extreme integer values', () => {
    const cases: Fcall[] = [
      { type: 'Tread', tag: NOTAG, fid: NOFID, offset: Number.MAX_SAFE_INTEGER, count: 0xffffffff },
      { type: 'Tread', tag: 0, fid: 0, offset: U64_MAX, count: 0 }, // ~0 survives as 2^64
      { type: 'Treaddir', tag: 0, fid: 0, offset: 0n, count: 0 },
      { type: 'Treaddir', tag: 0, fid: 0, offset: 2n ** 64n - 1n, count: 0 },
      { type: 'Rattach', tag: 0, qid: { type: 0xff, version: 0xffffffff, path: Number.MAX_SAFE_INTEGER } },
      { type: 'Tflush', tag: 0xffff, oldtag: 0xffff },
      { type: 'Rlock', tag: 1, status: 0xff },
    ];
    for (const f of cases) expect(roundTrip(f, L)).toEqual(f);
  });

  test('u32 fields come back unsigned even when built with JS bitwise ops (DMDIR | perm is negative)', () => {
    const signed = DMDIR | 0o755; // -2147483155 in JS
    expect(signed).toBeLessThan(0);
    const f: Fcall = { type: 'Tcreate', tag: 1, fid: 1, name: 'd', perm: signed, mode: OREAD };
    const wire = encode(f, P);
    expect(wire).toEqual(encode({ ...f, perm: signed >>> 0 }, P));
    expect(decode(wire, P)).toEqual({ ...f, perm: 0x800001ed });
  });

  test('unicode names survive (2-, 3- and 4-byte UTF-8)', () => {
    const f: Fcall = { type: 'Twalk', tag: 1, fid: 1, newfid: 2, wname: ['é', '日本語', '😀', 'a\u0301', '\u{10ffff}'] };
    expect(roundTrip(f, P)).toEqual(f);
  });

  test('a name that starts with U+FEFF (BOM) is not stripped', () => {
    // BUG: wire.ts's TextDecoder is created without ignoreBOM, so a leading
    // EF BB BF is swallowed and '\uFEFFx' comes back as 'x'.
    const f: Fcall = { type: 'Twalk', tag: 1, fid: 1, newfid: 2, wname: ['\uFEFFx', '\uFEFF'] };
    expect(roundTrip(f, P)).toEqual(f);
    const e: Fcall = { type: 'Rerror', tag: 1, ename: '\uFEFFoops' };
    expect(roundTrip(e, P)).toEqual(e);
  });

  test('decode accepts a Uint8Array view at a non-zero offset of a larger buffer', () => {
    const wire = encode(EX.Rstat, L);
    const big = new Uint8Array(wire.length + 40);
    big.set(wire, 17);
    expect(decode(big.subarray(17, 17 + wire.length), L)).toEqual(EX.Rstat);
  });

  test('nullDir (wstat "don\'t touch") is all ones on the wire', () => {
    const wire = encode(EX.Twstat, P);
    // size[4] type[1] tag[2] fid[4] n[2] size[2], then type..length are all 0xff
    const fixed = wire.subarray(15, 15 + 2 + 4 + 13 + 4 + 4 + 4 + 8);
    expect([...fixed].every((b) => b === 0xff)).toBe(true);
    expect(decode(wire, P)).toEqual(EX.Twstat);
  });
});

describe('golden frames', () => {
  test('Tversion msize 8192 "9P2000"', () => {
    const f: Fcall = { type: 'Tversion', tag: NOTAG, msize: 8192, version: '9P2000' };
    const g = hex('13000000 64 ffff 00200000 0600 395032303030');
    expect(encode(f, P).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, P)).toEqual(f);
    expect(decode(g, L)).toEqual(f);
  });

  test('Rerror "file does not exist"', () => {
    const f: Fcall = { type: 'Rerror', tag: 1, ename: 'file does not exist' };
    const g = hex('1c000000 6b 0100 1300 66696c6520646f6573206e6f74206578697374');
    expect(encode(f, P).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, P)).toEqual(f);
  });

  test('Twalk with two names', () => {
    const f: Fcall = { type: 'Twalk', tag: 2, fid: 0, newfid: 1, wname: ['a', 'bc'] };
    const g = hex('18000000 6e 0200 00000000 01000000 0200 0100 61 0200 6263');
    expect(encode(f, P).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, P)).toEqual(f);
  });

  test('Rwalk with one qid', () => {
    const f: Fcall = { type: 'Rwalk', tag: 2, wqid: [{ type: QTDIR, version: 5, path: 0x100000002 }] };
    const g = hex('16000000 6f 0200 0100 80 05000000 0200000001000000');
    expect(encode(f, P).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, P)).toEqual(f);
  });

  test('Tread with a 64-bit offset', () => {
    const f: Fcall = { type: 'Tread', tag: 9, fid: 1, offset: 0x100000002, count: 0x2000 };
    const g = hex('17000000 74 0900 01000000 0200000001000000 00200000');
    expect(encode(f, P).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, P)).toEqual(f);
  });

  test('Rread with data', () => {
    const f: Fcall = { type: 'Rread', tag: 3, data: new Uint8Array([0x68, 0x69, 0x0a]) };
    const g = hex('0e000000 75 0300 03000000 68690a');
    expect(encode(f, P).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, P)).toEqual(f);
  });

  test('Rstat with a Dir, including the extra size[2] prefix', () => {
    const f: Fcall = { type: 'Rstat', tag: 4, stat: DIR };
    expect(encode(f, P).toString('hex')).toBe(RSTAT_GOLDEN.toString('hex'));
    expect(decode(RSTAT_GOLDEN, P)).toEqual(f);
    // the record after n[2] is exactly what packDir produces (and directory reads concatenate)
    expect(packDir(DIR).toString('hex')).toBe(RSTAT_GOLDEN.subarray(9).toString('hex'));
  });

  test('Twstat carries fid then the same doubly-sized stat', () => {
    const f: Fcall = { type: 'Twstat', tag: 4, fid: 7, stat: DIR };
    const g = Buffer.concat([hex('42000000 7e 0400 07000000'), RSTAT_GOLDEN.subarray(7)]);
    expect(encode(f, P).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, P)).toEqual(f);
  });

  test('Tattach in 9P2000 and in 9P2000.L (n_uname[4])', () => {
    const p: Fcall = { type: 'Tattach', tag: 7, fid: 0, afid: NOFID, uname: 'u', aname: '' };
    const gp = hex('14000000 68 0700 00000000 ffffffff 0100 75 0000');
    expect(encode(p, P).toString('hex')).toBe(gp.toString('hex'));
    expect(decode(gp, P)).toEqual(p);
    const l: Fcall = { ...p, nuname: 1000 };
    const gl = hex('18000000 68 0700 00000000 ffffffff 0100 75 0000 e8030000');
    expect(encode(l, L).toString('hex')).toBe(gl.toString('hex'));
    expect(decode(gl, L)).toEqual(l);
  });

  test('Tgetattr', () => {
    const f: Fcall = { type: 'Tgetattr', tag: 5, fid: 1, requestMask: GETATTR.ALL };
    const g = hex('13000000 18 0500 01000000 ff3f000000000000');
    expect(encode(f, L).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, L)).toEqual(f);
  });

  test('Rlerror', () => {
    const f: Fcall = { type: 'Rlerror', tag: 6, ecode: 2 };
    const g = hex('0b000000 07 0600 02000000');
    expect(encode(f, L).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, L)).toEqual(f);
  });

  test('Treaddir with a bigint offset', () => {
    const f: Fcall = { type: 'Treaddir', tag: 8, fid: 3, offset: 0x0102030405060708n, count: 4096 };
    const g = hex('17000000 28 0800 03000000 0807060504030201 00100000');
    expect(encode(f, L).toString('hex')).toBe(g.toString('hex'));
    expect(decode(g, L)).toEqual(f);
  });

  test('Rgetattr is 160 bytes of body', () => {
    // valid[8] qid[13] mode[4] uid[4] gid[4] then 15 more [8] fields
    expect(encode(EX.Rgetattr, L).length).toBe(7 + 8 + 13 + 4 + 4 + 4 + 15 * 8);
    expect(encode(EX.Tsetattr, L).length).toBe(7 + 4 + 4 * 4 + 5 * 8);
    expect(encode(EX.Rstatfs, L).length).toBe(7 + 4 + 4 + 6 * 8 + 4);
  });
});

describe('decode errors', () => {
  test('a frame shorter than the 7-byte header', () => {
    for (const f of [[], [7], [7, 0, 0, 0, 100], [7, 0, 0, 0, 100, 1]]) {
      const e = decodeError(Buffer.from(f));
      expect(e.tag).toBeUndefined();
      expect(e.message).toContain('shorter than the 7-byte header');
    }
    expect(peekTag(Buffer.from([7, 0, 0, 0, 100, 1]))).toBeUndefined();
  });

  test('a size field that disagrees with the frame length', () => {
    const ok = encode({ type: 'Tclunk', tag: 0x1234, fid: 1 }, P); // 11 bytes
    expect(peekTag(ok)).toBe(0x1234);
    for (const size of [0, 7, 10, 12, 0xffffffff]) {
      const e = decodeError(withSize(ok, size), P);
      expect(e.tag).toBe(0x1234);
      expect(e.message).toContain(`size field ${size} disagrees with 11 bytes`);
    }
    // bytes appended without fixing the size field
    const e = decodeError(Buffer.concat([ok, Buffer.from([0])]), P);
    expect(e.tag).toBe(0x1234);
    expect(e.message).toContain('size field 11 disagrees with 12 bytes');
  });

  test('unknown message types, including 106 (Terror)', () => {
    for (const t of [0, 5, 99, 106, 128, 200, 255]) {
      const e = decodeError(frame(t, 77));
      expect(e.tag).toBe(77);
      expect(e.message).toContain(`unknown message type ${t}`);
    }
    const e = decodeError(frame(106, 3, s9('boom')), P);
    expect(e.tag).toBe(3);
    expect(e.message).toContain('unknown message type 106');
  });

  test('Tlerror (6) is rejected like Terror, not decoded into a type Fcall does not have', () => {
    // BUG: decode returns { type: 'Tlerror', tag } -- a value outside the Fcall union.
    const e = decodeError(frame(MsgType.Tlerror, 8), L);
    expect(e.tag).toBe(8);
    expect(e.message).toContain('unknown message type 6');
  });

  test('a truncated string', () => {
    // Rerror claims a 10-byte ename but carries 3
    let e = decodeError(frame(MsgType.Rerror, 5, le16(10), [0x61, 0x62, 0x63]), P);
    expect(e.tag).toBe(5);
    expect(e.message).toContain('Rerror: truncated at ename');
    // only one byte of the length
    e = decodeError(frame(MsgType.Rerror, 5, [3]), P);
    expect(e.message).toContain('Rerror: truncated at ename length');
    // the second walk name is missing entirely
    e = decodeError(frame(MsgType.Twalk, 6, le32(0), le32(1), le16(2), s9('a')), P);
    expect(e.tag).toBe(6);
    expect(e.message).toContain('Twalk: truncated at wname[1] length');
  });

  test('truncated fixed fields, qids and data', () => {
    let e = decodeError(frame(MsgType.Tclunk, 1, [1, 0]), P);
    expect(e.tag).toBe(1);
    expect(e.message).toContain('Tclunk: truncated at fid');
    e = decodeError(frame(MsgType.Rattach, 2, [0x80, 0, 0, 0, 0, 1, 0, 0]), P);
    expect(e.message).toContain('Rattach: truncated at qid');
    e = decodeError(frame(MsgType.Rwalk, 3, le16(2), new Array(13).fill(0)), P);
    expect(e.message).toContain('Rwalk: truncated at wqid[1]');
    e = decodeError(frame(MsgType.Rread, 4, le32(100), [1, 2, 3]), P);
    expect(e.tag).toBe(4);
    expect(e.message).toContain('Rread: truncated at data');
    e = decodeError(frame(MsgType.Rgetattr, 5, new Array(8 + 13 + 12).fill(0)), L);
    expect(e.message).toContain('Rgetattr: truncated at nlink');
    e = decodeError(frame(MsgType.Treaddir, 6, le32(1), [1, 2, 3, 4]), L);
    expect(e.message).toContain('Treaddir: truncated at offset');
  });

  test('a truncated stat', () => {
    // n[2] promises more than the frame holds
    const short = extended(RSTAT_BODYLESS(), ...le16(53), ...RSTAT_GOLDEN.subarray(9, 9 + 20));
    let e = decodeError(short, P);
    expect(e.tag).toBe(4);
    expect(e.message).toContain('Rstat: truncated at stat');
    // cut anywhere inside a well-formed Rstat (size field fixed up each time)
    for (let cut = 8; cut < RSTAT_GOLDEN.length; cut++) {
      const f = withSize(RSTAT_GOLDEN.subarray(0, cut), cut);
      e = decodeError(f, P);
      expect(e.tag).toBe(4);
      expect(e.message).toMatch(/^Rstat: truncated at stat/);
    }
    // an inner size too small for the fixed fields, with a consistent n
    const tiny = extended(RSTAT_BODYLESS(), ...le16(2 + 10), ...le16(10), ...new Array(10).fill(0));
    e = decodeError(tiny, P);
    expect(e.message).toContain('Rstat: truncated at stat qid');
  });

  test("a stat whose inner size disagrees with the message's n", () => {
    const record = [...RSTAT_GOLDEN.subarray(9)]; // size[2]=51 + 51 bytes
    // n says 55, the record is 53 bytes, and two more bytes follow
    let e = decodeError(extended(RSTAT_BODYLESS(), ...le16(55), ...record, 0, 0), P);
    expect(e.tag).toBe(4);
    expect(e.message).toContain('Rstat: stat length 55 disagrees with its record');
    // inner size says 53 (2 bytes of 9P2000.u-style extension), n still says 53
    const bigger = [...le16(53), ...record.slice(2), 0xaa, 0xbb];
    e = decodeError(extended(RSTAT_BODYLESS(), ...le16(53), ...bigger), P);
    expect(e.message).toContain('Rstat: stat length 53 disagrees with its record');
    // and the same in Twstat
    e = decodeError(frame(MsgType.Twstat, 9, le32(1), le16(50), record), P);
    expect(e.tag).toBe(9);
    expect(e.message).toContain('Twstat: stat length 50 disagrees with its record');
  });

  test('a stat with extension bytes after muid is accepted when both sizes agree', () => {
    const record = [...le16(55), ...RSTAT_GOLDEN.subarray(11), 1, 2, 3, 4];
    const f = extended(RSTAT_BODYLESS(), ...le16(57), ...record);
    expect(decode(f, P)).toEqual({ type: 'Rstat', tag: 4, stat: DIR });
  });

  test('more than 16 walk names or qids', () => {
    const names = Array.from({ length: 17 }, () => s9('a'));
    let e = decodeError(frame(MsgType.Twalk, 11, le32(0), le32(1), le16(17), ...names), P);
    expect(e.tag).toBe(11);
    expect(e.message).toContain('Twalk: 17 names exceed the limit of 16');
    // a huge count is rejected before any attempt to read the names
    e = decodeError(frame(MsgType.Twalk, 11, le32(0), le32(1), le16(0xffff)), P);
    expect(e.message).toContain('65535 names exceed the limit of 16');
    e = decodeError(frame(MsgType.Rwalk, 12, le16(17), new Array(17 * 13).fill(0)), P);
    expect(e.tag).toBe(12);
    expect(e.message).toContain('Rwalk: 17 qids exceed the limit of 16');
  });

  test('bad UTF-8 in a name', () => {
    const bad: number[][] = [
      [0xff], [0x80], [0x61, 0xc3], // lone continuation / truncated 2-byte sequence
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // UTF-16 surrogate encoded in UTF-8
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
      [0xe6, 0x97, 0xa5, 0xe6, 0x97], // '日' then a truncated one
    ];
    for (const b of bad) {
      const e = decodeError(frame(MsgType.Twalk, 13, le32(0), le32(1), le16(2), s9('ok'), s9(b)), P);
      expect(e.tag).toBe(13);
      expect(e.message).toContain('Twalk: wname[1] is not valid UTF-8');
    }
    const e = decodeError(frame(MsgType.Rstat, 14, le16(2 + 39 + 9), le16(39 + 9), new Array(39).fill(0), s9([0xfe]), s9(''), s9(''), s9('')), P);
    expect(e.tag).toBe(14);
    expect(e.message).toContain('Rstat: stat name is not valid UTF-8');
  });

  test('NUL in a name', () => {
    let e = decodeError(frame(MsgType.Twalk, 15, le32(0), le32(1), le16(2), s9('a'), s9([0x62, 0x00, 0x63])), P);
    expect(e.tag).toBe(15);
    expect(e.message).toContain('Twalk: wname[1] contains a NUL byte');
    // after a non-ASCII character (the UTF-8 path, not the ASCII fast path)
    e = decodeError(frame(MsgType.Tcreate, 16, le32(0), s9([0xc3, 0xa9, 0x00]), le32(0o644), [0]), P);
    expect(e.message).toContain('Tcreate: name contains a NUL byte');
    e = decodeError(frame(MsgType.Rerror, 17, s9([0])), P);
    expect(e.message).toContain('Rerror: ename contains a NUL byte');
  });

  test('trailing bytes after the last field', () => {
    let e = decodeError(extended(encode({ type: 'Tclunk', tag: 18, fid: 1 }, P), 0, 0), P);
    expect(e.tag).toBe(18);
    expect(e.message).toContain('Tclunk: 2 trailing bytes');
    e = decodeError(extended(encode({ type: 'Rflush', tag: 19 }, P), 9), P);
    expect(e.message).toContain('Rflush: 1 trailing bytes');
    e = decodeError(extended(encode(EX.Rgetattr, L), 1, 2, 3), L);
    expect(e.message).toContain('Rgetattr: 3 trailing bytes');
  });

  test('a .L message in a 9P2000 session', () => {
    let e = decodeError(encode(EX.Tlopen, L), P);
    expect(e.tag).toBe(16);
    expect(e.message).toContain('Tlopen is a 9P2000.L message, but the session speaks 9P2000');
    e = decodeError(encode(EX.Rlerror, L), P);
    expect(e.tag).toBe(14);
    expect(e.message).toContain('Rlerror is a 9P2000.L message');
    for (const f of ALL.filter((x) => isDotL(x.type))) {
      expect(decodeError(encode(f, L), P).message).toContain(`${f.type} is a 9P2000.L message`);
    }
  });

  test('every error after the header carries the tag that peekTag sees', () => {
    const bad = [
      withSize(encode(EX.Rerror, P), 1),
      frame(106, 0xbeef),
      frame(MsgType.Rerror, 0xbeef, le16(4)),
      extended(encode({ type: 'Rclunk', tag: 0xbeef }, P), 0),
    ];
    for (const f of bad) expect(decodeError(f, P).tag).toBe(peekTag(f));
  });
});

describe('encode', () => {
  test('unknown type names are a ProtocolError', () => {
    const e = encodeError({ type: 'Terror', tag: 1 } as unknown as Fcall);
    expect(e.message).toContain('unknown message type Terror');
  });

  test('a string longer than 65535 bytes is a ProtocolError', () => {
    const e = encodeError({ type: 'Rerror', tag: 1, ename: 'x'.repeat(0x10000) });
    expect(e.message).toContain('65536 bytes is too long');
    // 3-byte characters: 21846 * 3 = 65538 bytes although .length is small
    expect(encodeError({ type: 'Rerror', tag: 1, ename: '日'.repeat(21846) }).message).toContain('too long');
    const max: Fcall = { type: 'Rerror', tag: 1, ename: 'x'.repeat(0xffff) };
    expect(roundTrip(max, P)).toEqual(max);
  });

  test('the largest Rstat whose n[2] still fits round-trips', () => {
    // record = size[2] + 47 fixed bytes incl. four string lengths + names; n = record <= 65535
    const stat: Dir = { ...DIR, name: 'n'.repeat(0xffff - 2 - 47), uid: '', gid: '', muid: '' };
    const f: Fcall = { type: 'Rstat', tag: 1, stat };
    expect(roundTrip(f, P)).toEqual(f);
  });

  test('a stat record too large for its size[2] is a ProtocolError, not a RangeError', () => {
    // BUG: Writer.dir / the 'stat' case of put() write the size with writeUInt16LE and
    // Node throws RangeError ("value out of range") instead of a ProtocolError.
    const huge: Dir = { ...DIR, name: 'n'.repeat(60000), uid: 'u'.repeat(6000) };
    expect(encodeError({ type: 'Rstat', tag: 1, stat: huge }).message).toMatch(/stat|too long/);
    expect(encodeError({ type: 'Twstat', tag: 1, fid: 1, stat: huge }).message).toMatch(/stat|too long/);
    // inner record fits in size[2] (65534) but n = 65536 does not
    const edge: Dir = { ...DIR, name: 'n'.repeat(0xffff - 2 - 47 + 1), uid: '', gid: '', muid: '' };
    expect(encodeError({ type: 'Rstat', tag: 1, stat: edge }).message).toMatch(/stat|too long/);
  });
});

describe('encode refuses what decode would reject', () => {
  // BUG (asymmetry): the codec's header promises the two directions cannot disagree,
  // but encode happily writes frames its own decode (and any peer) will reject.
  test('more than MAXWELEM walk names', () => {
    const e = encodeError({ type: 'Twalk', tag: 1, fid: 0, newfid: 1, wname: Array(17).fill('a') });
    expect(e.message).toContain('17 names exceed the limit of 16');
  });

  test('more than MAXWELEM walk qids', () => {
    const e = encodeError({ type: 'Rwalk', tag: 1, wqid: Array(17).fill(QDIR) });
    expect(e.message).toContain('17 qids exceed the limit of 16');
  });

  test('a NUL byte in a string', () => {
    const e = encodeError({ type: 'Rerror', tag: 1, ename: 'bad\0name' });
    expect(e.message).toContain('NUL');
    expect(encodeError({ type: 'Twalk', tag: 1, fid: 0, newfid: 1, wname: ['a', 'b\0'] }).message).toContain('NUL');
  });
});

describe('directory data (packDir / unpackDirs)', () => {
  test('concatenated records split back into Dirs', () => {
    const data = Buffer.concat([packDir(DIR), packDir(FILE_DIR), packDir(nullDir())]);
    expect(unpackDirs(data)).toEqual([DIR, FILE_DIR, nullDir()]);
    expect(unpackDirs(new Uint8Array(0))).toEqual([]);
  });

  test('a torn entry is a ProtocolError naming directory data', () => {
    const data = Buffer.concat([packDir(DIR), packDir(FILE_DIR)]);
    for (const cut of [1, 10, data.length - 1]) {
      let err: unknown;
      try { unpackDirs(data.subarray(0, cut)); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as Error).message).toMatch(/^directory data: truncated at stat/);
    }
  });
});
