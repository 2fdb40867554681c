// How 9P2000 and 9P2000.L spell each file operation, in one place, so the file API
// above is dialect-independent: open modes, create, mkdir, stat, wstat, directory reads,
// and the conversions from .L attributes and dirents to Plan 9 Dirs.

import {
  DMAPPEND, DMDIR, DMEXCL, DMSYMLINK, DMTMP, Dialect, GETATTR, L_O, ORDWR, OREAD, OTRUNC, OWRITE,
  QTAPPEND, QTDIR, QTEXCL, QTSYMLINK, QTTMP, SETATTR, S_IF,
} from '../9p/constants.ts';
import type { Attr, Dir, Dirent, RMsg, SetAttr } from '../9p/fcall.ts';
import { nullDir } from '../9p/fcall.ts';
import { Ebadname, Einval, P9Error } from '../9p/errors.ts';
import { Reader } from '../9p/wire.ts';
import type { TRequest } from './client.ts';

/** What wstat may change; absent fields are left alone. */
export type DirChanges = Partial<Pick<Dir, 'name' | 'mode' | 'length' | 'atime' | 'mtime' | 'uid' | 'gid'>>;

/** Linux open flags for a Plan 9 open mode (ORCLOSE has no .L spelling; see CFid). */
export function lflags(mode: number): number {
  const acc = mode & 3;
  let f = acc === OWRITE ? L_O.WRONLY : acc === ORDWR ? L_O.RDWR : L_O.RDONLY; // OREAD and OEXEC read
  if (mode & OTRUNC) f |= L_O.TRUNC;
  return f;
}

export function openMsg(d: Dialect, fid: number, mode: number): TRequest {
  if (d === Dialect.P2000L) return { type: 'Tlopen', fid, flags: lflags(mode) };
  return { type: 'Topen', fid, mode };
}

/**
 * Create name in the directory fid and leave fid open on it (create(5)). In .L a directory
 * is made with Tmkdir and then walked to and opened, so the result is the same.
 * The last message's reply carries the qid and iounit.
 */
export function createMsgs(d: Dialect, fid: number, name: string, perm: number, mode: number, gid: number): TRequest[] {
  checkName(name);
  if (d !== Dialect.P2000L) return [{ type: 'Tcreate', fid, name, perm, mode }];
  if (perm & DMDIR) {
    if ((mode & 3) !== OREAD) throw new P9Error(Einval);
    return [
      { type: 'Tmkdir', dfid: fid, name, mode: perm & 0o777, gid },
      { type: 'Twalk', fid, newfid: fid, wname: [name] },
      { type: 'Tlopen', fid, flags: L_O.RDONLY },
    ];
  }
  // Plan 9 create fails on an existing name; O_EXCL says the same to a Linux server.
  return [{ type: 'Tlcreate', fid, name, flags: lflags(mode) | L_O.CREAT | L_O.EXCL, mode: perm & 0o777, gid }];
}

/** Make directory name in the directory fid. 9P2000 leaves fid open on it (clunk it); .L leaves fid alone. */
export function mkdirMsg(d: Dialect, fid: number, name: string, perm: number, gid: number): TRequest {
  checkName(name);
  if (d === Dialect.P2000L) return { type: 'Tmkdir', dfid: fid, name, mode: perm & 0o777, gid };
  return { type: 'Tcreate', fid, name, perm: (perm & 0o777) | DMDIR, mode: OREAD };
}

export function statMsg(d: Dialect, fid: number): TRequest {
  if (d === Dialect.P2000L) return { type: 'Tgetattr', fid, requestMask: GETATTR.BASIC };
  return { type: 'Tstat', fid };
}

/** The Dir in an Rstat or Rgetattr; name is used for .L, which does not send one. */
export function dirOf(r: RMsg, name: string): Dir {
  if (r.type === 'Rstat') return r.stat;
  if (r.type === 'Rgetattr') return attrToDir(r.attr, name);
  throw new P9Error(`protocol botch: ${r.type} where a stat was expected`);
}

/** Plan 9 mode bits for a Linux mode. */
export function modeFromLinux(m: number): number {
  let mode = m & 0o777;
  const fmt = m & S_IF.MT;
  if (fmt === S_IF.DIR) mode |= DMDIR;
  else if (fmt === S_IF.LNK) mode |= DMSYMLINK;
  return mode >>> 0;
}

/** A Plan 9 Dir for 9P2000.L attributes; uid and gid become decimal strings. */
export function attrToDir(a: Attr, name: string): Dir {
  const mode = modeFromLinux(a.mode);
  return {
    type: 0, dev: 0, qid: a.qid, mode,
    atime: a.atimeSec, mtime: a.mtimeSec,
    length: mode & DMDIR ? 0 : a.size,
    name, uid: String(a.uid), gid: String(a.gid), muid: '',
  };
}

/** Mode bits a qid type implies. */
function modeFromQid(type: number): number {
  let m = 0;
  if (type & QTDIR) m |= DMDIR;
  if (type & QTAPPEND) m |= DMAPPEND;
  if (type & QTEXCL) m |= DMEXCL;
  if (type & QTTMP) m |= DMTMP;
  if (type & QTSYMLINK) m |= DMSYMLINK;
  return m >>> 0;
}

/**
 * A Dir from a .L dirent alone (no Tgetattr): name and qid are real, the mode carries only
 * the type bits the qid implies (no permission bits), length, times and owners are unknown (0 / '').
 */
export function direntToDir(e: Dirent): Dir {
  return {
    type: 0, dev: 0, qid: e.qid, mode: modeFromQid(e.qid.type),
    atime: 0, mtime: 0, length: 0, name: e.name, uid: '', gid: '', muid: '',
  };
}

/** Split Rreaddir data: qid[13] offset[8] type[1] name[s], repeated. */
export function unpackDirents(data: Uint8Array): Dirent[] {
  const r = new Reader(data);
  r.what = 'readdir data';
  const out: Dirent[] = [];
  while (r.pos < r.end) {
    const qid = r.qid('dirent qid');
    const offset = r.u64big('dirent offset');
    const type = r.u8('dirent type');
    const name = r.str('dirent name');
    out.push({ qid, offset, type, name });
  }
  return out;
}

/** The Twstat record for changes: nullDir() with the given fields. */
export function wstatDir(ch: DirChanges): Dir {
  const d = nullDir();
  if (ch.name !== undefined) { checkName(ch.name); d.name = ch.name; }
  if (ch.mode !== undefined) d.mode = ch.mode >>> 0;
  if (ch.length !== undefined) d.length = ch.length;
  if (ch.atime !== undefined) d.atime = ch.atime;
  if (ch.mtime !== undefined) d.mtime = ch.mtime;
  if (ch.uid !== undefined) d.uid = ch.uid;
  if (ch.gid !== undefined) d.gid = ch.gid;
  return d;
}

/** The Tsetattr body for changes other than the name, or undefined when there are none. */
export function setattrOf(ch: DirChanges): SetAttr | undefined {
  const a: SetAttr = { valid: 0, mode: 0, uid: 0, gid: 0, size: 0, atimeSec: 0, atimeNsec: 0, mtimeSec: 0, mtimeNsec: 0 };
  if (ch.mode !== undefined) { a.valid |= SETATTR.MODE; a.mode = ch.mode & 0o7777; }
  if (ch.length !== undefined) { a.valid |= SETATTR.SIZE; a.size = ch.length; }
  if (ch.atime !== undefined) { a.valid |= SETATTR.ATIME | SETATTR.ATIME_SET; a.atimeSec = ch.atime; }
  if (ch.mtime !== undefined) { a.valid |= SETATTR.MTIME | SETATTR.MTIME_SET; a.mtimeSec = ch.mtime; }
  if (ch.uid !== undefined && ch.uid !== '') { a.valid |= SETATTR.UID; a.uid = numericId(ch.uid); }
  if (ch.gid !== undefined && ch.gid !== '') { a.valid |= SETATTR.GID; a.gid = numericId(ch.gid); }
  return a.valid ? a : undefined;
}

function numericId(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) > 0xfffffffe) throw new P9Error(Einval);
  return Number(s);
}

/** A single path element: not empty, no '/', not '.' or '..'. */
export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) throw new P9Error(Ebadname);
}
