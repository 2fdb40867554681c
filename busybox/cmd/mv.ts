// mv [-f] from to; mv [-f] from ... dir: move files. As Plan 9 mv, a move within one
// directory is a rename: a wstat of the name alone, so the file keeps its qid, and a target
// already there is removed first. 9P cannot rename across directories, so then the file is
// copied (mode and mtime kept) and the original removed; unlike Plan 9, which refuses, a
// directory moved that way is copied as a tree, as GNU mv does across file systems. The
// original goes only if the whole copy succeeded. -f is accepted (mv never asks).

import { DMDIR } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Enotdir } from '../../fs/9p/errors.ts';
import { absPath, baseOf, parentOf } from '../../kernel/cleanname.ts';
import { parseFlags, UsageError } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { command } from '../io.ts';
import { basename } from './basename.ts';
import { copyTree, join, removeTree, sameFile, statMaybe, within } from './copytree.ts';

/** Whether two paths name entries of the same directory (compared by qid, so binds count). */
async function sameDir(c: Cmd, a: string, b: string): Promise<boolean> {
  const pa = parentOf(absPath(c.sys.cwd, a)), pb = parentOf(absPath(c.sys.cwd, b));
  if (pa === pb) return true;
  try { return sameFile(await c.sys.stat(pa), await c.sys.stat(pb)); } catch { return false; }
}

async function move(c: Cmd, src: string, dst: string): Promise<void> {
  let sd;
  try { sd = await c.sys.stat(src); } catch (e) { await c.fail(src, e); return; }
  const isDir = (sd.mode & DMDIR) !== 0;
  let dd;
  try { dd = await statMaybe(c, dst); } catch (e) { await c.fail(dst, e); return; }
  if (dd && sameFile(sd, dd)) {
    c.error = 'same file';
    await c.warn(`${src} and ${dst} are the same file`);
    return;
  }
  if (dd && (dd.mode & DMDIR) && !isDir) { await c.fail(dst, new Error(Eisdir)); return; }
  if (dd && !(dd.mode & DMDIR) && isDir) { await c.fail(dst, new Error(Enotdir)); return; }
  if (isDir && within(c, src, dst)) { await c.fail(src, new Error('cannot move a directory into itself')); return; }
  // A target in the way goes first (an empty directory only), as Plan 9 mv's hardremove.
  if (dd) {
    try { await c.sys.remove(dst); } catch (e) { await c.fail(dst, e); return; }
  }
  if (await sameDir(c, src, dst)) {
    try { await c.sys.wstat(src, { name: baseOf(absPath(c.sys.cwd, dst)) }); } catch (e) { await c.fail(src, e); }
    return;
  }
  if (await copyTree(c, src, sd, dst, { recursive: true, preserve: true })) await removeTree(c, src, sd);
}

export const mv = command('mv', '[-f] from to | [-f] from ... dir', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'f' });
  if (f.args.length < 2) throw new UsageError();
  const srcs = f.args.slice(0, -1);
  const target = f.args.at(-1)!;
  let td;
  try { td = await statMaybe(c, target); } catch (e) { await c.fail(target, e); return; }
  const intoDir = td !== undefined && (td.mode & DMDIR) !== 0;
  if (!intoDir && (srcs.length > 1 || target.endsWith('/'))) {
    await c.fail(target, new Error(td ? Enotdir : Enoent));
    return;
  }
  for (const src of srcs) {
    await move(c, src, intoDir ? join(target, basename(src)) : target);
  }
});
