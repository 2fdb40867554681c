// cp [-prx] from to; cp [-prx] from ... dir: copy files. As Plan 9 cp, a copy is created
// with its original's mode, and a target that is already there is truncated and keeps its
// own; a target that is a directory (or given with a trailing slash) receives each source
// under its last name. -r copies directories with what they hold (GNU: into an existing
// target directory, or as a new one); -p, or Plan 9's -x, also sets each copy's mode and
// mtime to the original's. A file is never copied onto itself.

import { DMDIR } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent, Enotdir } from '../../fs/9p/errors.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';
import { basename } from './basename.ts';
import { copyTree, join, sameFile, statMaybe, within } from './copytree.ts';

export const cp = command('cp', '[-prx] from to | [-prx] from ... dir', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'prRx' });
  if (f.args.length < 2) throw new UsageError();
  const srcs = f.args.slice(0, -1);
  const target = f.args.at(-1)!;
  const opts = { recursive: f.has('r') || f.has('R'), preserve: f.has('p') || f.has('x') };
  const td = await statMaybe(c, target).catch(async (e: unknown) => { await c.fail(target, e); return null; });
  if (td === null) return;
  const intoDir = td !== undefined && (td.mode & DMDIR) !== 0;
  if (!intoDir && (srcs.length > 1 || target.endsWith('/'))) {
    await c.fail(target, new Error(td ? Enotdir : Enoent));
    return;
  }
  for (const src of srcs) {
    const dst = intoDir ? join(target, basename(src)) : target;
    let sd;
    try { sd = await c.sys.stat(src); } catch (e) { await c.fail(src, e); continue; }
    if (sd.mode & DMDIR) {
      if (!opts.recursive) { await c.fail(src, new Error(Eisdir)); continue; }
      if (within(c, src, dst)) { await c.fail(src, new Error('cannot copy a directory into itself')); continue; }
    }
    const dd = await statMaybe(c, dst).catch(() => undefined);
    if (dd && sameFile(sd, dd)) {
      c.error = 'same file';
      await c.warn(`${src} and ${dst} are the same file`);
      continue;
    }
    await copyTree(c, src, sd, dst, opts);
  }
});
