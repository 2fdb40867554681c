// 9P2000.L requests, translated onto the FileServer interface so every service
// serves Linux's v9fs without knowing it exists.

import { AT_REMOVEDIR, DMDIR, DMSYMLINK, GETATTR, L_O, LOCK_STATUS, LOCK_TYPE, OREAD, ORDWR, OTRUNC, OWRITE, QTDIR, QTSYMLINK, S_IF, SETATTR } from '../9p/constants.ts';
import type { Attr, Dir, Fcall, RMsg, StatFs } from '../9p/fcall.ts';
import { nullDir } from '../9p/fcall.ts';
import { Writer } from '../9p/wire.ts';
import * as E from '../9p/errors.ts';
import { hasPerm, isDir, validName } from './fid.ts';
import type { Fid } from './fid.ts';
import type { Flight, Session } from './session.ts';

const fail = (ename: string): never => { throw new Error(ename); };

/** Linux d_type values for Rreaddir. */
const DT_DIR = 4, DT_REG = 8, DT_LNK = 10;

/** Linux open flags to a Plan 9 open mode. */
export function omodeOf(flags: number): number {
  const acc = flags & L_O.ACCMODE;
  let m = acc === L_O.WRONLY ? OWRITE : acc === L_O.RDWR ? ORDWR : OREAD;
  if (flags & L_O.TRUNC) m |= OTRUNC;
  return m;
}

/** Numeric ids for Plan 9 user names (Linux shows numbers). */
export function idOf(name: string): number {
  if (/^\d+$/.test(name)) return Number(name) >>> 0;
  if (name === 'root') return 0;
  if (name === '' || name === 'none' || name === 'nobody') return 65534;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 1000 + (h % 60000);
}

export function nameOfId(id: number): string {
  return id === 65534 ? 'nobody' : id === 0 ? 'root' : String(id);
}

export function attrOf(d: Dir): Attr {
  const type = d.mode & DMDIR ? S_IF.DIR : d.mode & DMSYMLINK ? S_IF.LNK : S_IF.REG;
  return {
    valid: GETATTR.BASIC, qid: d.qid, mode: type | (d.mode & 0o777), uid: idOf(d.uid), gid: idOf(d.gid),
    nlink: d.mode & DMDIR ? 2 : 1, rdev: 0, size: d.length, blksize: 4096, blocks: Math.ceil(d.length / 512),
    atimeSec: d.atime, atimeNsec: 0, mtimeSec: d.mtime, mtimeNsec: 0, ctimeSec: d.mtime, ctimeNsec: 0,
    btimeSec: 0, btimeNsec: 0, gen: 0, dataVersion: d.qid.version,
  };
}

const DEFAULT_STATFS: StatFs = {
  type: 0x01021997, bsize: 4096, blocks: 1 << 20, bfree: 1 << 19, bavail: 1 << 19,
  files: 1 << 20, ffree: 1 << 19, fsid: 0, namelen: 255,
};

export async function serveDotL<N>(s: Session<N>, f: Fcall, signal: Flight): Promise<RMsg> {
  const tag = f.tag;
  const fs = s.fs;
  const dirFid = (n: number): Fid<N> => {
    const fid = s.fid(n);
    if (!isDir(fid.qid)) fail(E.Enotdir);
    return fid;
  };
  /** Walk one name from a directory fid, for the *at requests, and release the node after. */
  const child = async <T>(dir: Fid<N>, name: string, use: (n: N, isdir: boolean) => Promise<T>): Promise<T> => {
    if (!validName(name)) fail(E.Ebadname);
    const req = s.reqFor(dir, signal);
    const e = await fs.walk(dir.node, name, req);
    try { return await use(e.node, (e.qid.type & QTDIR) !== 0); } finally { await fs.clunk?.(e.node, req); }
  };
  switch (f.type) {
    case 'Tlopen': {
      const o = await s.open(s.fid(f.fid), omodeOf(f.flags), signal);
      return { type: 'Rlopen', tag, qid: o.qid, iounit: o.iounit };
    }
    case 'Tlcreate': {
      const o = await s.create(s.fid(f.fid), f.name, f.mode & 0o777, omodeOf(f.flags), signal, false);
      return { type: 'Rlcreate', tag, qid: o.qid, iounit: o.iounit };
    }
    case 'Tmkdir': {
      const dir = dirFid(f.dfid);
      if (!validName(f.name)) fail(E.Ebadname);
      const req = s.reqFor(dir, signal);
      const d = await fs.stat(dir.node, req);
      if (!hasPerm(d, dir.uname, 2)) fail(E.Eperm);
      const e = await fs.create(dir.node, f.name, DMDIR | (f.mode & 0o777), OREAD, req);
      await fs.clunk?.(e.node, req);
      return { type: 'Rmkdir', tag, qid: e.qid };
    }
    case 'Tsymlink': {
      const dir = dirFid(f.fid);
      if (!fs.symlink) fail(E.Enotsup);
      if (!validName(f.name)) fail(E.Ebadname);
      const e = await fs.symlink!(dir.node, f.name, f.symtgt, s.reqFor(dir, signal));
      return { type: 'Rsymlink', tag, qid: e.qid };
    }
    case 'Treadlink': {
      const fid = s.fid(f.fid);
      if (!fs.readlink || !(fid.qid.type & QTSYMLINK)) fail(E.Einval);
      return { type: 'Rreadlink', tag, target: await fs.readlink!(fid.node, s.reqFor(fid, signal)) };
    }
    case 'Tmknod': dirFid(f.dfid); return fail(E.Enotsup);
    case 'Tlink': {
      const dir = dirFid(f.dfid), fid = s.fid(f.fid);
      if (!fs.link) fail(E.Enotsup);
      if (!validName(f.name)) fail(E.Ebadname);
      await fs.link!(dir.node, fid.node, f.name, s.reqFor(dir, signal));
      return { type: 'Rlink', tag };
    }
    case 'Trename': {
      const fid = s.fid(f.fid), dir = dirFid(f.dfid);
      if (!validName(f.name)) fail(E.Ebadname);
      await rename(s, fid.node, fid, dir, f.name, signal);
      return { type: 'Rrename', tag };
    }
    case 'Trenameat': {
      const od = dirFid(f.olddirfid), nd = dirFid(f.newdirfid);
      if (!validName(f.newname)) fail(E.Ebadname);
      await child(od, f.oldname, (n) => rename(s, n, od, nd, f.newname, signal));
      return { type: 'Rrenameat', tag };
    }
    case 'Tunlinkat': {
      const dir = dirFid(f.dirfd);
      await child(dir, f.name, async (n, isdir) => {
        if ((f.flags & AT_REMOVEDIR) && !isdir) fail(E.Enotdir);
        if (!(f.flags & AT_REMOVEDIR) && isdir) fail(E.Eisdir);
        await fs.remove(n, s.reqFor(dir, signal));
      });
      return { type: 'Runlinkat', tag };
    }
    case 'Tgetattr': {
      const fid = s.fid(f.fid);
      return { type: 'Rgetattr', tag, attr: attrOf(await fs.stat(fid.node, s.reqFor(fid, signal))) };
    }
    case 'Tsetattr': {
      const fid = s.fid(f.fid);
      const a = f.attr;
      const d = nullDir();
      const now = Math.floor(Date.now() / 1000);
      let change = false;
      if (a.valid & SETATTR.MODE) {
        const cur = await fs.stat(fid.node, s.reqFor(fid, signal));
        d.mode = (cur.mode & ~0o777) | (a.mode & 0o777); change = true;
      }
      if (a.valid & SETATTR.SIZE) { d.length = a.size; change = true; }
      if (a.valid & SETATTR.MTIME) { d.mtime = a.valid & SETATTR.MTIME_SET ? a.mtimeSec : now; change = true; }
      if (a.valid & SETATTR.ATIME) { d.atime = a.valid & SETATTR.ATIME_SET ? a.atimeSec : now; change = true; }
      if (a.valid & SETATTR.UID) { d.uid = nameOfId(a.uid); change = true; }
      if (a.valid & SETATTR.GID) { d.gid = nameOfId(a.gid); change = true; }
      if (change) await s.wstat(fid, d, signal);
      return { type: 'Rsetattr', tag };
    }
    case 'Treaddir': return { type: 'Rreaddir', tag, data: await readdir(s, s.fid(f.fid), f.offset, f.count, signal) };
    case 'Tstatfs': {
      const fid = s.fid(f.fid);
      return { type: 'Rstatfs', tag, statfs: fs.statfs ? await fs.statfs(s.reqFor(fid, signal)) : DEFAULT_STATFS };
    }
    case 'Tfsync': s.fid(f.fid); return { type: 'Rfsync', tag };
    // Locks are advisory and per client; one node has nothing to arbitrate, so grant them.
    case 'Tlock': s.fid(f.fid); return { type: 'Rlock', tag, status: LOCK_STATUS.SUCCESS };
    case 'Tgetlock': {
      s.fid(f.fid);
      return { type: 'Rgetlock', tag, lockType: LOCK_TYPE.UNLCK, start: f.start, length: f.length, procId: f.procId, clientId: f.clientId };
    }
    case 'Txattrwalk': s.fid(f.fid); return fail(E.Enodata);
    case 'Txattrcreate': s.fid(f.fid); return fail(E.Enotsup);
    default: return fail(`${f.type} is not a request`);
  }
}

async function rename<N>(s: Session<N>, node: N, from: Fid<N>, dir: Fid<N>, name: string, signal: Flight): Promise<void> {
  if (s.fs.rename) return s.fs.rename(node, dir.node, name, s.reqFor(from, signal));
  // Plan 9 servers rename by wstat, within one directory.
  const d = nullDir();
  d.name = name;
  await s.fs.wstat(node, d, s.reqFor(from, signal));
}

/** Rreaddir: dirents from the fid's snapshot; the offset cookie is the index of the next entry. */
async function readdir<N>(s: Session<N>, fid: Fid<N>, offset: bigint, count: number, signal: Flight): Promise<Uint8Array> {
  if (fid.omode < 0) fail(E.Enotopen);
  if (!isDir(fid.qid)) fail(E.Enotdir);
  if (offset === 0n || !fid.dirents) fid.dirents = await s.fs.readdir(fid.node, s.reqFor(fid, signal));
  const ents = fid.dirents;
  count = Math.min(count, s.iounit);
  const w = new Writer(Math.min(count, 65536));
  for (let i = Number(offset); i < ents.length; i++) {
    const d = ents[i]!;
    const need = 13 + 8 + 1 + 2 + Buffer.byteLength(d.name);
    if (w.pos + need > count) break;
    w.qid(d.qid); w.u64big(BigInt(i + 1));
    w.u8(d.qid.type & QTDIR ? DT_DIR : d.qid.type & QTSYMLINK ? DT_LNK : DT_REG);
    w.str(d.name);
  }
  return w.result();
}
