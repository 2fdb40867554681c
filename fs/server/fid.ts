// Per-connection fid state, and the permission rules the framework applies before handlers run.

import type { Dir, Qid } from '../9p/fcall.ts';
import { DMDIR, OEXEC, ORDWR, OREAD, OTRUNC, OWRITE, QTDIR } from '../9p/constants.ts';

export interface Fid<N> {
  readonly num: number;
  node: N;
  qid: Qid;
  readonly uname: string;
  /** Open mode, or -1 while not open. */
  omode: number;
  iounit: number;
  /** Directory scan: entries snapshotted at offset 0, and where the next read must start. */
  dirents?: Dir[];
  dirIndex: number;
  dirOffset: number;
}

export function newFid<N>(num: number, node: N, qid: Qid, uname: string): Fid<N> {
  return { num, node, qid, uname, omode: -1, iounit: 0, dirIndex: 0, dirOffset: 0 };
}

export function isDir(q: Qid): boolean {
  return (q.type & QTDIR) !== 0;
}

/** Access bits (4 read, 2 write, 1 exec) an open mode needs. */
export function accessFor(mode: number): number {
  let need: number;
  switch (mode & 3) {
    case OREAD: need = 4; break;
    case OWRITE: need = 2; break;
    case ORDWR: need = 6; break;
    case OEXEC: need = 1; break;
    default: need = 4;
  }
  if (mode & OTRUNC) need |= 2;
  return need;
}

export function canRead(omode: number): boolean {
  const a = omode & 3;
  return a === OREAD || a === ORDWR || a === OEXEC;
}

export function canWrite(omode: number): boolean {
  const a = omode & 3;
  return a === OWRITE || a === ORDWR;
}

/** Whether uname is a member of group gid; the default knows only the user's own group. */
export type InGroup = (uname: string, gid: string) => boolean;
export const ownGroup: InGroup = (uname, gid) => uname === gid;

/**
 * lib9p's hasperm: may uname access a file with this mode/uid/gid for want (AREAD|AWRITE|AEXEC)?
 * The classes add up: other bits always apply, owner bits for the owner, group bits for members.
 */
export function hasPerm(
  file: { mode: number; uid: string; gid: string }, uname: string, want: number, inGroup: InGroup = ownGroup,
): boolean {
  let m = file.mode & 7;
  if ((want & m) === want) return true;
  if (file.uid === uname) {
    m |= (file.mode >>> 6) & 7;
    if ((want & m) === want) return true;
  }
  if (inGroup(uname, file.gid)) {
    m |= (file.mode >>> 3) & 7;
    if ((want & m) === want) return true;
  }
  return false;
}

/** Plan 9 create(5): the new file's permissions are limited by the directory's. */
export function createPerm(perm: number, dirMode: number): number {
  if (perm & DMDIR) return perm & (~0o777 | (dirMode & 0o777));
  return perm & (~0o666 | (dirMode & 0o666));
}

/** A single path element a server may create. */
export function validName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && Buffer.byteLength(name) <= 255;
}
