// Copying files and trees, shared by cp and mv (mv copies when a rename cannot do it: 9P's
// wstat renames only within a directory). Failures are reported through the command and the
// copy goes on with the next file, as cp -r does; the result says whether all went well.

import { DMAPPEND, DMDIR, DMEXCL, DMTMP, OREAD, OWRITE } from '../../fs/9p/constants.ts';
import { Enoent, Enotdir } from '../../fs/9p/errors.ts';
import type { Dir } from '../../fs/9p/fcall.ts';
import { absPath } from '../../kernel/cleanname.ts';
import type { Cmd } from '../io.ts';
import { byteOrder, errmsg, Out } from '../io.ts';

export interface CopyOptions {
  /** Copy directories and what they hold (cp -r). */
  recursive: boolean;
  /** Give each copy the mode and mtime of its original (cp -p, mv). */
  preserve: boolean;
}

/** The bits a plain file keeps when copied: permissions and Plan 9's append, exclusive, temporary. */
const FILE_BITS = (0o777 | DMAPPEND | DMEXCL | DMTMP) >>> 0;

/** Whether two stats name the same file (Plan 9's samefile: same server, same qid path). */
export function sameFile(a: Dir, b: Dir): boolean {
  return a.type === b.type && a.dev === b.dev && a.qid.path === b.qid.path && (a.qid.type & 0x80) === (b.qid.type & 0x80);
}

/** stat, with a missing file as undefined (any other error is thrown). */
export async function statMaybe(c: Cmd, path: string): Promise<Dir | undefined> {
  try { return await c.sys.stat(path); } catch (e) {
    if (errmsg(e) === Enoent) return undefined;
    throw e;
  }
}

/** dir/name without doubling a slash. */
export function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Whether inner is outer or lies under it, comparing clean absolute paths. */
export function within(c: Cmd, outer: string, inner: string): boolean {
  const o = absPath(c.sys.cwd, outer), i = absPath(c.sys.cwd, inner);
  return i === o || i.startsWith(o === '/' ? '/' : `${o}/`);
}

/**
 * Copy src (whose stat is sd) to dst. A file's copy is created with the source's mode (or
 * truncated if there, keeping its mode, as create(2) does). A directory is made if missing
 * (an existing one is copied into, as GNU cp -r does) and its entries are copied in byte
 * order. Returns false when anything failed (each failure already reported, naming the
 * file that was at fault).
 */
export async function copyTree(c: Cmd, src: string, sd: Dir, dst: string, o: CopyOptions): Promise<boolean> {
  let at = src;
  try {
    if (!(sd.mode & DMDIR)) {
      const i = await c.sys.open(src, OREAD);
      try {
        at = dst;
        const w = await c.sys.create(dst, OWRITE, (sd.mode & FILE_BITS) >>> 0);
        try {
          for (;;) {
            const d = await c.sys.read(i, Out.CHUNK);
            if (d.length === 0) break;
            await c.sys.write(w, d);
          }
        } finally { await c.sys.close(w); }
      } finally { await c.sys.close(i); }
      if (o.preserve) await c.sys.wstat(dst, { mode: (sd.mode & FILE_BITS) >>> 0, mtime: sd.mtime });
      return true;
    }
    at = dst;
    const dd = await statMaybe(c, dst);
    if (dd && !(dd.mode & DMDIR)) throw new Error(Enotdir);
    const perm = sd.mode & 0o777;
    // Made writable by its owner while it fills; the real mode goes on afterwards.
    if (!dd) await c.sys.mkdir(dst, perm | 0o700);
    at = src;
    const entries = (await c.sys.dirread(src)).sort((a, b) => byteOrder(a.name, b.name));
    let ok = true;
    for (const e of entries) ok = await copyTree(c, join(src, e.name), e, join(dst, e.name), o) && ok;
    at = dst;
    if (o.preserve) await c.sys.wstat(dst, { mode: (DMDIR | perm) >>> 0, mtime: sd.mtime });
    else if (!dd && (perm | 0o700) !== perm) await c.sys.wstat(dst, { mode: (DMDIR | perm) >>> 0 });
    return ok;
  } catch (e) {
    await c.fail(at, e);
    return false;
  }
}

/** Remove a tree, contents first. Returns false when anything failed (each failure reported). */
export async function removeTree(c: Cmd, path: string, d: Dir): Promise<boolean> {
  let ok = true;
  try {
    if (d.mode & DMDIR) {
      for (const e of await c.sys.dirread(path)) ok = await removeTree(c, join(path, e.name), e) && ok;
    }
    if (ok) await c.sys.remove(path);
  } catch (e) {
    await c.fail(path, e);
    return false;
  }
  return ok;
}
