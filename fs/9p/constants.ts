// 9P2000 and 9P2000.L message numbers and protocol constants (intro(5), diod's protocol.md).

export const MsgType = {
  // 9P2000.L
  Tlerror: 6, Rlerror: 7,
  Tstatfs: 8, Rstatfs: 9,
  Tlopen: 12, Rlopen: 13,
  Tlcreate: 14, Rlcreate: 15,
  Tsymlink: 16, Rsymlink: 17,
  Tmknod: 18, Rmknod: 19,
  Trename: 20, Rrename: 21,
  Treadlink: 22, Rreadlink: 23,
  Tgetattr: 24, Rgetattr: 25,
  Tsetattr: 26, Rsetattr: 27,
  Txattrwalk: 30, Rxattrwalk: 31,
  Txattrcreate: 32, Rxattrcreate: 33,
  Treaddir: 40, Rreaddir: 41,
  Tfsync: 50, Rfsync: 51,
  Tlock: 52, Rlock: 53,
  Tgetlock: 54, Rgetlock: 55,
  Tlink: 70, Rlink: 71,
  Tmkdir: 72, Rmkdir: 73,
  Trenameat: 74, Rrenameat: 75,
  Tunlinkat: 76, Runlinkat: 77,
  // 9P2000
  Tversion: 100, Rversion: 101,
  Tauth: 102, Rauth: 103,
  Tattach: 104, Rattach: 105,
  Rerror: 107,
  Tflush: 108, Rflush: 109,
  Twalk: 110, Rwalk: 111,
  Topen: 112, Ropen: 113,
  Tcreate: 114, Rcreate: 115,
  Tread: 116, Rread: 117,
  Twrite: 118, Rwrite: 119,
  Tclunk: 120, Rclunk: 121,
  Tremove: 122, Rremove: 123,
  Tstat: 124, Rstat: 125,
  Twstat: 126, Rwstat: 127,
} as const;

export type MsgName = keyof typeof MsgType;

export const NOTAG = 0xffff;
export const NOFID = 0xffffffff;
/** Largest number of names in one Twalk (intro(5)). */
export const MAXWELEM = 16;
/** size[4] type[1] tag[2] */
export const HEADER_SIZE = 7;
/** Bytes of an Rread/Twrite header before the data; iounit = msize - IOHDRSZ. */
export const IOHDRSZ = 24;
/** The largest msize we negotiate. */
export const MAX_MSIZE = 1 << 20;
export const DEFAULT_MSIZE = 8192 + IOHDRSZ;

export const Dialect = { P2000: '9P2000', P2000L: '9P2000.L' } as const;
export type Dialect = typeof Dialect[keyof typeof Dialect];

/** Qid.type bits. */
export const QTDIR = 0x80;
export const QTAPPEND = 0x40;
export const QTEXCL = 0x20;
export const QTMOUNT = 0x10;
export const QTAUTH = 0x08;
export const QTTMP = 0x04;
export const QTSYMLINK = 0x02;
export const QTFILE = 0x00;

/** Dir.mode bits. */
export const DMDIR = 0x80000000;
export const DMAPPEND = 0x40000000;
export const DMEXCL = 0x20000000;
export const DMMOUNT = 0x10000000;
export const DMAUTH = 0x08000000;
export const DMTMP = 0x04000000;
export const DMSYMLINK = 0x02000000;
export const DMREAD = 0x4;
export const DMWRITE = 0x2;
export const DMEXEC = 0x1;

/** Topen/Tcreate mode. */
export const OREAD = 0;
export const OWRITE = 1;
export const ORDWR = 2;
export const OEXEC = 3;
export const OTRUNC = 0x10;
export const ORCLOSE = 0x40;
export const OEXCL = 0x1000; // only in Tcreate from .L clients mapped through lcreate

/** Linux open flags carried by Tlopen/Tlcreate. */
export const L_O = {
  RDONLY: 0, WRONLY: 1, RDWR: 2, ACCMODE: 3,
  CREAT: 0o100, EXCL: 0o200, NOCTTY: 0o400, TRUNC: 0o1000, APPEND: 0o2000,
  NONBLOCK: 0o4000, DIRECTORY: 0o200000,
} as const;

/** Tgetattr request_mask / Rgetattr valid bits. */
export const GETATTR = {
  MODE: 0x1, NLINK: 0x2, UID: 0x4, GID: 0x8, RDEV: 0x10, ATIME: 0x20, MTIME: 0x40,
  CTIME: 0x80, INO: 0x100, SIZE: 0x200, BLOCKS: 0x400, BTIME: 0x800, GEN: 0x1000,
  DATA_VERSION: 0x2000, BASIC: 0x7ff, ALL: 0x3fff,
} as const;

/** Tsetattr valid bits. */
export const SETATTR = {
  MODE: 0x1, UID: 0x2, GID: 0x4, SIZE: 0x8, ATIME: 0x10, MTIME: 0x20, CTIME: 0x40,
  ATIME_SET: 0x80, MTIME_SET: 0x100,
} as const;

/** Linux file type bits in a .L mode. */
export const S_IF = { MT: 0o170000, DIR: 0o040000, REG: 0o100000, LNK: 0o120000, CHR: 0o020000, BLK: 0o060000, FIFO: 0o010000, SOCK: 0o140000 } as const;

export const LOCK_TYPE = { RDLCK: 0, WRLCK: 1, UNLCK: 2 } as const;
export const LOCK_STATUS = { SUCCESS: 0, BLOCKED: 1, ERROR: 2, GRACE: 3 } as const;
export const AT_REMOVEDIR = 0x200;
