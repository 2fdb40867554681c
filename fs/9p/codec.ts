// Encode and decode 9P2000 / 9P2000.L frames from one table of message layouts,
// so the two directions cannot disagree.

import { MsgType, MAXWELEM, HEADER_SIZE, Dialect } from './constants.ts';
import type { MsgName } from './constants.ts';
import type { Attr, Fcall, SetAttr, StatFs } from './fcall.ts';
import { ProtocolError, Reader, Writer } from './wire.ts';

type Kind = 'u8' | 'u16' | 'u32' | 'u64' | 'u64big' | 's' | 'qid' | 'qids' | 'strs' | 'data' | 'stat' | 'attr' | 'setattr' | 'statfs';
type Layout = ReadonlyArray<readonly [string, Kind]>;

const ATTR_FIELDS = [
  ['valid', 'u64'], ['qid', 'qid'], ['mode', 'u32'], ['uid', 'u32'], ['gid', 'u32'], ['nlink', 'u64'], ['rdev', 'u64'],
  ['size', 'u64'], ['blksize', 'u64'], ['blocks', 'u64'], ['atimeSec', 'u64'], ['atimeNsec', 'u64'],
  ['mtimeSec', 'u64'], ['mtimeNsec', 'u64'], ['ctimeSec', 'u64'], ['ctimeNsec', 'u64'],
  ['btimeSec', 'u64'], ['btimeNsec', 'u64'], ['gen', 'u64'], ['dataVersion', 'u64'],
] as const satisfies Layout;
const SETATTR_FIELDS = [
  ['valid', 'u32'], ['mode', 'u32'], ['uid', 'u32'], ['gid', 'u32'], ['size', 'u64'],
  ['atimeSec', 'u64'], ['atimeNsec', 'u64'], ['mtimeSec', 'u64'], ['mtimeNsec', 'u64'],
] as const satisfies Layout;
const STATFS_FIELDS = [
  ['type', 'u32'], ['bsize', 'u32'], ['blocks', 'u64'], ['bfree', 'u64'], ['bavail', 'u64'],
  ['files', 'u64'], ['ffree', 'u64'], ['fsid', 'u64'], ['namelen', 'u32'],
] as const satisfies Layout;

const LOCKARGS = [['lockType', 'u8'], ['start', 'u64'], ['length', 'u64'], ['procId', 'u32'], ['clientId', 's']] as const;

/** Body layout of every message (after size[4] type[1] tag[2]). */
const LAYOUT: Record<MsgName, Layout> = {
  Tversion: [['msize', 'u32'], ['version', 's']],
  Rversion: [['msize', 'u32'], ['version', 's']],
  Tauth: [['afid', 'u32'], ['uname', 's'], ['aname', 's']],
  Rauth: [['aqid', 'qid']],
  Tattach: [['fid', 'u32'], ['afid', 'u32'], ['uname', 's'], ['aname', 's']],
  Rattach: [['qid', 'qid']],
  Rerror: [['ename', 's']],
  Tflush: [['oldtag', 'u16']],
  Rflush: [],
  Twalk: [['fid', 'u32'], ['newfid', 'u32'], ['wname', 'strs']],
  Rwalk: [['wqid', 'qids']],
  Topen: [['fid', 'u32'], ['mode', 'u8']],
  Ropen: [['qid', 'qid'], ['iounit', 'u32']],
  Tcreate: [['fid', 'u32'], ['name', 's'], ['perm', 'u32'], ['mode', 'u8']],
  Rcreate: [['qid', 'qid'], ['iounit', 'u32']],
  Tread: [['fid', 'u32'], ['offset', 'u64'], ['count', 'u32']],
  Rread: [['data', 'data']],
  Twrite: [['fid', 'u32'], ['offset', 'u64'], ['data', 'data']],
  Rwrite: [['count', 'u32']],
  Tclunk: [['fid', 'u32']],
  Rclunk: [],
  Tremove: [['fid', 'u32']],
  Rremove: [],
  Tstat: [['fid', 'u32']],
  Rstat: [['stat', 'stat']],
  Twstat: [['fid', 'u32'], ['stat', 'stat']],
  Rwstat: [],
  Tlerror: [],
  Rlerror: [['ecode', 'u32']],
  Tstatfs: [['fid', 'u32']],
  Rstatfs: [['statfs', 'statfs']],
  Tlopen: [['fid', 'u32'], ['flags', 'u32']],
  Rlopen: [['qid', 'qid'], ['iounit', 'u32']],
  Tlcreate: [['fid', 'u32'], ['name', 's'], ['flags', 'u32'], ['mode', 'u32'], ['gid', 'u32']],
  Rlcreate: [['qid', 'qid'], ['iounit', 'u32']],
  Tsymlink: [['fid', 'u32'], ['name', 's'], ['symtgt', 's'], ['gid', 'u32']],
  Rsymlink: [['qid', 'qid']],
  Tmknod: [['dfid', 'u32'], ['name', 's'], ['mode', 'u32'], ['major', 'u32'], ['minor', 'u32'], ['gid', 'u32']],
  Rmknod: [['qid', 'qid']],
  Trename: [['fid', 'u32'], ['dfid', 'u32'], ['name', 's']],
  Rrename: [],
  Treadlink: [['fid', 'u32']],
  Rreadlink: [['target', 's']],
  Tgetattr: [['fid', 'u32'], ['requestMask', 'u64']],
  Rgetattr: [['attr', 'attr']],
  Tsetattr: [['fid', 'u32'], ['attr', 'setattr']],
  Rsetattr: [],
  Txattrwalk: [['fid', 'u32'], ['newfid', 'u32'], ['name', 's']],
  Rxattrwalk: [['size', 'u64']],
  Txattrcreate: [['fid', 'u32'], ['name', 's'], ['attrSize', 'u64'], ['flags', 'u32']],
  Rxattrcreate: [],
  Treaddir: [['fid', 'u32'], ['offset', 'u64big'], ['count', 'u32']],
  Rreaddir: [['data', 'data']],
  Tfsync: [['fid', 'u32'], ['datasync', 'u32']],
  Rfsync: [],
  Tlock: [['fid', 'u32'], ['lockType', 'u8'], ['flags', 'u32'], ['start', 'u64'], ['length', 'u64'], ['procId', 'u32'], ['clientId', 's']],
  Rlock: [['status', 'u8']],
  Tgetlock: [['fid', 'u32'], ...LOCKARGS],
  Rgetlock: LOCKARGS,
  Tlink: [['dfid', 'u32'], ['fid', 'u32'], ['name', 's']],
  Rlink: [],
  Tmkdir: [['dfid', 'u32'], ['name', 's'], ['mode', 'u32'], ['gid', 'u32']],
  Rmkdir: [['qid', 'qid']],
  Trenameat: [['olddirfid', 'u32'], ['oldname', 's'], ['newdirfid', 'u32'], ['newname', 's']],
  Rrenameat: [],
  Tunlinkat: [['dirfd', 'u32'], ['name', 's'], ['flags', 'u32']],
  Runlinkat: [],
};

/** 9P2000.L adds n_uname[4] to Tauth and Tattach. */
const LAYOUT_L: Partial<Record<MsgName, Layout>> = {
  Tauth: [...LAYOUT.Tauth, ['nuname', 'u32']],
  Tattach: [...LAYOUT.Tattach, ['nuname', 'u32']],
};

const NAME_OF: Record<number, MsgName> = {};
for (const [name, num] of Object.entries(MsgType)) NAME_OF[num] = name as MsgName;

/** Message types that exist only in 9P2000.L. */
export function isDotL(type: string): boolean {
  return MsgType[type as MsgName] < 100;
}

function layoutFor(name: MsgName, dialect: Dialect): Layout {
  return (dialect === Dialect.P2000L && LAYOUT_L[name]) || LAYOUT[name];
}

type Rec = Record<string, unknown>;

function put(w: Writer, rec: Rec, layout: Layout): void {
  for (const [f, k] of layout) {
    const v = rec[f];
    switch (k) {
      case 'u8': w.u8(v as number); break;
      case 'u16': w.u16(v as number); break;
      case 'u32': w.u32((v as number | undefined) ?? 0xffffffff); break;
      case 'u64': w.u64(v as number); break;
      case 'u64big': w.u64big(v as bigint); break;
      case 's': w.str(v as string); break;
      case 'qid': w.qid(v as never); break;
      case 'qids': { const a = v as never[]; if (a.length > MAXWELEM) throw new ProtocolError(`${a.length} qids exceed the limit of ${MAXWELEM}`); w.u16(a.length); for (const q of a) w.qid(q); break; }
      case 'strs': { const a = v as string[]; if (a.length > MAXWELEM) throw new ProtocolError(`${a.length} names exceed the limit of ${MAXWELEM}`); w.u16(a.length); for (const s of a) w.str(s); break; }
      case 'data': { const d = v as Uint8Array; w.u32(d.length); w.bytes(d); break; }
      case 'stat': {
        const at = w.pos; w.u16(0); w.dir(v as never);
        const n = w.pos - at - 2;
        if (n > 0xffff) throw new ProtocolError(`stat of ${n} bytes is too long for 9P`);
        w.buf.writeUInt16LE(n, at);
        break;
      }
      case 'attr': put(w, v as Rec, ATTR_FIELDS); break;
      case 'setattr': put(w, v as Rec, SETATTR_FIELDS); break;
      case 'statfs': put(w, v as Rec, STATFS_FIELDS); break;
    }
  }
}

function get(r: Reader, rec: Rec, layout: Layout): void {
  for (const [f, k] of layout) {
    switch (k) {
      case 'u8': rec[f] = r.u8(f); break;
      case 'u16': rec[f] = r.u16(f); break;
      case 'u32': rec[f] = r.u32(f); break;
      case 'u64': rec[f] = r.u64(f); break;
      case 'u64big': rec[f] = r.u64big(f); break;
      case 's': rec[f] = r.str(f); break;
      case 'qid': rec[f] = r.qid(f); break;
      case 'qids': {
        const n = r.u16('nwqid');
        if (n > MAXWELEM) throw new ProtocolError(`${r.what}: ${n} qids exceed the limit of ${MAXWELEM}`);
        const a = []; for (let i = 0; i < n; i++) a.push(r.qid(`wqid[${i}]`)); rec[f] = a; break;
      }
      case 'strs': {
        const n = r.u16('nwname');
        if (n > MAXWELEM) throw new ProtocolError(`${r.what}: ${n} names exceed the limit of ${MAXWELEM}`);
        const a = []; for (let i = 0; i < n; i++) a.push(r.str(`wname[${i}]`)); rec[f] = a; break;
      }
      case 'data': { const n = r.u32('count'); rec[f] = r.bytes(n, 'data'); break; }
      case 'stat': {
        const n = r.u16('stat length');
        const start = r.pos;
        r.need(n, 'stat');
        rec[f] = r.dir();
        if (r.pos !== start + n) throw new ProtocolError(`${r.what}: stat length ${n} disagrees with its record`);
        break;
      }
      case 'attr': { const o: Rec = {}; get(r, o, ATTR_FIELDS); rec[f] = o as unknown as Attr; break; }
      case 'setattr': { const o: Rec = {}; get(r, o, SETATTR_FIELDS); rec[f] = o as unknown as SetAttr; break; }
      case 'statfs': { const o: Rec = {}; get(r, o, STATFS_FIELDS); rec[f] = o as unknown as StatFs; break; }
    }
  }
}

// Hand-written bodies for the messages on every hot path (stat, walk, open, read, write,
// clunk). The generic table walk above costs about 80 ns a field (keyed loads, a switch per
// field); these are straight-line code. Each must say exactly what LAYOUT says: the codec
// tests compare both ways for every message (see fastMatchesTable in codec.test.ts).
type FastPut = (w: Writer, f: Rec) => void;
type FastGet = (r: Reader, type: MsgName, tag: number) => Rec;

function putAttr(w: Writer, a: Attr): void {
  w.u64(a.valid); w.qid(a.qid); w.u32(a.mode ?? 0xffffffff); w.u32(a.uid ?? 0xffffffff); w.u32(a.gid ?? 0xffffffff);
  w.u64(a.nlink); w.u64(a.rdev); w.u64(a.size); w.u64(a.blksize); w.u64(a.blocks);
  w.u64(a.atimeSec); w.u64(a.atimeNsec); w.u64(a.mtimeSec); w.u64(a.mtimeNsec);
  w.u64(a.ctimeSec); w.u64(a.ctimeNsec); w.u64(a.btimeSec); w.u64(a.btimeNsec);
  w.u64(a.gen); w.u64(a.dataVersion);
}

function getAttr(r: Reader): Attr {
  return {
    valid: r.u64('valid'), qid: r.qid('qid'), mode: r.u32('mode'), uid: r.u32('uid'), gid: r.u32('gid'),
    nlink: r.u64('nlink'), rdev: r.u64('rdev'), size: r.u64('size'), blksize: r.u64('blksize'), blocks: r.u64('blocks'),
    atimeSec: r.u64('atimeSec'), atimeNsec: r.u64('atimeNsec'), mtimeSec: r.u64('mtimeSec'), mtimeNsec: r.u64('mtimeNsec'),
    ctimeSec: r.u64('ctimeSec'), ctimeNsec: r.u64('ctimeNsec'), btimeSec: r.u64('btimeSec'), btimeNsec: r.u64('btimeNsec'),
    gen: r.u64('gen'), dataVersion: r.u64('dataVersion'),
  };
}

const u32f = (v: unknown): number => (v as number | undefined) ?? 0xffffffff;

const FAST_PUT: Partial<Record<MsgName, FastPut>> = {
  Tgetattr: (w, f) => { w.u32(u32f(f.fid)); w.u64(f.requestMask as number); },
  Rgetattr: (w, f) => putAttr(w, f.attr as Attr),
  Tlopen: (w, f) => { w.u32(u32f(f.fid)); w.u32(u32f(f.flags)); },
  Rlopen: (w, f) => { w.qid(f.qid as never); w.u32(u32f(f.iounit)); },
  Tread: (w, f) => { w.u32(u32f(f.fid)); w.u64(f.offset as number); w.u32(u32f(f.count)); },
  Rread: (w, f) => { const d = f.data as Uint8Array; w.u32(d.length); w.bytes(d); },
  Twrite: (w, f) => { const d = f.data as Uint8Array; w.u32(u32f(f.fid)); w.u64(f.offset as number); w.u32(d.length); w.bytes(d); },
  Rwrite: (w, f) => { w.u32(u32f(f.count)); },
  Tclunk: (w, f) => { w.u32(u32f(f.fid)); },
  Rclunk: () => {},
};

const FAST_GET: Partial<Record<MsgName, FastGet>> = {
  Tgetattr: (r, type, tag) => ({ type, tag, fid: r.u32('fid'), requestMask: r.u64('requestMask') }),
  Rgetattr: (r, type, tag) => ({ type, tag, attr: getAttr(r) }),
  Tlopen: (r, type, tag) => ({ type, tag, fid: r.u32('fid'), flags: r.u32('flags') }),
  Rlopen: (r, type, tag) => ({ type, tag, qid: r.qid('qid'), iounit: r.u32('iounit') }),
  Tread: (r, type, tag) => ({ type, tag, fid: r.u32('fid'), offset: r.u64('offset'), count: r.u32('count') }),
  Rread: (r, type, tag) => ({ type, tag, data: r.bytes(r.u32('count'), 'data') }),
  Twrite: (r, type, tag) => ({ type, tag, fid: r.u32('fid'), offset: r.u64('offset'), data: r.bytes(r.u32('count'), 'data') }),
  Rwrite: (r, type, tag) => ({ type, tag, count: r.u32('count') }),
  Tclunk: (r, type, tag) => ({ type, tag, fid: r.u32('fid') }),
  Rclunk: (_r, type, tag) => ({ type, tag }),
};

/** Exact frame sizes of fixed-size messages, so the Writer is allocated once. */
const FIXED_SIZE: Partial<Record<MsgName, number>> = { Rgetattr: 160, Tgetattr: 19, Tread: 23, Rlopen: 24, Tlopen: 15, Tclunk: 11, Rclunk: 7, Rwrite: 11 };

/** The table-driven encoding alone, which the fast paths must match byte for byte (tested). */
export function encodeByTable(f: Fcall, dialect: Dialect = Dialect.P2000L): Buffer {
  const w = new Writer(128);
  w.u32(0); w.u8(MsgType[f.type]); w.u16(f.tag);
  put(w, f as unknown as Rec, layoutFor(f.type, dialect));
  w.buf.writeUInt32LE(w.pos, 0);
  return w.result();
}

/** Message types with hand-written codecs. */
export const FAST_TYPES = Object.keys(FAST_PUT) as MsgName[];

/** Encode one message into a complete frame (size[4] type[1] tag[2] body). */
export function encode(f: Fcall, dialect: Dialect = Dialect.P2000L): Buffer {
  const num = MsgType[f.type];
  if (num === undefined) throw new ProtocolError(`unknown message type ${String(f.type)}`);
  const hint = 'data' in f ? f.data.length + 32 : FIXED_SIZE[f.type] ?? 128;
  const w = new Writer(hint);
  w.u32(0); w.u8(num); w.u16(f.tag);
  const fast = FAST_PUT[f.type];
  if (fast) fast(w, f as unknown as Rec);
  else put(w, f as unknown as Rec, layoutFor(f.type, dialect));
  w.buf.writeUInt32LE(w.pos, 0);
  return w.result();
}

const NO_DATA = new Uint8Array(0);

/**
 * Encode a message whose last field is data (Rread, Twrite, Rreaddir) as a header and the
 * data itself, uncopied: write both (writev) and the frame is on the wire without the copy
 * encode() makes.
 */
export function encodeSplit(f: Fcall & { data: Uint8Array }, dialect: Dialect = Dialect.P2000L): [Buffer, Uint8Array] {
  const head = encode({ ...f, data: NO_DATA } as Fcall, dialect);
  head.writeUInt32LE(head.length + f.data.length, 0);
  head.writeUInt32LE(f.data.length, head.length - 4);
  return [head, f.data];
}

/** The tag of a frame whose header is readable, else undefined. */
export function peekTag(frame: Uint8Array): number | undefined {
  return frame.length >= HEADER_SIZE ? frame[5]! | (frame[6]! << 8) : undefined;
}

/**
 * Decode one complete frame. Throws ProtocolError (with .tag when the header was
 * readable) for anything short, long, unknown or malformed.
 */
export function decode(frame: Uint8Array, dialect: Dialect = Dialect.P2000L): Fcall {
  if (frame.length < HEADER_SIZE) throw new ProtocolError(`frame of ${frame.length} bytes is shorter than the 7-byte header`);
  const r = new Reader(frame);
  const size = r.u32('size');
  const num = r.u8('type');
  const tag = r.u16('tag');
  if (size !== frame.length) throw new ProtocolError(`frame size field ${size} disagrees with ${frame.length} bytes received`, tag);
  const name = NAME_OF[num];
  if (name === undefined || num === 106 || num === MsgType.Tlerror) throw new ProtocolError(`unknown message type ${num}`, tag);
  if (dialect !== Dialect.P2000L && num < 100) throw new ProtocolError(`${name} is a 9P2000.L message, but the session speaks ${dialect}`, tag);
  r.what = name;
  let rec: Rec;
  try {
    const fast = FAST_GET[name];
    if (fast) rec = fast(r, name, tag);
    else { rec = { type: name, tag }; get(r, rec, layoutFor(name, dialect)); }
    r.done();
  } catch (e) {
    if (e instanceof ProtocolError) throw new ProtocolError(e.message, tag);
    throw e;
  }
  return rec as unknown as Fcall;
}
