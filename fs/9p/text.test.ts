// fcallText: the one-line trace form, in the shape of Plan 9's fcallfmt.

import { describe, expect, test } from 'vitest';
import { decode, encode } from './codec.ts';
import {
  DMAPPEND, DMDIR, DMEXCL, DMSYMLINK, Dialect, GETATTR, NOFID, NOTAG,
  QTAPPEND, QTAUTH, QTDIR, QTEXCL, QTSYMLINK, QTTMP, S_IF,
} from './constants.ts';
import type { Dir, Fcall, Qid } from './fcall.ts';
import { nullDir } from './fcall.ts';
import { dirText, fcallText, modeText, qidText } from './text.ts';

const QDIR: Qid = { type: QTDIR, version: 0, path: 1 };
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

describe('qidText', () => {
  test('path as 16 hex digits, decimal version, type letters', () => {
    expect(qidText(QDIR)).toBe('(0000000000000001 0 d)');
    expect(qidText({ type: 0, version: 3, path: 0xff })).toBe('(00000000000000ff 3 )');
    expect(qidText({ type: 0, version: 0xffffffff, path: 2 ** 40 + 0xabc })).toBe('(0000010000000abc 4294967295 )');
  });

  test('every type bit, in fcallfmt order', () => {
    const all = QTDIR | QTAPPEND | QTEXCL | QTAUTH | QTTMP | QTSYMLINK;
    expect(qidText({ type: all, version: 1, path: 0 })).toBe('(0000000000000000 1 dalAtL)');
    expect(qidText({ type: QTAUTH, version: 0, path: 0 })).toBe('(0000000000000000 0 A)');
    expect(qidText({ type: QTAPPEND | QTEXCL, version: 0, path: 0 })).toBe('(0000000000000000 0 al)');
  });
});

describe('modeText', () => {
  test('letters for the high bits, then three octal digits', () => {
    expect(modeText(0o644)).toBe('644');
    expect(modeText(0)).toBe('000');
    expect(modeText(DMDIR | 0o755)).toBe('d755'); // negative int32 works too
    expect(modeText((DMDIR | 0o755) >>> 0)).toBe('d755');
    expect(modeText((DMAPPEND | DMEXCL | 0o600) >>> 0)).toBe('al600');
    expect(modeText((DMSYMLINK | 0o777) >>> 0)).toBe('L777');
    expect(modeText(S_IF.REG | 0o644)).toBe('644');
  });
});

describe('fcallText', () => {
  test('Tversion', () => {
    expect(fcallText({ type: 'Tversion', tag: NOTAG, msize: 8192, version: '9P2000' }))
      .toBe("Tversion tag 65535 msize 8192 version '9P2000'");
  });

  test('Tattach with and without n_uname', () => {
    expect(fcallText({ type: 'Tattach', tag: 1, fid: 0, afid: NOFID, uname: 'glenda', aname: '' }))
      .toBe("Tattach tag 1 fid 0 afid 4294967295 uname 'glenda' aname ''");
    expect(fcallText({ type: 'Tattach', tag: 1, fid: 0, afid: NOFID, uname: 'glenda', aname: '/', nuname: 1000 }))
      .toBe("Tattach tag 1 fid 0 afid 4294967295 uname 'glenda' aname '/' nuname 1000");
    // an explicitly undefined field is left out, not printed as 'undefined'
    expect(fcallText({ type: 'Tauth', tag: 2, afid: 3, uname: 'u', aname: 'a', nuname: undefined }))
      .toBe("Tauth tag 2 afid 3 uname 'u' aname 'a'");
  });

  test('Twalk lists its names', () => {
    expect(fcallText({ type: 'Twalk', tag: 3, fid: 0, newfid: 1, wname: ['a', 'b'] }))
      .toBe('Twalk tag 3 fid 0 newfid 1 nwname 2 0:a 1:b');
    expect(fcallText({ type: 'Twalk', tag: 3, fid: 0, newfid: 1, wname: [] }))
      .toBe('Twalk tag 3 fid 0 newfid 1 nwname 0');
  });

  test('Rwalk lists its qids', () => {
    expect(fcallText({ type: 'Rwalk', tag: 3, wqid: [QDIR, { type: 0, version: 3, path: 0xff }] }))
      .toBe('Rwalk tag 3 nwqid 2 0:(0000000000000001 0 d) 1:(00000000000000ff 3 )');
  });

  test('qid and aqid fields', () => {
    expect(fcallText({ type: 'Rattach', tag: 1, qid: QDIR })).toBe('Rattach tag 1 qid (0000000000000001 0 d)');
    expect(fcallText({ type: 'Rauth', tag: 1, aqid: { type: QTAUTH, version: 0, path: 7 } }))
      .toBe('Rauth tag 1 aqid (0000000000000007 0 A)');
    expect(fcallText({ type: 'Ropen', tag: 4, qid: QDIR, iounit: 8168 }))
      .toBe('Ropen tag 4 qid (0000000000000001 0 d) iounit 8168');
  });

  test('Rread shows the count and a printable prefix', () => {
    expect(fcallText({ type: 'Rread', tag: 1, data: bytes('hello\nworld') }))
      .toBe("Rread tag 1 count 11 'hello\\nworld'");
    // quote, NUL and DEL are not printable here
    expect(fcallText({ type: 'Rread', tag: 1, data: bytes("it's\x00\x7f!") }))
      .toBe("Rread tag 1 count 7 'it.s..!'");
    expect(fcallText({ type: 'Rread', tag: 1, data: new Uint8Array(0) })).toBe("Rread tag 1 count 0 ''");
  });

  test('data longer than 32 bytes is cut with ...', () => {
    const d32 = bytes('0123456789abcdef0123456789ABCDEF');
    expect(fcallText({ type: 'Rread', tag: 2, data: d32 })).toBe("Rread tag 2 count 32 '0123456789abcdef0123456789ABCDEF'");
    const d40 = bytes('0123456789abcdef0123456789ABCDEF-and-more');
    expect(fcallText({ type: 'Rread', tag: 2, data: d40 })).toBe("Rread tag 2 count 41 '0123456789abcdef0123456789ABCDEF...'");
    expect(fcallText({ type: 'Twrite', tag: 5, fid: 1, offset: 100, data: bytes('abc') }))
      .toBe("Twrite tag 5 fid 1 offset 100 count 3 'abc'");
  });

  test('Tcreate perm shows the mode letters; small modes stay numeric', () => {
    expect(fcallText({ type: 'Tcreate', tag: 6, fid: 1, name: 'dir', perm: (DMDIR | 0o755) >>> 0, mode: 0 }))
      .toBe("Tcreate tag 6 fid 1 name 'dir' perm d755 mode 0");
    expect(fcallText({ type: 'Topen', tag: 6, fid: 1, mode: 0x10 | 1 })).toBe('Topen tag 6 fid 1 mode 17');
    expect(fcallText({ type: 'Tmkdir', tag: 7, dfid: 1, name: 'sub', mode: 0o755, gid: 100 }))
      .toBe("Tmkdir tag 7 dfid 1 name 'sub' mode 755 gid 100");
    expect(fcallText({ type: 'Tlcreate', tag: 7, fid: 1, name: 'f', flags: 0o101, mode: S_IF.REG | 0o644, gid: 0 }))
      .toBe("Tlcreate tag 7 fid 1 name 'f' flags 65 mode 644 gid 0");
  });

  test('Rstat and Twstat print the Dir', () => {
    const d: Dir = {
      type: 0, dev: 0, qid: { type: QTDIR, version: 1, path: 2 }, mode: (DMDIR | 0o755) >>> 0,
      atime: 10, mtime: 20, length: 0, name: 'd', uid: 'u', gid: 'g', muid: 'm',
    };
    const expected = "'d' 'u' 'g' 'm' q (0000000000000002 1 d) m d755 at 10 mt 20 l 0 t 0 d 0";
    expect(dirText(d)).toBe(expected);
    expect(fcallText({ type: 'Rstat', tag: 8, stat: d })).toBe(`Rstat tag 8 stat ${expected}`);
    expect(fcallText({ type: 'Twstat', tag: 9, fid: 4, stat: nullDir() })).toBe(
      "Twstat tag 9 fid 4 stat '' '' '' '' q (10000000000000000 4294967295 dalAtL) m dalL777 at 4294967295 mt 4294967295 l 18446744073709552000 t 65535 d 4294967295",
    );
  });

  test('errors and empty replies', () => {
    expect(fcallText({ type: 'Rerror', tag: 1, ename: 'file does not exist' })).toBe("Rerror tag 1 ename 'file does not exist'");
    expect(fcallText({ type: 'Rlerror', tag: 1, ecode: 2 })).toBe('Rlerror tag 1 ecode 2');
    expect(fcallText({ type: 'Rflush', tag: 7 })).toBe('Rflush tag 7');
    expect(fcallText({ type: 'Tflush', tag: 8, oldtag: 7 })).toBe('Tflush tag 8 oldtag 7');
  });

  test('.L messages: bigint offsets and nested records', () => {
    expect(fcallText({ type: 'Treaddir', tag: 1, fid: 3, offset: 2n ** 64n - 1n, count: 4096 }))
      .toBe('Treaddir tag 1 fid 3 offset 18446744073709551615 count 4096');
    expect(fcallText({ type: 'Tgetattr', tag: 2, fid: 1, requestMask: GETATTR.BASIC }))
      .toBe('Tgetattr tag 2 fid 1 requestMask 2047');
    expect(fcallText({
      type: 'Tsetattr', tag: 3, fid: 1,
      attr: { valid: 1, mode: 0o644, uid: 0, gid: 0, size: 0, atimeSec: 0, atimeNsec: 0, mtimeSec: 5, mtimeNsec: 6 },
    })).toBe('Tsetattr tag 3 fid 1 attr {valid 1 mode 420 uid 0 gid 0 size 0 atimeSec 0 atimeNsec 0 mtimeSec 5 mtimeNsec 6}');
    expect(fcallText({
      type: 'Rgetattr', tag: 4,
      attr: {
        valid: 0x7ff, qid: { type: 0, version: 0, path: 9 }, mode: S_IF.REG | 0o644, uid: 1, gid: 2, nlink: 1, rdev: 0,
        size: 3, blksize: 4096, blocks: 1, atimeSec: 0, atimeNsec: 0, mtimeSec: 0, mtimeNsec: 0,
        ctimeSec: 0, ctimeNsec: 0, btimeSec: 0, btimeNsec: 0, gen: 0, dataVersion: 0,
      },
    })).toBe(
      'Rgetattr tag 4 attr {valid 2047 qid (0000000000000009 0 ) mode 33188 uid 1 gid 2 nlink 1 rdev 0 size 3 blksize 4096 blocks 1 '
      + 'atimeSec 0 atimeNsec 0 mtimeSec 0 mtimeNsec 0 ctimeSec 0 ctimeNsec 0 btimeSec 0 btimeNsec 0 gen 0 dataVersion 0}',
    );
  });

  test('a decoded frame prints in wire (layout) order', () => {
    const f: Fcall = { type: 'Twalk', tag: 3, fid: 0, newfid: 1, wname: ['srv', 'cuda'] };
    const wire = encode({ wname: ['srv', 'cuda'], newfid: 1, fid: 0, tag: 3, type: 'Twalk' }, Dialect.P2000);
    expect(fcallText(decode(wire, Dialect.P2000))).toBe('Twalk tag 3 fid 0 newfid 1 nwname 2 0:srv 1:cuda');
    expect(fcallText(f)).toBe('Twalk tag 3 fid 0 newfid 1 nwname 2 0:srv 1:cuda');
    const r = decode(encode({ type: 'Rread', tag: 9, data: bytes('x') }, Dialect.P2000), Dialect.P2000);
    expect(fcallText(r)).toBe("Rread tag 9 count 1 'x'");
  });
});
