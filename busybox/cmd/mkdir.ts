// mkdir [-p] [-m mode] dir ...: make directories. -p makes missing parents too and is
// content when the directory is already there. Messages are Plan 9's: `mkdir: d already
// exists` and `mkdir: can't create d: ERROR`; the status is the error string.

import { DMDIR } from '../../fs/9p/constants.ts';
import { Eexist, Enoent, Enotdir } from '../../fs/9p/errors.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';
import type { Cmd } from '../io.ts';

/** Each directory from the first element down to path itself: a/b/c -> a, a/b, a/b/c. */
export function prefixes(path: string): string[] {
  const out: string[] = [];
  let acc = path.startsWith('/') ? '' : undefined;
  for (const part of path.split('/').filter((p) => p !== '')) {
    acc = acc === undefined ? part : `${acc}/${part}`;
    if (part !== '.' && part !== '..') out.push(acc);
  }
  return out;
}

async function isDir(c: Cmd, p: string): Promise<boolean | undefined> {
  try { return ((await c.sys.stat(p)).mode & DMDIR) !== 0; } catch (e) {
    if (errmsg(e) === Enoent) return undefined;
    throw e;
  }
}

async function exists(c: Cmd, p: string): Promise<boolean> {
  try { await c.sys.stat(p); return true; } catch { return false; }
}

export const mkdir = command('mkdir', '[-p] [-m mode] dir ...', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'p', values: 'm' });
  if (f.args.length === 0) throw new UsageError();
  const m = f.value('m');
  if (m !== undefined && !/^[0-7]{1,4}$/.test(m)) throw new UsageError();
  const perm = m === undefined ? 0o777 : parseInt(m, 8);
  // As Plan 9's: a name already there is reported as such, whatever create would say.
  const make = async (dir: string, mode: number): Promise<void> => {
    try {
      if (await exists(c, dir)) throw new Error(Eexist);
      await c.sys.mkdir(dir, mode);
    } catch (e) {
      c.error = errmsg(e) || 'error';
      await c.warn(c.error === Eexist ? `${dir} already exists` : `can't create ${dir}: ${c.error}`);
      throw e;
    }
  };
  for (const dir of f.args) {
    try {
      if (!f.has('p')) { await make(dir, perm); continue; }
      const ps = prefixes(dir);
      for (const [i, p] of ps.entries()) {
        let d: boolean | undefined;
        try { d = await isDir(c, p); } catch (e) { await c.fail(p, e); break; }
        if (d === false) { c.error = Enotdir; await c.warn(`can't create ${dir}: ${Enotdir}`); break; }
        if (d === undefined) await make(p, i === ps.length - 1 ? perm : 0o777);
      }
    } catch { /* reported by make */ }
  }
});
