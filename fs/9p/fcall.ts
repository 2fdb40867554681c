// Fcall: one 9P message, decoded. Field names follow intro(5) and diod's protocol.md.

export interface Qid {
  type: number;
  version: number;
  /** 64-bit on the wire; kept as a number (exact below 2^53, which every server here uses). */
  path: number;
}

/** A Plan 9 stat record (stat(5)). */
export interface Dir {
  type: number;
  dev: number;
  qid: Qid;
  mode: number;
  atime: number;
  mtime: number;
  length: number;
  name: string;
  uid: string;
  gid: string;
  muid: string;
}

/** One entry of an Rreaddir (9P2000.L). */
export interface Dirent {
  qid: Qid;
  /** Cookie for the next Treaddir; 64-bit opaque, so a bigint. */
  offset: bigint;
  type: number;
  name: string;
}

/** Rgetattr body (9P2000.L). */
export interface Attr {
  valid: number;
  qid: Qid;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeSec: number; atimeNsec: number;
  mtimeSec: number; mtimeNsec: number;
  ctimeSec: number; ctimeNsec: number;
  btimeSec: number; btimeNsec: number;
  gen: number;
  dataVersion: number;
}

/** Tsetattr body (9P2000.L). */
export interface SetAttr {
  valid: number;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atimeSec: number; atimeNsec: number;
  mtimeSec: number; mtimeNsec: number;
}

export interface StatFs {
  type: number; bsize: number; blocks: number; bfree: number; bavail: number;
  files: number; ffree: number; fsid: number; namelen: number;
}

interface M { tag: number }

export type Fcall =
  // 9P2000
  | M & { type: 'Tversion'; msize: number; version: string }
  | M & { type: 'Rversion'; msize: number; version: string }
  | M & { type: 'Tauth'; afid: number; uname: string; aname: string; nuname?: number }
  | M & { type: 'Rauth'; aqid: Qid }
  | M & { type: 'Tattach'; fid: number; afid: number; uname: string; aname: string; nuname?: number }
  | M & { type: 'Rattach'; qid: Qid }
  | M & { type: 'Rerror'; ename: string }
  | M & { type: 'Tflush'; oldtag: number }
  | M & { type: 'Rflush' }
  | M & { type: 'Twalk'; fid: number; newfid: number; wname: string[] }
  | M & { type: 'Rwalk'; wqid: Qid[] }
  | M & { type: 'Topen'; fid: number; mode: number }
  | M & { type: 'Ropen'; qid: Qid; iounit: number }
  | M & { type: 'Tcreate'; fid: number; name: string; perm: number; mode: number }
  | M & { type: 'Rcreate'; qid: Qid; iounit: number }
  | M & { type: 'Tread'; fid: number; offset: number; count: number }
  | M & { type: 'Rread'; data: Uint8Array }
  | M & { type: 'Twrite'; fid: number; offset: number; data: Uint8Array }
  | M & { type: 'Rwrite'; count: number }
  | M & { type: 'Tclunk'; fid: number }
  | M & { type: 'Rclunk' }
  | M & { type: 'Tremove'; fid: number }
  | M & { type: 'Rremove' }
  | M & { type: 'Tstat'; fid: number }
  | M & { type: 'Rstat'; stat: Dir }
  | M & { type: 'Twstat'; fid: number; stat: Dir }
  | M & { type: 'Rwstat' }
  // 9P2000.L
  | M & { type: 'Rlerror'; ecode: number }
  | M & { type: 'Tstatfs'; fid: number }
  | M & { type: 'Rstatfs'; statfs: StatFs }
  | M & { type: 'Tlopen'; fid: number; flags: number }
  | M & { type: 'Rlopen'; qid: Qid; iounit: number }
  | M & { type: 'Tlcreate'; fid: number; name: string; flags: number; mode: number; gid: number }
  | M & { type: 'Rlcreate'; qid: Qid; iounit: number }
  | M & { type: 'Tsymlink'; fid: number; name: string; symtgt: string; gid: number }
  | M & { type: 'Rsymlink'; qid: Qid }
  | M & { type: 'Tmknod'; dfid: number; name: string; mode: number; major: number; minor: number; gid: number }
  | M & { type: 'Rmknod'; qid: Qid }
  | M & { type: 'Trename'; fid: number; dfid: number; name: string }
  | M & { type: 'Rrename' }
  | M & { type: 'Treadlink'; fid: number }
  | M & { type: 'Rreadlink'; target: string }
  | M & { type: 'Tgetattr'; fid: number; requestMask: number }
  | M & { type: 'Rgetattr'; attr: Attr }
  | M & { type: 'Tsetattr'; fid: number; attr: SetAttr }
  | M & { type: 'Rsetattr' }
  | M & { type: 'Txattrwalk'; fid: number; newfid: number; name: string }
  | M & { type: 'Rxattrwalk'; size: number }
  | M & { type: 'Txattrcreate'; fid: number; name: string; attrSize: number; flags: number }
  | M & { type: 'Rxattrcreate' }
  | M & { type: 'Treaddir'; fid: number; offset: bigint; count: number }
  | M & { type: 'Rreaddir'; data: Uint8Array }
  | M & { type: 'Tfsync'; fid: number; datasync: number }
  | M & { type: 'Rfsync' }
  | M & { type: 'Tlock'; fid: number; lockType: number; flags: number; start: number; length: number; procId: number; clientId: string }
  | M & { type: 'Rlock'; status: number }
  | M & { type: 'Tgetlock'; fid: number; lockType: number; start: number; length: number; procId: number; clientId: string }
  | M & { type: 'Rgetlock'; lockType: number; start: number; length: number; procId: number; clientId: string }
  | M & { type: 'Tlink'; dfid: number; fid: number; name: string }
  | M & { type: 'Rlink' }
  | M & { type: 'Tmkdir'; dfid: number; name: string; mode: number; gid: number }
  | M & { type: 'Rmkdir'; qid: Qid }
  | M & { type: 'Trenameat'; olddirfid: number; oldname: string; newdirfid: number; newname: string }
  | M & { type: 'Rrenameat' }
  | M & { type: 'Tunlinkat'; dirfd: number; name: string; flags: number }
  | M & { type: 'Runlinkat' };

export type FcallType = Fcall['type'];
/** The message of a given type, e.g. Msg<'Twalk'>. */
export type Msg<T extends FcallType> = Extract<Fcall, { type: T }>;
/** A T-message, and the R-message that answers it. */
export type TMsg = Extract<Fcall, { type: `T${string}` }>;
export type RMsg = Extract<Fcall, { type: `R${string}` }>;

/** ~0 as a u64, as decoded into a number (rounds to 2^64); the codec writes it back as all ones. */
export const U64_MAX = 2 ** 64;

/** The all-ones Dir that wstat(5) uses to mean "don't touch". */
export function nullDir(): Dir {
  return {
    type: 0xffff, dev: 0xffffffff, qid: { type: 0xff, version: 0xffffffff, path: U64_MAX },
    mode: 0xffffffff, atime: 0xffffffff, mtime: 0xffffffff, length: U64_MAX,
    name: '', uid: '', gid: '', muid: '',
  };
}
