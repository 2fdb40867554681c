// Small helpers the kernel devices share (Plan 9's devdir and friends): a Dir for a
// synthetic file, its qid, and the wstat rule for files whose metadata cannot change.

import type { Dir, Qid } from '../../fs/9p/fcall.ts';
import { U64_MAX } from '../../fs/9p/fcall.ts';
import { Eperm } from '../../fs/9p/errors.ts';
import { qidType } from '../../fs/server/ramfs-node.ts';

const NULL_U32 = 0xffffffff;

export interface DevDirInit {
  path: number;
  name: string;
  /** Mode bits, DMDIR included for a directory. */
  mode: number;
  uid: string;
  gid?: string;
  muid?: string;
  length?: number;
  version?: number;
  /** Seconds since the epoch, for atime and mtime. */
  time: number;
}

export function devQid(path: number, mode: number, version = 0): Qid {
  return { type: qidType(mode >>> 0), version, path };
}

/** The stat of a device file (Plan 9 devdir). */
export function devDir(i: DevDirInit): Dir {
  return {
    type: 0, dev: 0, qid: devQid(i.path, i.mode, i.version ?? 0), mode: i.mode >>> 0,
    atime: i.time, mtime: i.time, length: i.length ?? 0, name: i.name,
    uid: i.uid, gid: i.gid ?? i.uid, muid: i.muid ?? i.uid,
  };
}

/**
 * wstat on a file whose metadata is fixed: only "don't touch" values, values equal to the
 * current ones (a sync), and, when lengthOk, any length (ignored by the caller) pass.
 */
export function wstatNoop(d: Dir, cur: Dir, lengthOk = false): void {
  const same = (v: string | number, dont: string | number, now: string | number): boolean => v === dont || v === now;
  const ok = same(d.mode, NULL_U32, cur.mode) && same(d.atime, NULL_U32, cur.atime) && same(d.mtime, NULL_U32, cur.mtime)
    && same(d.name, '', cur.name) && same(d.uid, '', cur.uid) && same(d.gid, '', cur.gid) && same(d.muid, '', cur.muid)
    && (lengthOk || same(d.length, U64_MAX, cur.length));
  if (!ok) throw new Error(Eperm);
}

/** Seconds since the epoch of a millisecond time. */
export function secs(ms: number): number {
  return Math.floor(ms / 1000);
}
